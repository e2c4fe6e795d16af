// Pure: a pod and its events -> what is wrong, in plain words, and the fix. No I/O, no React.
// The causes are a table of rules (rules.ts), from the most exact to the least; each names the
// captured pod (and events) that fires it. A pod no rule knows is still being set up.
import type {V1ContainerStatus, V1Pod} from '@kubernetes/client-node';
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
import {isImageReason} from './pull.js';
import {firstRule, type Rule} from './rules.js';
import type {DiagnoseInput, Diagnosis, PodEvent} from './types.js';

export type {DiagnoseInput, Diagnosis, DiagnosisState, LocalImages, PodEvent} from './types.js';

/** What the pod rules read: the input, with its events sorted out and its containers' statuses at hand. */
export type PodFacts = {
	readonly input: DiagnoseInput;
	readonly pod: V1Pod;
	readonly name: string;
	readonly now: Date;
	readonly events: readonly PodEvent[];
	readonly warnings: readonly PodEvent[];
	readonly statuses: readonly V1ContainerStatus[];
	readonly initStatuses: readonly V1ContainerStatus[];
};

type PodRule = Rule<PodFacts, unknown, Diagnosis>;

/** A container waiting for a reason of its own (not the usual PodInitializing or ContainerCreating). */
const waitingReason = (status: V1ContainerStatus) => {
	const reason = status.state?.waiting?.reason;
	return reason && reason !== 'PodInitializing' && reason !== 'ContainerCreating' ? reason : undefined;
};

