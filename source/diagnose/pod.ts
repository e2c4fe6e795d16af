// Pure: a pod and its events -> what is wrong, in plain words, and the fix. No I/O, no React.
import type {V1ContainerStatus} from '@kubernetes/client-node';
import {
	configProblem,
	conditionMessage,
	crashProblem,
	describeExit,
	eventLine,
	eventsFor,
	imageProblem,
	probeFailure,
	probeTarget,
	specOf,
	unschedulable,
} from './explain.js';
import type {DiagnoseInput, Diagnosis} from './types.js';

export type {DiagnoseInput, Diagnosis, DiagnosisState, LocalImages, PodEvent} from './types.js';

export function diagnosePod(input: DiagnoseInput): Diagnosis {
	const {pod} = input;
	const events = [...(input.events ?? [])];
	const warnings = events.filter(event => event.type === 'Warning');
	const now = input.now ?? new Date();
	const name = pod.metadata?.name ?? 'pod';

	if (pod.metadata?.deletionTimestamp) {
		const deletedAt = new Date(pod.metadata.deletionTimestamp);
		const grace = (pod.metadata.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30) * 1000;
		const stuck = now.getTime() > deletedAt.getTime() + grace + 30_000;
		return {
			state: 'terminating',
			reason: 'Terminating',
			container: undefined,
			title: stuck ? 'the pod is stuck terminating' : 'the pod is shutting down',
			explanation: stuck
				? `The pod was deleted at ${deletedAt.toISOString()} and is still there after its grace period: a finalizer holds it, or its node is unreachable.`
				: 'The pod was deleted and is stopping its containers (a rollout or a scale-down replaces it).',
			fix: stuck
				? `Check the finalizers and the node (kubectl get pod ${name} -o yaml); as a last resort: kubectl delete pod ${name} --grace-period=0 --force.`
				: 'Nothing to do: a new pod takes its place.',
			evidence: [],
		};
	}

	if (pod.status?.phase === 'Failed' && pod.status.reason === 'Evicted') {
		return {
			state: 'failing',
			reason: 'Evicted',
			container: undefined,
			title: 'the pod was evicted',
			explanation: `The node evicted the pod: ${(pod.status.message ?? 'it ran short of a resource').replace(/\.+$/, '')}.`,
			fix: "Free disk or memory on the node (minikube ssh, docker system prune in the node), or lower the pod's usage; the Deployment creates a replacement.",
			evidence: [],
		};
	}

	if (pod.status?.phase === 'Succeeded') {
		return {
			state: 'completed',
			reason: 'Completed',
			container: undefined,
			title: 'the pod ran to completion',
			explanation: 'All its containers finished with exit code 0.',
			fix: 'Nothing to do.',
			evidence: [],
		};
	}

	const schedulingMessage = conditionMessage(pod, 'PodScheduled');
	if (
		schedulingMessage !== undefined ||
		(pod.status?.phase === 'Pending' && warnings.some(event => event.reason === 'FailedScheduling') && !pod.spec?.nodeName)
	) {
		const message = schedulingMessage ?? warnings.filter(event => event.reason === 'FailedScheduling').at(-1)?.message ?? '';
		const {explanation, fix} = unschedulable(message);
		return {
			state: 'failing',
			reason: 'Unschedulable',
			container: undefined,
			title: 'the pod cannot be scheduled',
			explanation,
			fix,
			evidence: warnings.filter(event => event.reason === 'FailedScheduling').map(eventLine),
		};
	}

	// Init containers run first; one that fails holds the whole pod.
	for (const status of pod.status?.initContainerStatuses ?? []) {
		const terminated = status.state?.terminated;
		if (status.state?.waiting?.reason === 'CrashLoopBackOff' || (terminated && terminated.exitCode !== 0)) {
			return {state: 'failing', ...crashProblem(pod, status, true, input.logs?.[status.name])};
		}

		const waiting = status.state?.waiting;
		if (waiting?.reason && waiting.reason !== 'PodInitializing') {
			return diagnoseWaiting(input, status, waiting.reason, waiting.message ?? '', true);
		}

		if (status.state?.running) {
			return {
				state: 'progressing',
				reason: 'PodInitializing',
				container: status.name,
				title: `init container ${status.name} is running`,
				explanation: 'The app starts when its init containers finish.',
				fix: `If it takes long: kubectl logs ${name} -c ${status.name}.`,
				evidence: [],
			};
		}
	}

	const statuses = pod.status?.containerStatuses ?? [];
	for (const status of statuses) {
		const waiting = status.state?.waiting;
		if (waiting?.reason && waiting.reason !== 'PodInitializing' && waiting.reason !== 'ContainerCreating') {
			return diagnoseWaiting(input, status, waiting.reason, waiting.message ?? '', false);
		}

		if (status.state?.terminated && (status.state.terminated.exitCode !== 0 || status.state.terminated.reason === 'OOMKilled')) {
			if (status.state.terminated.reason === 'ContainerStatusUnknown') {
				return {
					state: 'failing',
					reason: 'ContainerStatusUnknown',
					container: status.name,
					title: `${status.name}: its state was lost`,
					explanation: `${status.state.terminated.message ?? 'The container could not be found'}; the node lost track of it (often after the node or the cluster restarted).`,
					fix: `Delete the pod so its controller makes a new one: kubectl delete pod ${name}.`,
					evidence: [],
				};
			}

			return {state: 'failing', ...crashProblem(pod, status, false, input.logs?.[status.name])};
		}
	}

	if (pod.status?.phase === 'Failed') {
		return {
			state: 'failing',
			reason: pod.status.reason ?? 'Failed',
			container: undefined,
			title: 'the pod failed',
			explanation: pod.status.message ?? 'All its containers stopped and will not restart.',
			fix: `kubectl describe pod ${name} shows the last state of each container.`,
			evidence: [],
		};
	}

	const creating = statuses.find(status => status.state?.waiting?.reason === 'ContainerCreating');
	const mountFailure = warnings.filter(event => /FailedMount|FailedAttachVolume|FailedCreatePodSandBox/.test(event.reason ?? '')).at(-1);
	if (mountFailure || creating) {
		if (mountFailure) {
			const missing = /(configmap|secret) "([^"]+)" not found/i.exec(mountFailure.message ?? '');
			return {
				state: 'failing',
				reason: mountFailure.reason ?? 'FailedMount',
				container: creating?.name,
				title: mountFailure.reason === 'FailedCreatePodSandBox' ? 'the pod network could not be set up' : 'a volume cannot be mounted',
				explanation: `The containers cannot start: ${mountFailure.message ?? ''}`,
				fix: missing
					? `Create the ${missing[1] ?? ''} "${missing[2] ?? ''}" the volume reads, or fix its name in the chart.`
					: mountFailure.reason === 'FailedCreatePodSandBox'
						? "The cluster's network plugin is not ready: wait for kube-system pods, or restart the cluster (minikube stop && minikube start)."
						: 'Check the PersistentVolumeClaim and the StorageClass (kubectl get pvc).',
				evidence: [eventLine(mountFailure)],
			};
		}

		return {
			state: 'progressing',
			reason: 'ContainerCreating',
			container: creating?.name,
			title: 'containers are being created',
			explanation: 'The node is pulling images and setting up the pod.',
			fix: 'Wait; if it lasts minutes, the events say what it is waiting for.',
			evidence: [],
		};
	}

	for (const status of statuses) {
		if (status.ready) {
			continue;
		}

		// Running again, not ready, and killed for its memory before: it will be again (a restart count says so).
		if (status.state?.running && status.restartCount > 0 && status.lastState?.terminated?.reason === 'OOMKilled') {
			return {state: 'failing', ...crashProblem(pod, status, false, input.logs?.[status.name])};
		}

		const spec = specOf(pod, status.name, false);
		const containerEvents = eventsFor(warnings, status.name);
		if (status.state?.running && status.started === false && spec?.startupProbe) {
			const failure = containerEvents.filter(event => /^Startup probe failed/.test(event.message ?? '')).at(-1);
			return {
				state: 'progressing',
				reason: 'Starting',
				container: status.name,
				title: `${status.name} is starting (startup probe not passed yet)`,
				explanation: `Kubernetes waits for ${probeTarget(spec.startupProbe)} to pass, up to ${(spec.startupProbe.periodSeconds ?? 10) * (spec.startupProbe.failureThreshold ?? 3)} s, before the other probes run.${failure ? ` Last try: ${failure.message ?? ''}` : ''}`,
				fix: 'Wait; if it never passes, the app does not come up: kubectl logs shows why.',
				evidence: failure ? [eventLine(failure)] : [],
			};
		}

		const readiness = containerEvents.filter(event => /^Readiness probe failed/.test(event.message ?? '')).at(-1);
		if (status.state?.running && (readiness || spec?.readinessProbe)) {
			const message = (readiness?.message ?? '').replace(/^Readiness probe failed: /, '');
			const failure = readiness ? probeFailure(message, spec?.readinessProbe) : undefined;
			return {
				state: readiness ? 'failing' : 'progressing',
				reason: readiness ? 'ReadinessProbeFailed' : 'NotReady',
				container: status.name,
				title: readiness ? `${status.name} is not ready: ${message}` : `${status.name} is running, not ready yet`,
				explanation: failure
					? `The readiness probe fails: ${failure.meaning}. No traffic reaches the pod until it passes.`
					: `Kubernetes waits for ${probeTarget(spec?.readinessProbe)} to pass before sending traffic.`,
				fix: failure?.fix ?? 'Wait a few probe periods; if it stays not ready, the events show the probe failures.',
				evidence: readiness ? [eventLine(readiness)] : [],
			};
		}
	}

	if (statuses.length > 0 && statuses.every(status => status.ready)) {
		const restarted = statuses.find(status => status.restartCount > 0 && status.lastState?.terminated);
		const liveness = eventsFor(warnings)
			.filter(event => /^Liveness probe failed/.test(event.message ?? ''))
			.at(-1);
		const last = restarted?.lastState?.terminated;
		return {
			state: 'ready',
			reason: 'Ready',
			container: restarted?.name,
			title: restarted ? `ready, after ${restarted.restartCount} restart${restarted.restartCount === 1 ? '' : 's'} of ${restarted.name}` : 'ready',
			explanation: restarted
				? `All containers are ready. ${restarted.name} restarted before: ${describeExit(last?.exitCode, last?.reason)}.`
				: 'All containers are running and ready.',
			fix: restarted
				? last?.reason === 'OOMKilled'
					? 'Give it more memory before it happens again (resources.limits.memory).'
					: `kubectl logs ${name} -c ${restarted.name} --previous shows the last crash.`
				: 'Nothing to do.',
			evidence: liveness ? [eventLine(liveness)] : [],
		};
	}

	return {
		state: 'progressing',
		reason: pod.status?.phase ?? 'Pending',
		container: undefined,
		title: `the pod is ${(pod.status?.phase ?? 'pending').toLowerCase()}`,
		explanation: 'Kubernetes is still setting the pod up.',
		fix: 'Wait; the events say what it is waiting for.',
		evidence: events.slice(-3).map(eventLine),
	};
}

