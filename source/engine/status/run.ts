// Feeds the status store: one snapshot, then watches; every change lands at once, the screen throttles drawing.
import type {KubernetesObject} from '@kubernetes/client-node';
import type {Cluster, WatchKind} from '../../adapters/cluster.js';
import type {Store} from '../store.js';
import type {StatusAction} from './actions.js';
import type {StatusState} from './reducer.js';

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
		reconnecting: (kind, reason, delayMs) => store.dispatch({type: 'status/reconnecting', kind, reason: `${reason.split('\n')[0] ?? reason}; again in ${Math.round(delayMs / 100) / 10} s`, delayMs}),
	});
	return () => {
		clearTimeout(timer);
		stop();
	};
}

export async function showLogs(cluster: Cluster, store: Store<StatusState, StatusAction>, pod: string, container: string, previous: boolean): Promise<void> {
	store.dispatch({type: 'status/panel', panel: {type: 'logs', pod, container, previous, lines: undefined}});
	try {
		const text = await cluster.logs(pod, container, {previous, tailLines: 20});
		store.dispatch({type: 'status/panel', panel: {type: 'logs', pod, container, previous, lines: text.split('\n').filter(Boolean).slice(-20)}});
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error);
		store.dispatch({type: 'status/panel', panel: {type: 'logs', pod, container, previous, lines: [], error: previous && /previous terminated container|not found/i.test(message) ? 'There is no previous container: it has not restarted.' : `The logs could not be read: ${message.split('\n')[0] ?? message}`}});
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
	return cluster.followLogs(pod, container, line => store.dispatch({type: 'status/log-line', pod, container, line}), error => {
		const {panel} = store.getState();
		if (panel.type === 'logs' && panel.pod === pod && panel.following) {
			store.dispatch({type: 'status/panel', panel: {...panel, following: false, ...(error ? {error: `The log stream ended: ${error.split('\n')[0] ?? error}`} : {})}});
		}
	});
}
