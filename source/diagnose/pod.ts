// Pure: a pod and its events -> what is wrong, in plain words, and the fix. No I/O, no React.
import type {CoreV1Event, V1Container, V1ContainerStatus, V1Pod, V1Probe} from '@kubernetes/client-node';

export type PodEvent = Pick<CoreV1Event, 'type' | 'reason' | 'message' | 'count' | 'lastTimestamp' | 'eventTime'> & {
	readonly involvedObject?: {readonly kind?: string; readonly name?: string; readonly fieldPath?: string};
};

export type DiagnosisState = 'ready' | 'progressing' | 'failing' | 'terminating' | 'completed';

export type Diagnosis = {
	readonly state: DiagnosisState;
	/** Kubernetes' own word for it where there is one: CrashLoopBackOff, OOMKilled, Unschedulable… */
	readonly reason: string;
	readonly container: string | undefined;
	/** One line for the table. */
	readonly title: string;
	readonly explanation: string;
	readonly fix: string;
	/** What it was seen in: termination messages, log lines, events. */
	readonly evidence: readonly string[];
};

export type LocalImages = {
	/** "minikube profile todo", "kind cluster todo". */
	readonly cluster: string;
	readonly images: ReadonlySet<string>;
	/** The command that loads an image there, with IMAGE in it. */
	readonly loadCommand: string;
};

export type DiagnoseInput = {
	readonly pod: V1Pod;
	readonly events?: readonly PodEvent[];
	/** The last log lines of each container (the previous instance after a crash). */
	readonly logs?: Readonly<Record<string, readonly string[]>>;
	readonly localImages?: LocalImages;
	readonly now?: Date;
};

const exitCodeMeanings: Readonly<Record<number, string>> = {
	0: "it exited with code 0: the main process finished, but a Deployment's container must keep running (a command that returns, or a server started in the background)",
	1: 'it exited with code 1: the app failed while starting (an unhandled error; the last lines below say which)',
	2: 'it exited with code 2: the command was given wrong arguments',
	126: 'it exited with code 126: the command is not executable (permissions, or a file that is not a program)',
	127: 'it exited with code 127: the command was not found in the image (a wrong command or entrypoint, or a missing binary)',
	137: 'it was killed with SIGKILL (exit 137): out of memory, or killed after failing its liveness probe',
	139: 'it crashed with a segmentation fault (exit 139)',
	143: 'it was stopped with SIGTERM (exit 143): Kubernetes restarted it, usually because its liveness probe failed',
};

function describeExit(exitCode: number | undefined, reason: string | undefined): string {
	if (reason === 'OOMKilled') {
		return 'it was killed for using more memory than its limit (OOMKilled, exit 137)';
	}

	return exitCode === undefined ? 'it stopped' : (exitCodeMeanings[exitCode] ?? `it exited with code ${exitCode}${reason ? ` (${reason})` : ''}`);
}

const lastLines = (text: string | undefined, count = 5) =>
	(text ?? '')
		.split('\n')
		.map(line => line.trimEnd())
		.filter(Boolean)
		.slice(-count);

function eventsFor(events: readonly PodEvent[], container?: string): PodEvent[] {
	return events.filter(event => !container || !event.involvedObject?.fieldPath || event.involvedObject.fieldPath.includes(`{${container}}`));
}

function eventLine(event: PodEvent): string {
	return `${event.type ?? 'Normal'} ${event.reason ?? ''}${(event.count ?? 1) > 1 ? ` (x${event.count ?? 1})` : ''}: ${event.message ?? ''}`;
}

function probeTarget(probe: V1Probe | undefined): string {
	if (!probe) {
		return 'its probe';
	}

	if (probe.httpGet) {
		return `GET ${probe.httpGet.path ?? '/'} on port ${String(probe.httpGet.port)}`;
	}

	if (probe.tcpSocket) {
		return `a TCP connection to port ${String(probe.tcpSocket.port)}`;
	}

	if (probe.exec) {
		return `the command ${(probe.exec.command ?? []).join(' ')}`;
	}

	return probe.grpc ? `gRPC health on port ${probe.grpc.port}` : 'its probe';
}

/** What a probe failure message means, and what to change. */
function probeFailure(message: string, probe: V1Probe | undefined): {meaning: string; fix: string} {
	const status = /statuscode: (\d+)/.exec(message)?.[1];
	if (status) {
		return {
			meaning: `the app answers ${probeTarget(probe)} with HTTP ${status}${status === '503' ? ', which a readiness endpoint returns while a dependency such as the database is not reachable' : ''}`,
			fix:
				status === '503'
					? 'Check what the endpoint depends on (the database URL and password, the database pod); its logs say which.'
					: `Make ${probe?.httpGet?.path ?? 'the endpoint'} answer 200 when the app is healthy.`,
		};
	}

	if (/connection refused/.test(message)) {
		return {
			meaning: `nothing listens for ${probeTarget(probe)}: the app is not up yet, listens on another port, or only on 127.0.0.1`,
			fix: 'Make the app listen on 0.0.0.0 and the probe port match the containerPort; give slow starts a startupProbe.',
		};
	}

	if (/deadline exceeded|Client\.Timeout|timeout/i.test(message)) {
		return {
			meaning: `${probeTarget(probe)} answers more slowly than timeoutSeconds (${probe?.timeoutSeconds ?? 1} s)`,
			fix: "Raise the probe's timeoutSeconds, or make the health endpoint cheap.",
		};
	}

	return {meaning: `${probeTarget(probe)} fails: ${message}`, fix: "Run the probe's check by hand in the container (kubectl exec) to see why it fails."};
}

