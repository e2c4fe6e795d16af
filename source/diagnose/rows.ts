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

/** How long ago, as kubectl says it (apimachinery's HumanDuration): "45s", "3m12s", "77m", "5h30m", "6d2h", "97d". */
export function formatAge(from: Date | string | undefined, now: Date): string {
	if (!from) {
		return '<unknown>';
	}

	const seconds = Math.floor((now.getTime() - new Date(from).getTime()) / 1000);
	if (seconds < -1) {
		return '<invalid>';
	}

	if (seconds < 120) {
		return `${Math.max(0, seconds)}s`;
	}

	const minutes = Math.floor(seconds / 60);
	const hours = Math.floor(minutes / 60);
	const days = Math.floor(hours / 24);
	const withRest = (whole: number, unit: string, rest: number, restUnit: string) => `${whole}${unit}${rest === 0 ? '' : `${rest}${restUnit}`}`;
	if (minutes < 10) {
		return withRest(minutes, 'm', seconds % 60, 's');
	}

	if (minutes < 180) {
		return `${minutes}m`;
	}

	if (hours < 8) {
		return withRest(hours, 'h', minutes % 60, 'm');
	}

	if (hours < 48) {
		return `${hours}h`;
	}

	if (hours < 24 * 8) {
		return withRest(days, 'd', hours % 24, 'h');
	}

	if (days < 365 * 2) {
		return `${days}d`;
	}

	return days < 365 * 8 ? withRest(Math.floor(days / 365), 'y', days % 365, 'd') : `${Math.floor(days / 365)}y`;
}

type Columns = {readonly ready: string; readonly status: string; readonly restarts: number; readonly lastRestartAt: Date | undefined};

const later = (current: Date | undefined, finishedAt: Date | string | undefined) => {
	const date = finishedAt ? new Date(finishedAt) : undefined;
	return date && (!current || date > current) ? date : current;
};

/** READY, STATUS and RESTARTS as `kubectl get pods` prints them (its printPod, kept to the same rules). */
export function podColumns(pod: V1Pod): Columns {
	const spec = pod.spec;
	const status = pod.status;
	const sidecars = new Set((spec?.initContainers ?? []).filter(container => container.restartPolicy === 'Always').map(container => container.name));
	let total = (spec?.containers.length ?? 0) + sidecars.size;
	let ready = 0;
	let restarts = 0;
	let sidecarRestarts = 0;
	let lastRestartAt: Date | undefined;
	let sidecarRestartAt: Date | undefined;
	let reason = status?.reason || status?.phase || 'Unknown';
	if (status?.conditions?.some(condition => condition.type === 'PodScheduled' && condition.reason === 'SchedulingGated')) {
		reason = 'SchedulingGated';
	}

	let initializing = false;
	for (const [index, container] of (status?.initContainerStatuses ?? []).entries()) {
		restarts += container.restartCount;
		lastRestartAt = later(lastRestartAt, container.lastState?.terminated?.finishedAt);
		const sidecar = sidecars.has(container.name);
		if (sidecar) {
			sidecarRestarts += container.restartCount;
			sidecarRestartAt = later(sidecarRestartAt, container.lastState?.terminated?.finishedAt);
		}

		const terminated = container.state?.terminated;
		const waiting = container.state?.waiting;
		if (terminated?.exitCode === 0) {
			continue;
		}

		if (sidecar && container.started) {
			ready += container.ready ? 1 : 0;
			continue;
		}

		initializing = true;
		if (terminated) {
			reason = terminated.reason
				? `Init:${terminated.reason}`
				: terminated.signal
					? `Init:Signal:${terminated.signal}`
					: `Init:ExitCode:${terminated.exitCode}`;
		} else {
			reason = waiting?.reason && waiting.reason !== 'PodInitializing' ? `Init:${waiting.reason}` : `Init:${index}/${spec?.initContainers?.length ?? 0}`;
		}

		break;
	}

	if (!initializing || status?.conditions?.some(condition => condition.type === 'Initialized' && condition.status === 'True')) {
		restarts = sidecarRestarts;
		lastRestartAt = sidecarRestartAt;
		let running = false;
		// From the last container to the first, as kubectl does: the first container's reason is the one shown.
		for (const container of [...(status?.containerStatuses ?? [])].reverse()) {
			restarts += container.restartCount;
			lastRestartAt = later(lastRestartAt, container.lastState?.terminated?.finishedAt);
			const terminated = container.state?.terminated;
			if (container.state?.waiting?.reason) {
				reason = container.state.waiting.reason;
			} else if (terminated) {
				reason = terminated.reason || (terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode}`);
			} else if (container.ready && container.state?.running) {
				running = true;
				ready++;
			}
		}

		if (reason === 'Completed' && running) {
			reason = status?.conditions?.some(condition => condition.type === 'Ready' && condition.status === 'True') ? 'Running' : 'NotReady';
		}
	}

	const phase = status?.phase;
	if (pod.metadata?.deletionTimestamp && status?.reason === 'NodeLost') {
		reason = 'Unknown';
	} else if (pod.metadata?.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed') {
		reason = 'Terminating';
	}

	total = Math.max(total, 0);
	return {ready: `${ready}/${total}`, status: reason, restarts, lastRestartAt};
}

/** The STATUS column as kubectl shows it. */
export function podStatusWord(pod: V1Pod): string {
	return podColumns(pod).status;
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
	const {restarts, lastRestartAt} = podColumns(pod);
	return {
		age: formatAge(pod.metadata?.creationTimestamp, now),
		lastRestart: restarts > 0 && lastRestartAt ? `${formatAge(lastRestartAt, now)} ago` : undefined,
	};
}

export function podRow(
	pod: V1Pod,
	events: readonly PodEvent[],
	now: Date,
	localImages?: LocalImages,
	logs?: Readonly<Record<string, readonly string[]>>,
): PodRow {
	const name = pod.metadata?.name ?? '?';
	const mine = events;
	const {ready, status, restarts} = podColumns(pod);
	return {
		...podAges(pod, now),
		name,
		ready,
		status,
		restarts,
		node: pod.spec?.nodeName ?? '',
		images: (pod.spec?.containers ?? []).map(container => container.image ?? ''),
		probes: probeStates(pod, mine),
		diagnosis: diagnosePod({pod, events: mine, now, localImages, logs}),
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
