// Feeds the status store: one snapshot, then watches; every change lands at once, the screen throttles drawing.
import type {KubernetesObject, V1Pod} from '@kubernetes/client-node';
import type {Cluster, WatchKind} from '../../adapters/cluster.js';
import type {Store} from '../store.js';
import type {ClusterImages} from './cluster-images.js';
import type {StatusAction} from './actions.js';
import type {StatusState} from './reducer.js';
import {isImageReason} from '../../diagnose/pull.js';

export async function loadSnapshot(cluster: Cluster, store: Store<StatusState, StatusAction>): Promise<void> {
	store.dispatch({type: 'status/snapshot', snapshot: await cluster.snapshot()});
}

export function followCluster(cluster: Cluster, store: Store<StatusState, StatusAction>): () => void {
	// Events of the same moment land as one action: one copy of the pod map, not one per event.
	let batch: Array<{op: 'upsert' | 'remove'; kind: WatchKind; object: KubernetesObject}> = [];
	let timer: NodeJS.Timeout | undefined;
	const queue = (op: 'upsert' | 'remove', kind: WatchKind, object: KubernetesObject) => {
		batch.push({op, kind, object});
		timer ??= setTimeout(() => {
			timer = undefined;
			const changes = batch;
			batch = [];
			store.dispatch({type: 'status/batch', changes});
		}, 1);
	};

	const stop = cluster.watch({
		upsert: (kind, object) => queue('upsert', kind, object),
		remove: (kind, object) => queue('remove', kind, object),
		connected: kind => store.dispatch({type: 'status/connected', kind}),
		reconnecting: (kind, reason, delayMs) =>
			store.dispatch({type: 'status/reconnecting', kind, reason: `${reason.split('\n')[0] ?? reason}; again in ${Math.round(delayMs / 100) / 10} s`, delayMs}),
	});
	return () => {
		clearTimeout(timer);
		stop();
	};
}

export async function showLogs(cluster: Cluster, store: Store<StatusState, StatusAction>, pod: string, container: string, previous: boolean): Promise<void> {
	const asked = {type: 'logs', pod, container, previous, lines: undefined} as const;
	store.dispatch({type: 'status/panel', panel: asked});
	// The answer goes to the panel only while it still waits for it: a key pressed meanwhile (r, e, d…) wins.
	const answer = (panel: Extract<StatusState['panel'], {type: 'logs'}>) => {
		if (store.getState().panel === asked) {
			store.dispatch({type: 'status/panel', panel});
		}
	};

	try {
		const text = await cluster.logs(pod, container, {previous, tailLines: 20});
		answer({...asked, lines: text.split('\n').filter(Boolean).slice(-20)});
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error);
		answer({
			...asked,
			lines: [],
			error:
				previous && /previous terminated container|not found/i.test(message)
					? 'There is no previous container: it has not restarted.'
					: `The logs could not be read: ${message.split('\n')[0] ?? message}`,
		});
	}
}

export async function restartPod(cluster: Cluster, store: Store<StatusState, StatusAction>, pod: string): Promise<void> {
	try {
		await cluster.deletePod(pod);
		store.dispatch({type: 'status/notice', text: `Pod ${pod} deleted; its controller starts a new one.`});
	} catch (error) {
		store.dispatch({type: 'status/notice', text: `Pod ${pod} could not be deleted: ${error instanceof Error ? error.message : String(error)}`});
	}
}

/** Follows the container's logs into the panel; the returned function stops it. */
export function followLogs(cluster: Cluster, store: Store<StatusState, StatusAction>, pod: string, container: string): () => void {
	store.dispatch({type: 'status/panel', panel: {type: 'logs', pod, container, previous: false, lines: [], following: true}});
	return cluster.followLogs(
		pod,
		container,
		line => store.dispatch({type: 'status/log-line', pod, container, line}),
		error => {
			const {panel} = store.getState();
			if (panel.type === 'logs' && panel.pod === pod && panel.following) {
				store.dispatch({
					type: 'status/panel',
					panel: {...panel, following: false, ...(error ? {error: `The log stream ended: ${error.split('\n')[0] ?? error}`} : {})},
				});
			}
		},
	);
}

/** A container of the pod waits for an image it cannot pull, or may not pull. */
export function waitsForImage(pod: V1Pod): boolean {
	return [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])].some(status =>
		isImageReason(status.state?.waiting?.reason ?? ''),
	);
}

const anyWaitsForImage = (state: StatusState) => [...state.pods.values()].some(pod => waitsForImage(pod));