function diagnoseWaiting(input: DiagnoseInput, status: V1ContainerStatus, init: boolean): Diagnosis {
	const reason = status.state?.waiting?.reason ?? '';
	const message = status.state?.waiting?.message ?? '';
	const evidence = message ? [message] : [];
	if (reason === 'CrashLoopBackOff') {
		return {state: 'failing', ...crashProblem(input.pod, status, init, input.logs?.[status.name])};
	}

	if (isImageReason(reason)) {
		// "Back-off pulling image" says nothing of why: the kubelet's last "Failed to pull image" event does.
		const failed = (input.events ?? []).filter(event => event.reason === 'Failed' && /Failed to pull image/.test(event.message ?? '')).at(-1)?.message;
		const detail = failed && !message.includes(failed) ? `${message} ${failed}` : message;
		return {
			state: 'failing',
			...imageProblem(
				status,
				detail,
				input.localImages,
				reason === 'ImagePullBackOff' && /ErrImagePull/.test(message) ? 'ImagePullBackOff' : reason,
				specOf(input.pod, status.name, init)?.imagePullPolicy,
			),
			evidence: failed && !message.includes(failed) ? [...evidence, failed] : evidence,
		};
	}

	if (reason === 'CreateContainerConfigError') {
		return {state: 'failing', ...configProblem(status, message), evidence};
	}

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

const restarts = (count: number) => `${count} restart${count === 1 ? '' : 's'}`;

/** A rule for an app container waiting for one of these reasons, said as that wait. */
const waitingRule = (id: string, fixture: string, reason: (waiting: string | undefined) => boolean): PodRule => ({
	id,
	fixture,
	matches: ({statuses}) => statuses.find(status => reason(waitingReason(status))),
	says: (found, {input}) => diagnoseWaiting(input, found as V1ContainerStatus, false),
});

export const podRules: readonly PodRule[] = [
	{
		id: 'terminating',
		fixture: 'k8s/pods-yaml/is-healthy-pod-terminating.yaml',
		matches: ({pod}) => pod.metadata?.deletionTimestamp,
		says: (found, {pod, name, now}) => {
			const deletedAt = new Date(found as string | Date);
			const grace = (pod.metadata?.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30) * 1000;
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
		},
	},
	{
		id: 'evicted',
		fixture: 'k8s/pods-yaml/is-healthy-evicted.yaml',
		matches: ({pod}) => pod.status?.phase === 'Failed' && pod.status.reason === 'Evicted',
		says: (_found, {pod}) => ({
			state: 'failing',
			reason: 'Evicted',
			container: undefined,
			title: 'the pod was evicted',
			explanation: `The node evicted the pod: ${(pod.status?.message ?? 'it ran short of a resource').trim().replace(/\.+$/, '')}.`,
			fix: "Free disk or memory on the node (minikube ssh, docker system prune in the node), or lower the pod's usage; the Deployment creates a replacement.",
			evidence: [],
		}),
	},
	{
		id: 'completed',
		fixture: 'k8s/pods-yaml/is-healthy-pod-succeeded.yaml',
		matches: ({pod}) => pod.status?.phase === 'Succeeded',
		says: () => ({
			state: 'completed',
			reason: 'Completed',
			container: undefined,
			title: 'the pod ran to completion',
			explanation: 'All its containers finished with exit code 0.',
			fix: 'Nothing to do.',
			evidence: [],
		}),
	},
	{
		id: 'unschedulable',
		fixture: 'k8s/pods/k8rs-kind-v1.36.1-pending.json',
		matches: ({pod, warnings}) =>
			conditionMessage(pod, 'PodScheduled') ??
			(pod.status?.phase === 'Pending' && !pod.spec?.nodeName ? warnings.filter(event => event.reason === 'FailedScheduling').at(-1)?.message : undefined),
		says: (found, {warnings}) => ({
			state: 'failing',
			reason: 'Unschedulable',
			container: undefined,
			title: 'the pod cannot be scheduled',
			...unschedulable(found as string),
			evidence: warnings.filter(event => event.reason === 'FailedScheduling').map(eventLine),
		}),
	},
	{
		// Init containers run first; one that fails holds the whole pod, one that runs keeps it waiting.
		id: 'init-container',
		fixture: 'k8s/pods/k8rs-kind-v1.36.1-init.json',
		matches: ({initStatuses}) =>
			initStatuses.find(
				status =>
					status.state?.waiting?.reason === 'CrashLoopBackOff' ||
					(status.state?.terminated && status.state.terminated.exitCode !== 0) ||
					waitingReason(status) !== undefined ||
					status.state?.running,
			),
		says: (found, {input, name}) => {
			const status = found as V1ContainerStatus;
			const terminated = status.state?.terminated;
			if (status.state?.waiting?.reason === 'CrashLoopBackOff' || (terminated && terminated.exitCode !== 0)) {
				return {state: 'failing', ...crashProblem(input.pod, status, true, input.logs?.[status.name])};
			}

			if (waitingReason(status)) {
				return diagnoseWaiting(input, status, true);
			}

			return {
				state: 'progressing',
				reason: 'PodInitializing',
				container: status.name,
				title: `init container ${status.name} is running`,
				explanation: 'The app starts when its init containers finish.',
				fix: `If it takes long: kubectl logs ${name} -c ${status.name}.`,
				evidence: [],
			};
		},
	},
	waitingRule('crash-loop', 'k8s/pods/k8rs-kind-v1.36.1-crashloop.json', reason => reason === 'CrashLoopBackOff'),
	waitingRule('image', 'k8s/pods/k8rs-kind-v1.36.1-image.json', isImageReason),
	waitingRule('config-reference', 'k8s/pods/k8rs-kind-v1.36.1-config.json', reason => reason === 'CreateContainerConfigError'),
	{
		id: 'lost',
		fixture: 'k8s/pods/k8rs-kind-v1.36.1-failed.json',
		matches: ({statuses}) => statuses.find(status => status.state?.terminated?.reason === 'ContainerStatusUnknown'),
		says: (found, {name}) => {
			const status = found as V1ContainerStatus;
			return {
				state: 'failing',
				reason: 'ContainerStatusUnknown',
				container: status.name,
				title: `${status.name}: its state was lost`,
				explanation: `${status.state?.terminated?.message ?? 'The container could not be found'}; the node lost track of it (often after the node or the cluster restarted).`,
				fix: `Delete the pod so its controller makes a new one: kubectl delete pod ${name}.`,
				evidence: [],
			};
		},
	},
	{
		id: 'exited',
		fixture: 'k8s/pods/k8rs-kind-v1.36.1-oom.json',
		matches: ({statuses}) =>
			statuses.find(status => status.state?.terminated && (status.state.terminated.exitCode !== 0 || status.state.terminated.reason === 'OOMKilled')),
		says: (found, {input}) => ({
			state: 'failing',
			...crashProblem(input.pod, found as V1ContainerStatus, false, input.logs?.[(found as V1ContainerStatus).name]),
		}),
	},
	waitingRule('waiting', 'k8s/states/openshift-CreateContainerError-unmapped-uid.state.json', reason => reason !== undefined),
	{
		id: 'failed',
		fixture: 'k8s/pods/nextflow-k8sclient-test-node-shutdown.json',
		matches: ({pod}) => pod.status?.phase === 'Failed',
		says: (_found, {pod, name}) => ({
			state: 'failing',
			reason: pod.status?.reason ?? 'Failed',
			container: undefined,
			title: 'the pod failed',
			explanation: pod.status?.message ?? 'All its containers stopped and will not restart.',
			fix: `kubectl describe pod ${name} shows the last state of each container.`,
			evidence: [],
		}),
	},
	{
		id: 'mount-failure',
		fixture: 'k8s/pods-yaml/is-healthy-container-creating.yaml + k8s/events/describe-events-FailedMount-configmap-not-found-EXCERPT.txt',
		matches: ({warnings}) => warnings.filter(event => /FailedMount|FailedAttachVolume|FailedCreatePodSandBox/.test(event.reason ?? '')).at(-1),
		says: (found, {statuses}) => {
			const event = found as PodEvent;
			const creating = statuses.find(status => status.state?.waiting?.reason === 'ContainerCreating');
			const missing = /(configmap|secret) "([^"]+)" not found/i.exec(event.message ?? '');
			return {
				state: 'failing',
				reason: event.reason ?? 'FailedMount',
				container: creating?.name,
				title: event.reason === 'FailedCreatePodSandBox' ? 'the pod network could not be set up' : 'a volume cannot be mounted',
				explanation: `The containers cannot start: ${event.message ?? ''}`,
				fix: missing
					? `Create the ${missing[1] ?? ''} "${missing[2] ?? ''}" the volume reads, or fix its name in the chart.`
					: event.reason === 'FailedCreatePodSandBox'
						? "The cluster's network plugin is not ready: wait for kube-system pods, or restart the cluster (minikube stop && minikube start)."
						: 'Check the PersistentVolumeClaim and the StorageClass (kubectl get pvc).',
				evidence: [eventLine(event)],
			};
		},
	},
	{
		id: 'creating',
		fixture: 'k8s/pods-yaml/is-healthy-container-creating.yaml',
		matches: ({statuses}) => statuses.find(status => status.state?.waiting?.reason === 'ContainerCreating'),
		says: found => ({
			state: 'progressing',
			reason: 'ContainerCreating',
			container: (found as V1ContainerStatus).name,
			title: 'containers are being created',
			explanation: 'The node is pulling images and setting up the pod.',
			fix: 'Wait; if it lasts minutes, the events say what it is waiting for.',
			evidence: [],
		}),
	},
	{
		// Running again, not ready, and killed for its memory before: it will be again (a restart count says so).
		id: 'out-of-memory-before',
		fixture: 'k8s/pods-yaml/is-healthy-oomkilled-unhealthy.yaml',
		matches: ({statuses}) =>
			statuses.find(status => !status.ready && status.state?.running && status.restartCount > 0 && status.lastState?.terminated?.reason === 'OOMKilled'),
		says: (found, {input}) => ({
			state: 'failing',
			...crashProblem(input.pod, found as V1ContainerStatus, false, input.logs?.[(found as V1ContainerStatus).name]),
		}),
	},
	{
		id: 'starting',
		fixture: 'k8s/pods/k8rs-kind-v1.36.1-startup.json',
		matches: ({pod, statuses}) =>
			statuses.find(status => !status.ready && status.state?.running && status.started === false && specOf(pod, status.name, false)?.startupProbe),
		says: (found, {pod, warnings}) => {
			const status = found as V1ContainerStatus;
			const probe = specOf(pod, status.name, false)?.startupProbe;
			const failure = eventsFor(warnings, status.name)
				.filter(event => /^Startup probe failed/.test(event.message ?? ''))
				.at(-1);
			return {
				state: 'progressing',
				reason: 'Starting',
				container: status.name,
				title: `${status.name} is starting (startup probe not passed yet)`,
				explanation: `Kubernetes waits for ${probeTarget(probe)} to pass, up to ${(probe?.periodSeconds ?? 10) * (probe?.failureThreshold ?? 3)} s, before the other probes run.${failure ? ` Last try: ${failure.message ?? ''}` : ''}`,
				fix: 'Wait; if it never passes, the app does not come up: kubectl logs shows why.',
				evidence: failure ? [eventLine(failure)] : [],
			};
		},
	},
	{
		id: 'readiness-fails',
		fixture: 'k8s/pods/k8rs-kind-v1.36.1-readiness.json + k8s/events/describe-events-readiness-503-gravity.txt',
		matches: ({statuses, warnings}) => {
			for (const status of statuses) {
				const failed = eventsFor(warnings, status.name)
					.filter(event => /^Readiness probe failed/.test(event.message ?? ''))
					.at(-1);
				if (!status.ready && status.state?.running && failed) {
					return {status, failed};
				}
			}

			return undefined;
		},
		says: (found, {pod}) => {
			const {status, failed} = found as {status: V1ContainerStatus; failed: PodEvent};
			const message = (failed.message ?? '').replace(/^Readiness probe failed: /, '');
			const failure = probeFailure(message, specOf(pod, status.name, false)?.readinessProbe);
			return {
				state: 'failing',
				reason: 'ReadinessProbeFailed',
				container: status.name,
				title: `${status.name} is not ready: ${message}`,
				explanation: `The readiness probe fails: ${failure.meaning}. No traffic reaches the pod until it passes.`,
				fix: failure.fix,
				evidence: [eventLine(failed)],
			};
		},
	},
	{
		id: 'not-ready-yet',
		fixture: 'k8s/pods/k8rs-kind-v1.36.1-readiness.json',
		matches: ({pod, statuses}) => statuses.find(status => !status.ready && status.state?.running && specOf(pod, status.name, false)?.readinessProbe),
		says: (found, {pod}) => {
			const status = found as V1ContainerStatus;
			return {
				state: 'progressing',
				reason: 'NotReady',
				container: status.name,
				title: `${status.name} is running, not ready yet`,
				explanation: `Kubernetes waits for ${probeTarget(specOf(pod, status.name, false)?.readinessProbe)} to pass before sending traffic.`,
				fix: 'Wait a few probe periods; if it stays not ready, the events show the probe failures.',
				evidence: [],
			};
		},
	},
	{
		id: 'ready',
		fixture: 'k8s/pods/k8rs-kind-v1.36.1-restarts.json',
		matches: ({statuses}) => statuses.length > 0 && statuses.every(status => status.ready),
		says: (_found, {statuses, warnings, name}) => {
			const restarted = statuses.find(status => status.restartCount > 0 && status.lastState?.terminated);
			const liveness = eventsFor(warnings)
				.filter(event => /^Liveness probe failed/.test(event.message ?? ''))
				.at(-1);
			const last = restarted?.lastState?.terminated;
			return {
				state: 'ready',
				reason: 'Ready',
				container: restarted?.name,
				title: restarted ? `ready, after ${restarts(restarted.restartCount)} of ${restarted.name}` : 'ready',
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
		},
	},
];

/** What the rules read of an input. */
export function podFacts(input: DiagnoseInput): PodFacts {
	const {pod} = input;
	const events = [...(input.events ?? [])];
	return {
		input,
		pod,
		name: pod.metadata?.name ?? 'pod',
		now: input.now ?? new Date(),
		events,
		warnings: events.filter(event => event.type === 'Warning'),
		statuses: pod.status?.containerStatuses ?? [],
		initStatuses: pod.status?.initContainerStatuses ?? [],
	};
}

export function diagnosePod(input: DiagnoseInput): Diagnosis {
	const {pod} = input;
	const events = input.events ?? [];
	return (
		firstRule(podRules, podFacts(input))?.said ?? {
			state: 'progressing',
			reason: pod.status?.phase ?? 'Pending',
			container: undefined,
			title: `the pod is ${(pod.status?.phase ?? 'pending').toLowerCase()}`,
			explanation: 'Kubernetes is still setting the pod up.',
			fix: 'Wait; the events say what it is waiting for.',
			evidence: events.slice(-3).map(eventLine),
		}
	);
}
