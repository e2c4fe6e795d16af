// A simulated controller manager and kubelet for the simulated API server: Deployments and
// StatefulSets get pods, pods start (or fail the way a test says, with the messages a real kubelet
// writes), and the workloads' status follows, so `todo-deploy deploy` and helm see a rollout happen.
import {createHash, randomBytes} from 'node:crypto';
import type {SimulatedCluster, WatchEvent} from './apiserver.js';

type Json = Record<string, unknown>;

export type PodOutcome =
	| {readonly type: 'ready'}
	| {readonly type: 'waiting'; readonly reason: string; readonly message: string}
	| {readonly type: 'crash'; readonly exitCode: number; readonly logs: readonly string[]}
	| {readonly type: 'not-ready'; readonly message: string};

/** What happens to a pod; a promise is a kubelet still probing (the pod stays starting until it settles). */
export type PodBehaviour = (pod: {
	readonly name: string;
	readonly namespace: string;
	readonly images: readonly string[];
	readonly labels: Readonly<Record<string, string>>;
}) => PodOutcome | Promise<PodOutcome>;

const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const suffix = (length: number) =>
	randomBytes(8)
		.toString('hex')
		.replace(/[0-9]/g, digit => 'bcdfghjklm'[Number(digit)] ?? 'x')
		.slice(0, length);