function diagnoseWaiting(input: DiagnoseInput, status: V1ContainerStatus, reason: string, message: string, init: boolean): Diagnosis {
	const evidence = message ? [message] : [];
	switch (reason) {
		case 'CrashLoopBackOff': {
			return {state: 'failing', ...crashProblem(input.pod, status, init, input.logs?.[status.name])};
		}

		case 'ImagePullBackOff':
		case 'ErrImagePull':
		case 'ErrImageNeverPull':
		case 'InvalidImageName': {
			// "Back-off pulling image" says nothing of why: the kubelet's last "Failed to pull image" event does.
			const failed = (input.events ?? []).filter(event => event.reason === 'Failed' && /Failed to pull image/.test(event.message ?? '')).at(-1)?.message;
			const detail = failed && !message.includes(failed) ? `${message} ${failed}` : message;
			return {
				state: 'failing',
				...imageProblem(status, detail, input.localImages, reason === 'ImagePullBackOff' && /ErrImagePull/.test(message) ? 'ImagePullBackOff' : reason),
				evidence: failed && !message.includes(failed) ? [...evidence, failed] : evidence,
			};
		}

		case 'CreateContainerConfigError': {
			return {state: 'failing', ...configProblem(status, message), evidence};
		}

		default: {
			return {
				state: 'failing',
				reason,
				container: status.name,
				title: `${status.name}: ${reason}`,
				explanation: `The container cannot start: ${message || reason}.`,
				fix: `kubectl describe pod ${input.pod.metadata?.name ?? ''} shows the details.`,
				evidence,
			};
		}
	}
}
