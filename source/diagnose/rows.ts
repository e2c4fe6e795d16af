// Pure: pods, events and workloads -> the rows the status screen and --once/--json show.
import type {CoreV1Event, V1Deployment, V1Pod, V1StatefulSet} from '@kubernetes/client-node';
import {diagnosePod, type Diagnosis, type LocalImages, type PodEvent} from './pod.js';

export type ProbeState =
	{readonly type: 'none'} | {readonly type: 'passing'} | {readonly type: 'waiting'} | {readonly type: 'failing'; readonly message: string};

export type ContainerProbes = {
	readonly container: string;
	readonly liveness: ProbeState;
	readonly readiness: ProbeState;
	readonly startup: ProbeState;
};

export type PodRow = {
	readonly name: string;
	readonly ready: string;
	readonly status: string;
	readonly restarts: number;
	readonly lastRestart: string | undefined;
	readonly age: string;
	readonly node: string;
	readonly images: readonly string[];
	readonly probes: readonly ContainerProbes[];
	readonly diagnosis: Diagnosis;
};

export function formatAge(from: Date | string | undefined, now: Date): string {
	if (!from) {
		return '?';
	}

	const seconds = Math.max(0, Math.floor((now.getTime() - new Date(from).getTime()) / 1000));
	if (seconds < 120) {
		return `${seconds}s`;
	}

	if (seconds < 7200) {
		return `${Math.floor(seconds / 60)}m`;
	}

	return seconds < 172_800 ? `${Math.floor(seconds / 3600)}h` : `${Math.floor(seconds / 86_400)}d`;
}

/** The STATUS column as kubectl shows it. */
export function podStatusWord(pod: V1Pod): string {
	if (pod.metadata?.deletionTimestamp) {
		return 'Terminating';
	}

	const init = pod.status?.initContainerStatuses ?? [];
	for (const [index, status] of init.entries()) {
		if (status.state?.terminated?.exitCode === 0) {
			continue;
		}

		if (status.state?.waiting?.reason && status.state.waiting.reason !== 'PodInitializing') {
			return `Init:${status.state.waiting.reason}`;
		}

		return status.state?.terminated ? 'Init:Error' : `Init:${index}/${init.length}`;
	}

	let word = pod.status?.reason ?? pod.status?.phase ?? 'Unknown';
	for (const status of pod.status?.containerStatuses ?? []) {
		word = status.state?.waiting?.reason ?? status.state?.terminated?.reason ?? word;
	}

	return word;
}

function probeStates(pod: V1Pod, events: readonly PodEvent[]): ContainerProbes[] {
	return (pod.spec?.containers ?? []).map(container => {
		const status = pod.status?.containerStatuses?.find(entry => entry.name === container.name);
		const mine = events.filter(
			event => event.type === 'Warning' && (!event.involvedObject?.fieldPath || event.involvedObject.fieldPath.includes(`{${container.name}}`)),
		);
		const lastFailure = (kind: string) =>
			mine
				.filter(event => (event.message ?? '').startsWith(`${kind} probe failed`))
				.at(-1)
				?.message?.replace(`${kind} probe failed: `, '');
		const running = Boolean(status?.state?.running);
		const readinessFailure = lastFailure('Readiness');
		const livenessFailure = lastFailure('Liveness');
		const startupFailure = lastFailure('Startup');
		return {
			container: container.name,
			readiness: !container.readinessProbe
				? {type: 'none'}
				: status?.ready
					? {type: 'passing'}
					: readinessFailure && running
						? {type: 'failing', message: readinessFailure}
						: {type: 'waiting'},
			liveness: !container.livenessProbe
				? {type: 'none'}
				: livenessFailure && (status?.restartCount ?? 0) > 0 && !status?.ready
					? {type: 'failing', message: livenessFailure}
					: running
						? {type: 'passing'}
						: {type: 'waiting'},
			startup: !container.startupProbe
				? {type: 'none'}
				: status?.started
					? {type: 'passing'}
					: startupFailure
						? {type: 'failing', message: startupFailure}
						: {type: 'waiting'},
		};
	});
}

/** Events by the pod they are about: one pass, so a screen of many pods does not rescan every event per pod. */
export function eventsByPod(events: readonly CoreV1Event[]): Map<string, PodEvent[]> {
	const byPod = new Map<string, PodEvent[]>();
	for (const event of events) {
		if (event.involvedObject.kind === 'Pod' && event.involvedObject.name) {
			const list = byPod.get(event.involvedObject.name);
			if (list) {
				list.push(event);
			} else {
				byPod.set(event.involvedObject.name, [event]);
			}
		}
	}

	return byPod;
}

