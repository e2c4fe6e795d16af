// Pure: what the status screen shows from its state: the pods in order, the rows that fit, the selected
// pod's events, one snapshot for --once.
import type {V1Pod} from '@kubernetes/client-node';
import type {LocalImages, PodEvent} from '../../diagnose/pod.js';
import {eventsByPod, podAges, podRow, rolloutRows, warningRows, type PodRow, type RolloutRow, type WarningRow} from '../../diagnose/rows.js';
import {withDatabaseContext} from '../../diagnose/database-context.js';
import {withModuleContext} from '../../diagnose/module-context.js';
import type {StatusSnapshot} from './snapshot.js';
import type {StatusState} from './reducer.js';

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

type Logs = Readonly<Record<string, readonly string[]>> | undefined;
type CachedRow = {readonly events: readonly unknown[]; readonly local: LocalImages | undefined; readonly logs: Logs; readonly row: PodRow};
// A pod object is replaced on every change, so a row computed for it stays right until the pod or
// its events change; only the ages move with the clock, and they are cheap. A redraw of 2,000 pods
// recomputes only the ones that changed.
const rows = new WeakMap<V1Pod, CachedRow>();

function cachedRow(pod: V1Pod, events: readonly PodEvent[], now: Date, local: LocalImages | undefined, logs: Logs): PodRow {
	const cached = rows.get(pod);
	const sameLogs = cached?.logs === logs || JSON.stringify(cached?.logs) === JSON.stringify(logs);
	if (
		cached &&
		sameLogs &&
		cached.local === local &&
		cached.events.length === events.length &&
		cached.events.every((event, index) => event === events[index])
	) {
		const {age, lastRestart} = podAges(pod, now);
		return cached.row.age === age && cached.row.lastRestart === lastRestart ? cached.row : {...cached.row, age, lastRestart};
	}

	const row = podRow(pod, events, now, local, logs);
	rows.set(pod, {events, local, logs, row});
	return row;
}

/** The crashed containers' last lines of one pod, by container; undefined when there are none. */
function logsOf(state: StatusState, pod: string): Logs {
	if (state.crashLogs.size === 0) {
		return undefined;
	}

	const prefix = `${pod}/`;
	const mine = [...state.crashLogs.entries()].filter(([key]) => key.startsWith(prefix));
	return mine.length === 0 ? undefined : Object.fromEntries(mine.map(([key, value]) => [key.slice(prefix.length), value.lines]));
}

/** The namespace's Services, unless the Role does not allow listing them (then nothing is known of them). */
const knownServices = (state: StatusState) => (state.forbidden.some(entry => entry.kind === 'services') ? undefined : state.services);

/** The lists the user may not make, as the resource and API group a Role rule names. */
export const notAllowedOf = (state: Pick<StatusState, 'forbidden'>): StatusSnapshot['notAllowed'] =>
	state.forbidden.map(entry => ({
		resource: entry.kind,
		group: entry.kind === 'deployments' || entry.kind === 'statefulsets' ? 'apps' : '',
		message: entry.message,
	}));

/** A pod's row with what the rest of the namespace and the images tell of its diagnosis: the database beside it, the module in its image. */
function rowInContext(state: StatusState, name: string, byPod: ReturnType<typeof eventsByPod>, now: Date): PodRow {
	const row = cachedRow(state.pods.get(name)!, byPod.get(name) ?? [], now, state.localImages, logsOf(state, name));
	return withModuleContext(withDatabaseContext(row, state.pods, knownServices(state)), state.imageTrees);
}

export function statusSnapshot(state: StatusState, where: {readonly context: string; readonly namespace: string}, now = new Date()): StatusSnapshot {
	const events = [...state.events.values()];
	const byPod = eventsByPod(events);
	// Pod names are ASCII: a plain comparison is ordered as kubectl orders them, and much cheaper than localeCompare.
	return {
		context: where.context,
		namespace: where.namespace,
		pods: sortedPodNames(state.pods).names.map(name => rowInContext(state, name, byPod, now)),
		rollouts: rolloutRows([...state.deployments.values()], [...state.statefulSets.values()]),
		warnings: warningRows(events),
		notAllowed: notAllowedOf(state),
	};
}

// The pod names in kubectl's order. The pod map is copied on every change, but its names change only
// when a pod comes or goes: the last order is kept while every name in it is still there.
let ordered: {readonly pods: ReadonlyMap<string, V1Pod>; readonly names: readonly string[]; readonly longest: number} | undefined;

export function sortedPodNames(pods: ReadonlyMap<string, V1Pod>): {readonly names: readonly string[]; readonly longest: number} {
	if (ordered && (ordered.pods === pods || (ordered.names.length === pods.size && ordered.names.every(name => pods.has(name))))) {
		ordered = {...ordered, pods};
		return ordered;
	}

	const names = [...pods.keys()].sort(byName);
	ordered = {pods, names, longest: names.reduce((longest, name) => Math.max(longest, name.length), 0)};
	return ordered;
}

export type StatusWindow = {
	readonly context: string;
	readonly namespace: string;
	/** How many pods there are, and the index of the first one in rows. */
	readonly total: number;
	readonly first: number;
	readonly rows: readonly PodRow[];
	/** The selected pod's row (the first pod when none is selected), and its events. */
	readonly selected: PodRow | undefined;
	readonly selectedEvents: readonly PodEvent[];
	readonly longestName: number;
	readonly rollouts: readonly RolloutRow[];
	readonly warnings: readonly WarningRow[];
};

/**
 * What a screen of `size` pod rows shows: the rows around the selected pod, and only those are
 * computed, so a namespace of thousands of pods costs a screenful per frame.
 */
export function statusWindow(state: StatusState, where: {readonly context: string; readonly namespace: string}, size: number, now = new Date()): StatusWindow {
	const {names, longest} = sortedPodNames(state.pods);
	const events = [...state.events.values()];
	const byPod = eventsByPod(events);
	const rowOf = (name: string) => rowInContext(state, name, byPod, now);
	const selectedIndex = Math.max(0, state.selected === undefined ? 0 : names.indexOf(state.selected));
	const first = Math.max(0, Math.min(selectedIndex - Math.floor(size / 2), names.length - size));
	return {
		context: where.context,
		namespace: where.namespace,
		total: names.length,
		first,
		rows: names.slice(first, first + size).map(name => rowOf(name)),
		selected: names.length > 0 ? rowOf(names[selectedIndex]!) : undefined,
		selectedEvents: byPod.get(names[selectedIndex] ?? '') ?? [],
		longestName: longest,
		rollouts: rolloutRows([...state.deployments.values()], [...state.statefulSets.values()]),
		warnings: warningRows(events),
	};
}
