import type {V1Pod} from '@kubernetes/client-node';
import type {PodEvent} from '../../diagnose/pod.js';
import {eventsByPod, podAges, podRow, rolloutRows, warningRows, type PodRow} from '../../diagnose/rows.js';
import type {StatusReport} from '../../render/status-report.js';
import type {StatusState} from './reducer.js';

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

type CachedRow = {readonly events: readonly unknown[]; readonly row: PodRow};
// A pod object is replaced on every change, so a row computed for it stays right until the pod or
// its events change; only the ages move with the clock, and they are cheap. A redraw of 2,000 pods
// recomputes only the ones that changed.
const rows = new WeakMap<V1Pod, CachedRow>();

function cachedRow(pod: V1Pod, events: readonly PodEvent[], now: Date): PodRow {
	const cached = rows.get(pod);
	if (cached && cached.events.length === events.length && cached.events.every((event, index) => event === events[index])) {
		const {age, lastRestart} = podAges(pod, now);
		return cached.row.age === age && cached.row.lastRestart === lastRestart ? cached.row : {...cached.row, age, lastRestart};
	}

	const row = podRow(pod, events, now);
	rows.set(pod, {events, row});
	return row;
}

export function statusReport(state: StatusState, where: {readonly context: string; readonly namespace: string}, now = new Date()): StatusReport {
	const events = [...state.events.values()];
	const byPod = eventsByPod(events);
	// Pod names are ASCII: a plain comparison is ordered as kubectl orders them, and much cheaper than localeCompare.
	const pods = [...state.pods.values()].sort((a, b) => byName(a.metadata?.name ?? '', b.metadata?.name ?? ''));
	return {
		context: where.context,
		namespace: where.namespace,
		pods: pods.map(pod => cachedRow(pod, byPod.get(pod.metadata?.name ?? '') ?? [], now)),
		rollouts: rolloutRows([...state.deployments.values()], [...state.statefulSets.values()]),
		warnings: warningRows(events),
	};
}