function specOf(pod: V1Pod, name: string, init: boolean): V1Container | undefined {
	return (init ? pod.spec?.initContainers : pod.spec?.containers)?.find(container => container.name === name);
}

function imageProblem(status: V1ContainerStatus, message: string, local: LocalImages | undefined, reason: string): Omit<Diagnosis, 'state' | 'evidence'> {
	const image = /image "([^"]+)"/.exec(message)?.[1] ?? status.image;
	const loaded = local?.images.has(image);
	const repository = image.replace(/:[^:/]+$/, '');
	// Other tags of the same repository, in the short form a chart names them (the set holds every form).
	const otherTags = local ? [...local.images].filter(candidate => candidate !== image && candidate.replace(/:[^:/]+$/, '') === repository).sort() : [];
	const otherTag =
		otherTags.length === 0
			? undefined
			: otherTags.length === 1
				? otherTags[0]
				: `other tags of ${repository} (${otherTags.map(candidate => candidate.slice(repository.length + 1)).join(', ')})`;
	if (reason === 'ErrImageNeverPull' && local && loaded) {
		return {
			reason,
			container: status.name,
			title: `${status.name}: image ${image} is loaded now`,
			explanation: `The pull policy is Never, and ${image} was not on the node when the container was created; ${local.cluster} has it now, and the kubelet tries again on its next back-off.`,
			fix: 'Wait a moment; to start at once, restart the pod (r).',
		};
	}

	if (reason === 'ErrImageNeverPull') {
		return {
			reason,
			container: status.name,
			title: `${status.name}: image ${image} is not in the cluster`,
			explanation: `The pull policy is Never, so the node uses only images already on it, and ${image} is not there${otherTag ? `: it has ${otherTag}${otherTags.length === 1 ? ', a different tag' : ''}` : local ? ` (${local.cluster} does not have it)` : ': it was not loaded, was loaded into another minikube profile or kind cluster, or its tag differs'}.`,
			fix: otherTag
				? `Deploy ${otherTags.length === 1 ? `the tag that was loaded (${otherTag})` : 'a tag that was loaded'}, or load ${image}.`
				: `Load it: ${(local?.loadCommand ?? 'minikube image load IMAGE (or kind load docker-image IMAGE)').replaceAll('IMAGE', image)}.`,
		};
	}

	let cause = 'the registry could not be reached or refused the image';
	let fix = 'Check the image name and tag, and the registry credentials (imagePullSecrets).';
	if (/no such host|dial tcp|i\/o timeout|connection refused/.test(message)) {
		cause = 'the registry host cannot be reached from the node (it does not exist, or the cluster has no network to it)';
	} else if (/not found|manifest unknown|does not exist/i.test(message)) {
		cause = 'the registry has no such image or tag';
	} else if (/unauthorized|denied|authentication required|forbidden/i.test(message)) {
		cause = "the registry refused the node's credentials";
		fix = 'Add an imagePullSecret with credentials for the registry.';
	}

	if (local) {
		fix = loaded
			? `${image} is in ${local.cluster}, but the pull policy makes the node pull it anyway: use imagePullPolicy IfNotPresent.`
			: `A local image is in no registry: load it into ${local.cluster} with ${local.loadCommand.replaceAll('IMAGE', image)}, and use imagePullPolicy IfNotPresent.`;
	}

	return {
		reason,
		container: status.name,
		title: `${status.name}: cannot pull ${image}`,
		explanation: `The node cannot pull ${image}: ${cause}.${local ? ` ${local.cluster} ${loaded ? 'has' : 'does not have'} this image.` : ''}`,
		fix,
	};
}