export function startController(cluster: SimulatedCluster, behaviour: PodBehaviour = () => ({type: 'ready'}), startDelayMs = 150): () => void {
	const templates = new Map<string, string>();
	const timers = new Set<NodeJS.Timeout>();
	const later = (ms: number, run: () => void) => {
		const timer = setTimeout(() => {
			timers.delete(timer);
			run();
		}, ms);
		timers.add(timer);
	};

	const podsOf = (namespace: string, owner: string) =>
		cluster
			.list('Pod', namespace)
			.filter(pod => ((pod['metadata'] as Json)['ownerReferences'] as Array<{name: string}> | undefined)?.some(reference => reference.name === owner));

	const updateWorkload = (kind: string, namespace: string, name: string) => {
		const workload = cluster.get(kind, namespace, name);
		if (!workload) {
			return;
		}

		const spec = workload['spec'] as {replicas?: number};
		const replicas = spec.replicas ?? 1;
		const pods = podsOf(namespace, name);
		const ready = pods.filter(pod =>
			((pod['status'] as Json | undefined)?.['conditions'] as Array<{type: string; status: string}> | undefined)?.some(
				condition => condition.type === 'Ready' && condition.status === 'True',
			),
		).length;
		const generation = (workload['metadata'] as Json)['generation'];
		const status: Json =
			kind === 'Deployment'
				? {
						observedGeneration: generation,
						replicas: pods.length,
						updatedReplicas: pods.length,
						readyReplicas: ready,
						availableReplicas: ready,
						...(ready < replicas ? {unavailableReplicas: replicas - ready} : {}),
						conditions: [
							{
								type: 'Available',
								status: ready >= replicas ? 'True' : 'False',
								reason: ready >= replicas ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
								message: ready >= replicas ? 'Deployment has minimum availability.' : 'Deployment does not have minimum availability.',
								lastUpdateTime: now(),
								lastTransitionTime: now(),
							},
							{
								type: 'Progressing',
								status: 'True',
								reason: ready >= replicas ? 'NewReplicaSetAvailable' : 'ReplicaSetUpdated',
								message: `ReplicaSet "${name}" ${ready >= replicas ? 'has successfully progressed' : 'is progressing'}.`,
								lastUpdateTime: now(),
								lastTransitionTime: now(),
							},
						],
					}
				: {
						observedGeneration: generation,
						replicas: pods.length,
						readyReplicas: ready,
						currentReplicas: pods.length,
						updatedReplicas: pods.length,
						availableReplicas: ready,
						currentRevision: `${name}-1`,
						updateRevision: `${name}-1`,
						collisionCount: 0,
					};
		cluster.put({...workload, status});
	};

	const startPod = async (kind: string, owner: string, namespace: string, podName: string) => {
		const created = cluster.get('Pod', namespace, podName);
		if (!created) {
			return;
		}

		const spec = created['spec'] as {containers: Array<{name: string; image: string}>};
		const metadata = created['metadata'] as {labels?: Record<string, string>};
		const outcome = await behaviour({name: podName, namespace, images: spec.containers.map(container => container.image), labels: metadata.labels ?? {}});
		// The pod may have been replaced or deleted while the kubelet was at it.
		const pod = cluster.get('Pod', namespace, podName);
		if (!pod) {
			return;
		}
		const started = now();
		const readyNow = outcome.type === 'ready';
		const containerStatuses = spec.containers.map(container => {
			const base = {
				name: container.name,
				image: container.image,
				imageID: '',
				restartCount: outcome.type === 'crash' ? 3 : 0,
				ready: readyNow,
				started: outcome.type === 'ready' || outcome.type === 'not-ready',
			};
			if (outcome.type === 'waiting') {
				return {...base, state: {waiting: {reason: outcome.reason, message: outcome.message}}};
			}

			if (outcome.type === 'crash') {
				return {
					...base,
					state: {
						waiting: {
							reason: 'CrashLoopBackOff',
							message: `back-off 40s restarting failed container=${container.name} pod=${podName}_${namespace}(${String((pod['metadata'] as Json)['uid'])})`,
						},
					},
					lastState: {terminated: {exitCode: outcome.exitCode, reason: 'Error', startedAt: started, finishedAt: started}},
				};
			}

			return {
				...base,
				containerID: `containerd://${createHash('sha256')
					.update(podName + container.name)
					.digest('hex')}`,
				state: {running: {startedAt: started}},
			};
		});
		const conditions = [
			{type: 'PodReadyToStartContainers', status: 'True', lastTransitionTime: started},
			{type: 'Initialized', status: 'True', lastTransitionTime: started},
			{
				type: 'Ready',
				status: readyNow ? 'True' : 'False',
				lastTransitionTime: started,
				...(readyNow
					? {}
					: {reason: 'ContainersNotReady', message: `containers with unready status: [${spec.containers.map(container => container.name).join(' ')}]`}),
			},
			{type: 'ContainersReady', status: readyNow ? 'True' : 'False', lastTransitionTime: started},
			{type: 'PodScheduled', status: 'True', lastTransitionTime: started},
		];
		cluster.put({
			...pod,
			status: {
				phase: outcome.type === 'waiting' && /Image|Pull/.test(outcome.reason) ? 'Pending' : 'Running',
				conditions,
				hostIP: '127.0.0.1',
				podIP: '127.0.0.1',
				startTime: started,
				containerStatuses,
			},
		});
		if (outcome.type === 'crash') {
			cluster.setLogs(namespace, podName, spec.containers[0]?.name ?? '', outcome.logs);
		}

		if (outcome.type === 'not-ready') {
			const uid = String((pod['metadata'] as Json)['uid']);
			cluster.put({
				apiVersion: 'v1',
				kind: 'Event',
				metadata: {name: `${podName}.${suffix(8)}`, namespace},
				involvedObject: {kind: 'Pod', name: podName, namespace, uid, fieldPath: `spec.containers{${spec.containers[0]?.name ?? ''}}`},
				reason: 'Unhealthy',
				message: outcome.message,
				type: 'Warning',
				count: 4,
				firstTimestamp: started,
				lastTimestamp: started,
				source: {component: 'kubelet', host: 'sim-control-plane'},
			});
		}

		updateWorkload(kind, namespace, owner);
	};

	/** Pods the controller itself removed (a new template replaces them): no replacement is made for those. */
	const retiring = new Set<string>();

	const createPod = (workload: Json, hash: string, index: number) => {
		const kind = String(workload['kind']);
		const metadata = workload['metadata'] as {name: string; namespace: string; uid: string};
		const spec = workload['spec'] as {template: {metadata?: {labels?: Record<string, string>}; spec: Json}};
		const podName = kind === 'StatefulSet' ? `${metadata.name}-${index}` : `${metadata.name}-${hash.slice(0, 10)}-${suffix(5)}`;
		const claimTemplates =
			(workload['spec'] as {volumeClaimTemplates?: Array<{metadata?: {name?: string; labels?: Record<string, string>}; spec?: Json}>}).volumeClaimTemplates ??
			[];
		// As the StatefulSet controller does: a claim per template and pod, made once and never deleted by it
		// (helm uninstall leaves them too).
		for (const template of kind === 'StatefulSet' ? claimTemplates : []) {
			const claim = `${template.metadata?.name ?? 'data'}-${podName}`;
			if (!cluster.get('PersistentVolumeClaim', metadata.namespace, claim)) {
				cluster.put({
					apiVersion: 'v1',
					kind: 'PersistentVolumeClaim',
					metadata: {name: claim, namespace: metadata.namespace, labels: template.metadata?.labels ?? {}},
					spec: template.spec ?? {},
					status: {phase: 'Bound'},
				});
			}
		}

		cluster.put({
			apiVersion: 'v1',
			kind: 'Pod',
			metadata: {
				name: podName,
				namespace: metadata.namespace,
				labels: spec.template.metadata?.labels ?? {},
				creationTimestamp: now(),
				ownerReferences: [{apiVersion: 'apps/v1', kind: kind === 'Deployment' ? 'ReplicaSet' : kind, name: metadata.name, uid: metadata.uid, controller: true}],
			},
			spec: {...spec.template.spec, nodeName: 'sim-control-plane'},
			status: {phase: 'Pending', conditions: [{type: 'PodScheduled', status: 'True', lastTransitionTime: now()}]},
		});
		later(startDelayMs, () => void startPod(kind, metadata.name, metadata.namespace, podName));
	};

	/** A pod deleted by someone else (kubectl delete pod, the status screen's restart): its controller makes another, as a ReplicaSet does. */
	const replace = (pod: Json) => {
		const metadata = pod['metadata'] as {name: string; namespace: string; ownerReferences?: Array<{kind: string; name: string}>};
		if (retiring.delete(`${metadata.namespace}/${metadata.name}`)) {
			return;
		}

		const owner = metadata.ownerReferences?.[0];
		const kind = owner?.kind === 'ReplicaSet' ? 'Deployment' : owner?.kind;
		const workload = owner && kind ? cluster.get(kind, metadata.namespace, owner.name) : undefined;
		const hash = workload ? templates.get(`${kind ?? ''}/${metadata.namespace}/${owner?.name ?? ''}`) : undefined;
		if (owner && workload && hash) {
			const index = kind === 'StatefulSet' ? Number(/-(\d+)$/.exec(metadata.name)?.[1] ?? 0) : 0;
			later(0, () => {
				createPod(workload, hash, index);
				updateWorkload(String(kind), metadata.namespace, owner.name);
			});
		}
	};

	const reconcile = (workload: Json) => {
		const kind = String(workload['kind']);
		const metadata = workload['metadata'] as {name: string; namespace: string; uid: string};
		const spec = workload['spec'] as {replicas?: number; template: {metadata?: {labels?: Record<string, string>}; spec: Json}};
		const key = `${kind}/${metadata.namespace}/${metadata.name}`;
		const hash = createHash('sha256')
			.update(JSON.stringify([spec.template, spec.replicas]))
			.digest('hex')
			.slice(0, 10);
		if (templates.get(key) === hash) {
			return;
		}

		templates.set(key, hash);
		for (const old of podsOf(metadata.namespace, metadata.name)) {
			const oldName = String((old['metadata'] as Json)['name']);
			retiring.add(`${metadata.namespace}/${oldName}`);
			cluster.remove('Pod', metadata.namespace, oldName);
		}

		const replicas = spec.replicas ?? 1;
		for (let index = 0; index < replicas; index++) {
			createPod(workload, hash, index);
		}

		updateWorkload(kind, metadata.namespace, metadata.name);
	};

	const unsubscribe = cluster.subscribe((event: WatchEvent) => {
		const kind = event.object['kind'];
		if (kind === 'Pod' && event.type === 'DELETED') {
			replace(event.object);
			return;
		}

		if (kind !== 'Deployment' && kind !== 'StatefulSet') {
			return;
		}

		const metadata = event.object['metadata'] as {name: string; namespace: string};
		if (event.type === 'DELETED') {
			templates.delete(`${String(kind)}/${metadata.namespace}/${metadata.name}`);
			later(0, () => {
				for (const pod of podsOf(metadata.namespace, metadata.name)) {
					const podName = String((pod['metadata'] as Json)['name']);
					retiring.add(`${metadata.namespace}/${podName}`);
					cluster.remove('Pod', metadata.namespace, podName);
				}
			});
			return;
		}

		// After the current request: the controller acts on what was stored, as a real one would.
		later(0, () => {
			const current = cluster.get(String(kind), metadata.namespace, metadata.name);
			if (current) {
				reconcile(current);
			}
		});
	});
	return () => {
		unsubscribe();
		for (const timer of timers) {
			clearTimeout(timer);
		}
	};
}
