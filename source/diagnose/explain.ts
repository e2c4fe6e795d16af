// Pure pieces of a diagnosis: exit codes, probes, images, config references and scheduling, in plain words.
import type {V1Container, V1ContainerStatus, V1Pod, V1Probe} from '@kubernetes/client-node';
import {execCause} from './exec.js';
import {pullCause} from './pull.js';
import {databaseCause} from './database.js';
import {startCause, startPod} from './start.js';
import type {Diagnosis, LocalImages, PodEvent} from './types.js';

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

export function describeExit(exitCode: number | undefined, reason: string | undefined): string {
	if (reason === 'OOMKilled') {
		return 'it was killed for using more memory than its limit (OOMKilled, exit 137)';
	}

	return exitCode === undefined ? 'it stopped' : (exitCodeMeanings[exitCode] ?? `it exited with code ${exitCode}${reason ? ` (${reason})` : ''}`);
}

export const lastLines = (text: string | undefined, count = 5) =>
	(text ?? '')
		.split('\n')
		.map(line => line.trimEnd())
		.filter(Boolean)
		.slice(-count);

export function eventsFor(events: readonly PodEvent[], container?: string): PodEvent[] {
	return events.filter(event => !container || !event.involvedObject?.fieldPath || event.involvedObject.fieldPath.includes(`{${container}}`));
}

export function eventLine(event: PodEvent): string {
	return `${event.type ?? 'Normal'} ${event.reason ?? ''}${(event.count ?? 1) > 1 ? ` (x${event.count ?? 1})` : ''}: ${event.message ?? ''}`;
}

