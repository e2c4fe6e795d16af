// The rollout, watched pod by pod with the status screen's own watch, until every pod is ready, the
// time is up, or the run is cancelled.
import type {Cluster} from '../../adapters/cluster.js';
import type {StatusAction} from '../status/actions.js';
import type {StatusState} from '../status/reducer.js';
import {rolledOut, type StatusSnapshot} from '../status/snapshot.js';
import {followCluster} from '../status/run.js';
import {statusSnapshot} from '../status/select.js';
import type {Store} from '../store.js';

export type RolloutEnd = 'ready' | 'timeout' | 'cancelled';

export async function waitForRollout(
	cluster: Cluster,
	status: Store<StatusState, StatusAction>,
	options: {
		readonly namespace: string;
		readonly timeoutMs: number;
		readonly signal?: AbortSignal | undefined;
		readonly onProgress: (snapshot: StatusSnapshot) => void;
	},
): Promise<RolloutEnd> {
	const where = {context: cluster.context, namespace: options.namespace};
	const stop = followCluster(cluster, status);
	try {
		return await new Promise<RolloutEnd>(resolve => {
			let settled = false;
			const finish = (value: RolloutEnd) => {
				if (!settled) {
					settled = true;
					unsubscribe();
					clearTimeout(timer);
					clearInterval(ticker);
					resolve(value);
				}
			};

			const check = () => {
				const snapshot = statusSnapshot(status.getState(), where);
				options.onProgress(snapshot);
				if (rolledOut(snapshot)) {
					finish('ready');
				}
			};

			const unsubscribe = status.subscribe(check);
			const timer = setTimeout(() => finish('timeout'), options.timeoutMs);
			// Ages and back-offs move with the clock, not only with events.
			const ticker = setInterval(check, 1000);
			options.signal?.addEventListener('abort', () => finish('cancelled'), {once: true});
			check();
		});
	} finally {
		stop();
	}
}