/** Asks the cluster for its images and puts the answer in the store; a cluster that does not answer changes nothing. */
async function lookUpImages(store: Store<StatusState, StatusAction>, lookup: ClusterImages, still: () => boolean = () => true): Promise<void> {
	const images = await lookup().catch(() => undefined);
	if (images && still()) {
		store.dispatch({type: 'status/local-images', images});
	}
}

/** Looks the local cluster's images up once, when a pod waits for an image. */
export async function lookUpImagesOnce(store: Store<StatusState, StatusAction>, lookup: ClusterImages): Promise<void> {
	if (anyWaitsForImage(store.getState())) {
		await lookUpImages(store, lookup);
	}
}

/**
 * Keeps the local cluster's images known while a pod waits for an image (a `kind load` in another
 * terminal shows up within seconds): looked up when such a pod appears or changes, at most every 5 s.
 */
export function followClusterImages(store: Store<StatusState, StatusAction>, lookup: ClusterImages, intervalMs = 5000): () => void {
	let stopped = false;
	let running = false;
	let wanted = false;
	let last = 0;
	const check = () => {
		if (stopped || running || !wanted || Date.now() - last < intervalMs) {
			return;
		}

		running = true;
		wanted = false;
		last = Date.now();
		void lookUpImages(store, lookup, () => !stopped).finally(() => {
			running = false;
		});
	};

	const unsubscribe = store.subscribe((_state, action) => {
		const pods =
			action.type === 'status/batch'
				? action.changes.filter(change => change.kind === 'pods' && change.op === 'upsert').map(change => change.object as V1Pod)
				: action.type === 'status/snapshot'
					? action.snapshot.pods
					: [];
		if (pods.some(pod => waitsForImage(pod))) {
			wanted = true;
			check();
		}
	});
	// A pod that keeps waiting changes only on the kubelet's back-off: look again on a timer while any does.
	const timer = setInterval(() => {
		wanted ||= anyWaitsForImage(store.getState());
		check();
	}, intervalMs);
	timer.unref();
	wanted = anyWaitsForImage(store.getState());
	check();
	return () => {
		stopped = true;
		unsubscribe();
		clearInterval(timer);
	};
}

/** Containers that crashed since their last lines were read: their previous run's output, for the diagnosis. */
/** uvicorn's own words for a module it cannot import: the image is worth looking into. */
const importFailed = /Error loading ASGI app\. Could not import module "/;

export async function readCrashLogs(
	cluster: Cluster,
	store: Store<StatusState, StatusAction>,
	limit = 8,
	/** Looks into an image once (the module uvicorn could not import): the session's, with this machine's Docker. */
	lookInto?: (image: string) => void,
): Promise<void> {
	const state = store.getState();
	const wanted: Array<{pod: string; container: string; restarts: number}> = [];
	for (const [name, pod] of state.pods) {
		for (const status of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
			const crashed =
				status.restartCount > 0 &&
				(status.state?.waiting?.reason === 'CrashLoopBackOff' || (status.lastState?.terminated?.exitCode ?? 0) !== 0 || status.state?.terminated);
			const known = state.crashLogs.get(`${name}/${status.name}`);
			if (crashed && known?.restarts !== status.restartCount) {
				wanted.push({pod: name, container: status.name, restarts: status.restartCount});
			}
		}
	}

	await Promise.all(
		wanted.slice(0, limit).map(async ({pod, container, restarts}) => {
			const text = await cluster.logs(pod, container, {previous: true, tailLines: 20}).catch(() => '');
			const image = store
				.getState()
				.pods.get(pod)
				?.spec?.containers.find(spec => spec.name === container)?.image;
			if (lookInto && image && importFailed.test(text)) {
				lookInto(image);
			}

			store.dispatch({
				type: 'status/crash-logs',
				pod,
				container,
				restarts,
				lines: text
					.split('\n')
					.map(line => line.trimEnd())
					.filter(Boolean),
			});
		}),
	);
}

/** While the screen runs: a container that crashes again has its last lines read (at most every 2 s). */
export function followCrashes(cluster: Cluster, store: Store<StatusState, StatusAction>, lookInto?: (image: string) => void): () => void {
	let timer: NodeJS.Timeout | undefined;
	let reading = false;
	let lastPods = store.getState().pods;
	const unsubscribe = store.subscribe(state => {
		if (state.pods === lastPods || timer || reading) {
			return;
		}

		lastPods = state.pods;
		timer = setTimeout(() => {
			timer = undefined;
			reading = true;
			void readCrashLogs(cluster, store, 8, lookInto).finally(() => {
				reading = false;
			});
		}, 2000);
		timer.unref();
	});
	void readCrashLogs(cluster, store, 8, lookInto);
	return () => {
		unsubscribe();
		clearTimeout(timer);
	};
}
