// The Kubernetes API for the status screen, through @kubernetes/client-node: lists, informers that
// recover, logs and pod deletion. Loaded only when a command talks to a cluster.
import type {CoreV1Event, KubernetesListObject, KubernetesObject, V1Deployment, V1Pod, V1StatefulSet} from '@kubernetes/client-node';
import type {System} from './system.js';
import {loadKubeconfig} from './kube.js';

const importClient = async () => import('@kubernetes/client-node');

export type ClusterTarget = {readonly context?: string | undefined; readonly namespace: string; readonly selector?: string | undefined};

export type Snapshot = {
	readonly pods: readonly V1Pod[];
	readonly events: readonly CoreV1Event[];
	readonly deployments: readonly V1Deployment[];
	readonly statefulSets: readonly V1StatefulSet[];
};

export type WatchKind = 'pods' | 'events' | 'deployments' | 'statefulsets';

export type WatchHandlers = {
	upsert(kind: WatchKind, object: KubernetesObject): void;
	remove(kind: WatchKind, object: KubernetesObject): void;
	/** The watch dropped and is being restarted after delayMs. */
	reconnecting(kind: WatchKind, reason: string, delayMs: number): void;
	connected(kind: WatchKind): void;
};

export type Cluster = {
	readonly context: string;
	readonly server: string;
	snapshot(): Promise<Snapshot>;
	/** Starts watching; returns the function that stops every watch. */
	watch(handlers: WatchHandlers): () => void;
	logs(pod: string, container: string, options: {previous: boolean; tailLines: number}): Promise<string>;
	deletePod(pod: string): Promise<void>;
};

export class ClusterError extends Error {
	override name = 'ClusterError';
}

export async function connectCluster(system: System, target: ClusterTarget): Promise<Cluster> {
	const loaded = await loadKubeconfig(system);
	if (loaded.type === 'none') {
		throw new ClusterError(`no kubeconfig (looked in ${loaded.files.join(', ')}): start a cluster first (todo-deploy doctor says how)`);
	}

	if (loaded.type === 'broken') {
		throw new ClusterError(`the kubeconfig ${loaded.file} cannot be read: ${loaded.message}`);
	}

	const client = await importClient();
	const kc = new client.KubeConfig();
	kc.loadFromOptions({clusters: loaded.config.getClusters(), users: loaded.config.getUsers(), contexts: loaded.config.getContexts(), currentContext: target.context ?? loaded.config.getCurrentContext()});
	if (target.context && !kc.getContextObject(target.context)) {
		throw new ClusterError(`no context "${target.context}" in the kubeconfig (it has ${kc.getContexts().map(context => context.name).join(', ') || 'none'})`);
	}

	const core = kc.makeApiClient(client.CoreV1Api);
	const apps = kc.makeApiClient(client.AppsV1Api);
	const {namespace} = target;
	const labelSelector = target.selector;
	const lists = {
		pods: async () => core.listNamespacedPod({namespace, labelSelector}),
		events: async () => core.listNamespacedEvent({namespace}),
		deployments: async () => apps.listNamespacedDeployment({namespace, labelSelector}),
		statefulsets: async () => apps.listNamespacedStatefulSet({namespace, labelSelector}),
	} as const;
	const paths: Record<WatchKind, string> = {
		pods: `/api/v1/namespaces/${namespace}/pods`,
		events: `/api/v1/namespaces/${namespace}/events`,
		deployments: `/apis/apps/v1/namespaces/${namespace}/deployments`,
		statefulsets: `/apis/apps/v1/namespaces/${namespace}/statefulsets`,
	};

	return {
		context: kc.getCurrentContext(),
		server: kc.getCurrentCluster()?.server ?? '?',
		async snapshot() {
			const [pods, events, deployments, statefulSets] = await Promise.all([lists.pods(), lists.events(), lists.deployments(), lists.statefulsets()]);
			return {pods: pods.items, events: events.items, deployments: deployments.items, statefulSets: statefulSets.items};
		},
		watch(handlers) {
			const stops: Array<() => void> = [];
			for (const kind of Object.keys(paths) as WatchKind[]) {
				const informer = client.makeInformer(kc, paths[kind], lists[kind] as () => Promise<KubernetesListObject<KubernetesObject>>, kind === 'events' ? undefined : labelSelector);
				let stopped = false;
				let attempt = 0;
				informer.on('add', object => handlers.upsert(kind, object));
				informer.on('update', object => handlers.upsert(kind, object));
				informer.on('delete', object => handlers.remove(kind, object));
				informer.on('connect', () => {
					attempt = 0;
					handlers.connected(kind);
				});
				// client-node's informer re-lists on 410 Gone itself but stays stopped after other errors: restart it with backoff.
				informer.on('error', (error: unknown) => {
					if (stopped) {
						return;
					}

					attempt++;
					const delayMs = Math.min(30_000, 500 * (2 ** Math.min(attempt - 1, 6)));
					handlers.reconnecting(kind, error instanceof Error ? error.message : String(error), delayMs);
					setTimeout(() => {
						if (!stopped) {
							void informer.start().catch(() => undefined);
						}
					}, delayMs).unref();
				});
				void informer.start().catch((error: unknown) => {
					handlers.reconnecting(kind, error instanceof Error ? error.message : String(error), 500);
				});
				stops.push(() => {
					stopped = true;
					void informer.stop();
				});
			}

			return () => {
				for (const stop of stops) {
					stop();
				}
			};
		},
		async logs(pod, container, options) {
			return core.readNamespacedPodLog({name: pod, namespace, container, previous: options.previous, tailLines: options.tailLines});
		},
		async deletePod(pod) {
			await core.deleteNamespacedPod({name: pod, namespace});
		},
	};
}