function configProblem(status: V1ContainerStatus, message: string): Omit<Diagnosis, 'state' | 'evidence'> {
	const missingObject = /(configmap|secret) "([^"]+)" not found/i.exec(message);
	const missingKey = /couldn't find key (\S+) in (ConfigMap|Secret) ([^/\s]+)\/(\S+)/.exec(message);
	let what = message;
	let fix = 'Fix the reference in the chart (todo-deploy lint finds these before a deploy).';
	if (missingObject) {
		const kind = missingObject[1]?.toLowerCase() === 'secret' ? 'Secret' : 'ConfigMap';
		what = `the ${kind} "${missingObject[2] ?? ''}" it reads does not exist`;
		fix = `Create ${kind} ${missingObject[2] ?? ''}, or point the reference at the one the chart creates (todo-deploy lint finds these before a deploy).`;
	} else if (missingKey) {
		what = `the ${missingKey[2] ?? ''} "${missingKey[4] ?? ''}" has no key "${missingKey[1] ?? ''}"`;
		fix = `Add the key ${missingKey[1] ?? ''} to ${missingKey[2] ?? ''} ${missingKey[4] ?? ''}, or refer to a key it has.`;
	}

	return {
		reason: 'CreateContainerConfigError',
		container: status.name,
		title: `${status.name}: ${what}`,
		explanation: `The container cannot be created because ${what}; the pod waits until it appears.`,
		fix,
	};
}

function crashProblem(pod: V1Pod, status: V1ContainerStatus, init: boolean, logs: readonly string[] | undefined): Omit<Diagnosis, 'state'> {
	const terminated = status.lastState?.terminated ?? status.state?.terminated;
	const exit = describeExit(terminated?.exitCode, terminated?.reason);
	const limit = specOf(pod, status.name, init)?.resources?.limits?.['memory'];
	const oom = terminated?.reason === 'OOMKilled';
	const evidence = [...lastLines(terminated?.message).map(line => `last message: ${line}`), ...(logs ?? []).slice(-5).map(line => `log: ${line}`)];
	return {
		reason: oom ? 'OOMKilled' : 'CrashLoopBackOff',
		container: status.name,
		title: `${init ? 'init container ' : ''}${status.name} keeps ${oom ? 'running out of memory' : 'crashing'} (${terminated?.exitCode === undefined ? '' : `exit ${terminated.exitCode}, `}${status.restartCount} restart${status.restartCount === 1 ? '' : 's'})`,
		explanation: `${init ? `The init container ${status.name} must finish before the app starts, but ` : 'Kubernetes keeps restarting the container, waiting longer each time, because '}${exit}.${oom ? ` Its memory limit is ${String(limit ?? "not set (the node's memory ran out)")}.` : ''}`,
		fix: oom
			? `Raise the memory limit${limit ? ` above ${String(limit)}` : ''} (resources.limits.memory in the chart's values), or find what uses the memory.`
			: terminated?.exitCode === 127 || terminated?.exitCode === 126
				? "Check the image's command and entrypoint (docker run IMAGE by hand shows the same error)."
				: terminated?.exitCode === 143
					? 'Look at the liveness probe events: a probe that fails while the app is busy or slow to start restarts it; add a startupProbe or loosen the liveness probe.'
					: `Read the last lines${evidence.length > 0 ? ' below' : ` (kubectl logs ${pod.metadata?.name ?? 'POD'} -c ${status.name} --previous)`}, fix the cause (often a missing setting, a wrong DATABASE_URL, or a database that is not ready), and the next restart picks it up.`,
		evidence,
	};
}

function unschedulable(message: string): {explanation: string; fix: string} {
	if (/Insufficient (cpu|memory)/i.test(message)) {
		const resource = /Insufficient (cpu|memory)/i.exec(message)?.[1]?.toLowerCase() ?? 'memory';
		return {
			explanation: `No node has enough free ${resource} for the pod's requests: ${message}`,
			fix: `Lower resources.requests.${resource} in the values, scale something down, or give the cluster more (minikube start --${resource === 'cpu' ? 'cpus' : 'memory'}=…, or a bigger Docker Desktop / WSL allowance).`,
		};
	}

	if (/unbound immediate PersistentVolumeClaims|persistentvolumeclaim .* not found/i.test(message)) {
		return {
			explanation: `The pod's PersistentVolumeClaim is not bound to a volume: ${message}`,
			fix: 'The cluster needs a default StorageClass that provisions volumes (minikube addons enable default-storageclass storage-provisioner; kind has one), or set persistence.storageClass.',
		};
	}

	if (/untolerated taint|didn't match Pod's node affinity|node\(s\) didn't match/i.test(message)) {
		return {
			explanation: `No node accepts the pod: ${message}`,
			fix: 'Remove the nodeSelector, affinity or the need for a tainted node from the values, or label and untaint a node to match.',
		};
	}

	return {
		explanation: `The scheduler cannot place the pod: ${message}`,
		fix: "Read the scheduler's message above: it lists, per node, why it was turned down.",
	};
}

function conditionMessage(pod: V1Pod, type: string): string | undefined {
	return pod.status?.conditions?.find(condition => condition.type === type && condition.status === 'False')?.message;
}

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
			return {
				state: 'failing',
				...imageProblem(status, message, input.localImages, reason === 'ImagePullBackOff' && /ErrImagePull/.test(message) ? 'ImagePullBackOff' : reason),
				evidence,
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