/** The parts of a row that move with the clock. */
export function podAges(pod: V1Pod, now: Date): {readonly age: string; readonly lastRestart: string | undefined} {
	const statuses = pod.status?.containerStatuses ?? [];
	const restarts = statuses.reduce((sum, status) => sum + status.restartCount, 0);
	const lastFinished = statuses
		.map(status => status.lastState?.terminated?.finishedAt)
		.filter(Boolean)
		.map(value => new Date(value as Date | string))
		.sort((a, b) => b.getTime() - a.getTime())[0];
	return {age: formatAge(pod.metadata?.creationTimestamp, now), lastRestart: restarts > 0 && lastFinished ? `${formatAge(lastFinished, now)} ago` : undefined};
}

export function podRow(pod: V1Pod, events: readonly PodEvent[], now: Date, localImages?: LocalImages): PodRow {
	const name = pod.metadata?.name ?? '?';
	const mine = events;
	const statuses = pod.status?.containerStatuses ?? [];
	const restarts = statuses.reduce((sum, status) => sum + status.restartCount, 0);
	return {
		...podAges(pod, now),
		name,
		ready: `${statuses.filter(status => status.ready).length}/${pod.spec?.containers.length ?? statuses.length}`,
		status: podStatusWord(pod),
		restarts,
		node: pod.spec?.nodeName ?? '',
		images: (pod.spec?.containers ?? []).map(container => container.image ?? ''),
		probes: probeStates(pod, mine),
		diagnosis: diagnosePod({pod, events: mine, now, localImages}),
	};
}

export type RolloutRow = {
	readonly kind: 'Deployment' | 'StatefulSet';
	readonly name: string;
	readonly desired: number;
	readonly updated: number;
	readonly ready: number;
	readonly available: number;
	readonly done: boolean;
};

/** A Deployment is done when every replica is updated, available and ready; a StatefulSet, when every one is ready and updated. */
function rolloutRow(kind: RolloutRow['kind'], item: V1Deployment | V1StatefulSet): RolloutRow {
	const desired = item.spec?.replicas ?? 1;
	const counts = {desired, updated: item.status?.updatedReplicas ?? 0, ready: item.status?.readyReplicas ?? 0, available: item.status?.availableReplicas ?? 0};
	const done = counts.ready === desired && counts.updated === desired && (kind === 'StatefulSet' || counts.available === desired);
	return {kind, name: item.metadata?.name ?? '?', ...counts, done};
}

export function rolloutRows(deployments: readonly V1Deployment[], statefulSets: readonly V1StatefulSet[]): RolloutRow[] {
	return [...deployments.map(item => rolloutRow('Deployment', item)), ...statefulSets.map(item => rolloutRow('StatefulSet', item))].sort((a, b) =>
		a.name.localeCompare(b.name),
	);
}

export type WarningRow = {
	readonly reason: string;
	readonly object: string;
	readonly count: number;
	readonly lastSeen: Date | undefined;
	readonly message: string;
};

/** Warning events folded by reason and object, newest first. */
export function warningRows(events: readonly CoreV1Event[]): WarningRow[] {
	const folded = new Map<string, WarningRow>();
	for (const event of events) {
		if (event.type !== 'Warning') {
			continue;
		}

		const object = `${event.involvedObject.kind ?? '?'}/${event.involvedObject.name ?? '?'}`;
		const key = `${event.reason ?? ''}|${object}`;
		const seen = event.lastTimestamp ?? event.eventTime ?? event.metadata.creationTimestamp;
		const lastSeen = seen ? new Date(seen) : undefined;
		const previous = folded.get(key);
		const newer = !previous?.lastSeen || (lastSeen && lastSeen >= previous.lastSeen);
		folded.set(key, {
			reason: event.reason ?? '',
			object,
			count: (previous?.count ?? 0) + (event.count ?? 1),
			lastSeen: newer ? lastSeen : previous.lastSeen,
			message: newer ? (event.message ?? '') : previous.message,
		});
	}

	return [...folded.values()].sort((a, b) => (b.lastSeen?.getTime() ?? 0) - (a.lastSeen?.getTime() ?? 0));
}
