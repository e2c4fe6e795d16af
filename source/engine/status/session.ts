// The live status screen's engine: one snapshot, then watches, the local cluster's images, logs,
// restarts and one port-forward; what it learns lands in the store, the screen only draws it.
import {preferSmallHeap} from '../../adapters/heap.js';
import {portForward} from '../../adapters/port-forward.js';
import type {System} from '../../adapters/system.js';
import {messageOf} from '../errors.js';
import type {AddressesHeld, AddressRequest} from '../browser/session.js';
import {resolveAndConnect, type ClusterChoice, type PodChoice} from '../cluster.js';
import {createStore, type Store} from '../store.js';
import type {StatusAction} from './actions.js';
import {clusterImagesOf, type ClusterImages} from './cluster-images.js';
import {createPortForwards, type PortForwards} from './forward.js';
import {initialStatusState, statusReducer, type StatusState} from './reducer.js';
import type {StatusSnapshot} from './snapshot.js';
import {followCluster, followClusterImages, followCrashes, followLogs, loadSnapshot, lookUpImagesOnce, readCrashLogs, restartPod, showLogs} from './run.js';
import {statusSnapshot} from './select.js';

export type StatusSession = {
	readonly store: Store<StatusState, StatusAction>;
	readonly context: string;
	readonly namespace: string;
	/** What the namespace looks like now (images looked up once for pods that wait for one). */
	snapshot(): Promise<StatusSnapshot>;
	/** What the store holds now, without asking anything. */
	current(): StatusSnapshot;
	/** Watches the cluster (and its images) until close(). */
	follow(): void;
	showLogs(pod: string, container: string, previous: boolean): void;
	/** Follows a container's logs in the panel; undefined stops following. */
	followLogs(pod: string | undefined, container: string): void;
	restart(pod: string): void;
	readonly forwards: PortForwards;
	/** Holds the release's browser addresses (engine/browser) while the screen is open; their state lands in the store. */
	holdAddresses(request: AddressRequest): Promise<void>;
	/** Opens the browser at the frontend's held address; what came of it lands in the store. */
	openBrowser(): void;
	close(): void;
};

/**
 * The files of an image whose module uvicorn could not import, looked into once each in this machine's
 * Docker (where todo-deploy built it); an image Docker does not have, or cannot open, is 'unknown'.
 */
function lookIntoImages(system: System, store: Store<StatusState, StatusAction>): {look(image: string): void; idle(): Promise<void>} {
	const looking: Array<Promise<void>> = [];
	return {
		look(image) {
			if (store.getState().imageTrees.has(image)) {
				return;
			}

			store.dispatch({type: 'status/image-tree', image, tree: 'unknown'});
			looking.push(
				(async () => {
					const {dockerClient, imageTree} = await import('../../adapters/images.js');
					const tree = await dockerClient(system.env, 10_000)
						.then(async docker => imageTree(docker, image))
						.catch(() => undefined);
					store.dispatch({type: 'status/image-tree', image, tree: tree ?? 'unknown'});
				})(),
			);
		},
		async idle() {
			await Promise.all(looking);
		},
	};
}

/** Connects and lists once; throws with a message for the person when the cluster cannot be reached. */
export async function openStatus(system: System, choice: ClusterChoice & PodChoice, options: {readonly live: boolean}): Promise<StatusSession> {
	// The long-lived screen keeps its heap near what is live (deploy's short watch and the load check do not).
	if (options.live) {
		preferSmallHeap();
	}

	const {target, cluster} = await resolveAndConnect(system, choice, {selector: choice.selector, release: choice.release});
	const store = createStore(statusReducer, initialStatusState());
	try {
		await loadSnapshot(cluster, store);
	} catch (error) {
		throw new Error(`${cluster.context} (${cluster.server}) could not list the pods: ${messageOf(error).split('\n')[0] ?? ''}`, {
			cause: error,
		});
	}

	// A kind cluster's or minikube profile's images, for pods that cannot get theirs.
	const lookup: ClusterImages | undefined = clusterImagesOf(system, target);
	const stops: Array<() => void> = [];
	let stopFollowing: (() => void) | undefined;
	const forwards = createPortForwards(store, async (pod, remote, local, events) =>
		portForward(system, {
			target,
			resource: `pod/${pod}`,
			port: remote,
			localPort: local,
			timeoutMs: 20_000,
			...events,
		}),
	);
	const where = {context: cluster.context, namespace: target.namespace};
	const lookInto = lookIntoImages(system, store);
	let held: AddressesHeld | undefined;
	let closed = false;
	return {
		store,
		context: cluster.context,
		namespace: target.namespace,
		async snapshot() {
			// A crashed container's last lines, so one snapshot diagnoses as well as the live screen.
			await readCrashLogs(cluster, store, 8, lookInto.look);
			await lookInto.idle();
			if (lookup) {
				await lookUpImagesOnce(store, lookup);
			}

			return statusSnapshot(store.getState(), where);
		},
		current: () => statusSnapshot(store.getState(), where),
		follow() {
			stops.push(followCluster(cluster, store));
			stops.push(followCrashes(cluster, store, lookInto.look));
			if (lookup) {
				stops.push(followClusterImages(store, lookup));
			}
		},
		showLogs(pod, container, previous) {
			void showLogs(cluster, store, pod, container, previous);
		},
		followLogs(pod, container) {
			stopFollowing?.();
			stopFollowing = pod ? followLogs(cluster, store, pod, container) : undefined;
		},
		restart(pod) {
			void restartPod(cluster, store, pod);
		},
		forwards,
		async holdAddresses(request) {
			const {holdReleaseAddresses} = await import('../browser/session.js');
			held = await holdReleaseAddresses(system, cluster, target, request, addresses => store.dispatch({type: 'status/addresses', addresses}));
			if (closed) {
				await held.stop();
				return;
			}

			store.dispatch({type: 'status/addresses', addresses: held.addresses()});
			if (held.missing.length > 0) {
				store.dispatch({type: 'status/notice', text: `No Service for the ${held.missing.join(' or the ')} in this release: its address is not held.`});
			}
		},
		openBrowser() {
			const frontend = store.getState().addresses.find(address => address.side === 'frontend');
			if (!frontend) {
				store.dispatch({type: 'status/notice', text: 'No address is held for the frontend (it has no Service in this release).'});
				return;
			}

			store.dispatch({type: 'status/browser', url: frontend.url, opened: undefined});
			void (async () => {
				const {openBrowser} = await import('../browser/open.js');
				store.dispatch({type: 'status/browser', url: frontend.url, opened: await openBrowser(system, frontend.url)});
			})();
		},
		close() {
			closed = true;
			void held?.stop();
			forwards.stop();
			stopFollowing?.();
			for (const stop of stops) {
				stop();
			}
		},
	};
}