export function probeTarget(probe: V1Probe | undefined): string {
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
export function probeFailure(message: string, probe: V1Probe | undefined): {meaning: string; fix: string} {
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

export function specOf(pod: V1Pod, name: string, init: boolean): V1Container | undefined {
	return (init ? pod.spec?.initContainers : pod.spec?.containers)?.find(container => container.name === name);
}

/** The pull policy the kubelet uses: the container's, else Kubernetes' default (Always for :latest or no tag, IfNotPresent otherwise). */
export function effectivePullPolicy(image: string, declared: string | undefined): {readonly policy: string; readonly implied: boolean} {
	if (declared) {
		return {policy: declared, implied: false};
	}

	const tag = /@/.test(image) ? 'digest' : /:([^:/]+)$/.exec(image)?.[1];
	return {policy: tag === undefined || tag === 'latest' ? 'Always' : 'IfNotPresent', implied: true};
}

export function imageProblem(
	status: V1ContainerStatus,
	message: string,
	local: LocalImages | undefined,
	reason: string,
	declaredPolicy?: string,
): Omit<Diagnosis, 'state' | 'evidence'> {
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

	// A registry image (postgres, busybox) is not a local image that was never loaded: its cause is the pull's.
	const ours = /(^|\/)todo-(backend|frontend)(:|@|$)/.test(image) || otherTags.length > 0;
	const preload = local ? `docker pull ${image} && ${local.loadCommand.replaceAll('IMAGE', image)}` : `docker pull ${image}, then load it into the cluster`;
	const pulled = pullCause({message, image, imageHost: image.split('/')[0] ?? '', preload});
	let {fix} = pulled;
	const {cause} = pulled;

	// An image built here was never in a registry: loading it is the fix, unless the pull failed on the way (a network cause).
	const builtHere = local && !pulled.wiring && (ours || !pulled.network);
	if (local && builtHere) {
		// The pull policy is named only when it is what makes the node pull: Always (declared, or implied by :latest).
		const {policy, implied} = effectivePullPolicy(image, declaredPolicy);
		const pulls = policy === 'Always';
		const why = implied ? `the tag ${image.includes(':') ? ':latest' : '(none, so :latest)'} makes the pull policy Always` : 'its pull policy is Always';
		const load = local.loadCommand.replaceAll('IMAGE', image);
		if (loaded) {
			fix = pulls
				? `${image} is in ${local.cluster}, but ${why}, so the node pulls it anyway: use imagePullPolicy IfNotPresent${implied ? ', or a tag other than latest' : ''}.`
				: `${local.cluster} has ${image} and the pull policy is ${policy}, yet the node pulled: it is not on the node this pod runs on, or under another name there. Load it again (${load}), then restart the pod (r).`;
		} else {
			fix = `A local image is in no registry: load it into ${local.cluster} with ${load}${pulls ? `, and use imagePullPolicy IfNotPresent (${why})` : ''}.`;
		}
	}

	return {
		reason,
		container: status.name,
		title: `${status.name}: cannot pull ${image}`,
		explanation: `The node cannot pull ${image}: ${cause}.${local && builtHere ? ` ${local.cluster} ${loaded ? 'has' : 'does not have'} this image.` : ''}`,
		fix,
	};
}

export function configProblem(status: V1ContainerStatus, message: string): Omit<Diagnosis, 'state' | 'evidence'> {
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

export function crashProblem(pod: V1Pod, status: V1ContainerStatus, init: boolean, logs: readonly string[] | undefined): Omit<Diagnosis, 'state'> {
	const terminated = status.lastState?.terminated ?? status.state?.terminated;
	const database = databaseCause([...lastLines(terminated?.message, 20), ...(logs ?? [])]);
	if (database) {
		return {
			reason: 'CrashLoopBackOff',
			container: status.name,
			title: `${status.name} keeps crashing: ${database.title} (${status.restartCount} restart${status.restartCount === 1 ? '' : 's'})`,
			explanation: database.explanation,
			fix: database.fix,
			evidence: [`log: ${database.line.trim()}`],
			database: {kind: database.kind, host: database.host},
		};
	}

	const exec = execCause([...lastLines(terminated?.message, 20), ...(logs ?? [])]);
	if (exec) {
		return {
			reason: 'CrashLoopBackOff',
			container: status.name,
			title: `${init ? 'init container ' : ''}${status.name} keeps crashing: ${exec.title} (${status.restartCount} restart${status.restartCount === 1 ? '' : 's'})`,
			explanation: exec.explanation,
			fix: exec.fix,
			evidence: [`log: ${exec.line.trim()}`],
		};
	}

	const start = startCause([...lastLines(terminated?.message, 20), ...(logs ?? [])], startPod(pod, status.name));
	if (start) {
		return {
			reason: 'CrashLoopBackOff',
			container: status.name,
			title: `${init ? 'init container ' : ''}${status.name} keeps crashing: ${start.title} (${status.restartCount} restart${status.restartCount === 1 ? '' : 's'})`,
			explanation: start.explanation,
			fix: start.fix,
			evidence: [`log: ${start.line.trim()}`],
			...(start.module ? {module: {name: start.module, image: status.image}} : {}),
		};
	}

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

export function unschedulable(message: string): {explanation: string; fix: string} {
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

	// The kubelet taints its own node when the disk fills up: a machine problem, not a selector to remove.
	// Newer schedulers say "untolerated taint {…}", older ones "had taint {…}, that the pod didn't tolerate".
	const pressure = /(?:untolerated taint|had taints?) \{node\.kubernetes\.io\/(disk|memory|pid)-pressure/i.exec(message)?.[1]?.toLowerCase();
	if (pressure) {
		return {
			explanation: `The node is short of ${pressure === 'disk' ? 'disk space' : pressure === 'memory' ? 'memory' : 'process ids'}: its kubelet marked it ${pressure}-pressure and takes no new pods until it recovers: ${message}`,
			fix:
				pressure === 'disk'
					? "Free disk where the node keeps its images: docker system prune -a on this machine (minikube: minikube ssh -- docker system prune -a; kind: docker exec NAME-control-plane crictl rmi --prune), or give Docker Desktop / WSL a bigger disk. The taint goes once the kubelet sees room (minikube's node evicts at 85% used); don't add a toleration."
					: `Stop what uses the ${pressure === 'memory' ? 'memory' : 'processes'} on the node, or give the cluster more (minikube start --memory=…, a bigger Docker Desktop / WSL allowance); the taint goes once the kubelet recovers.`,
		};
	}

	if (/untolerated taint|that the pod didn't tolerate|didn't match Pod's node affinity|node\(s\) didn't match/i.test(message)) {
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

export function conditionMessage(pod: V1Pod, type: string): string | undefined {
	return pod.status?.conditions?.find(condition => condition.type === type && condition.status === 'False')?.message;
}
