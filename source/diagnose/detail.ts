// Pure: one pod as `kubectl describe pod` would tell it, in the few lines a panel has room for, and
// the pod's own events folded as describe folds them (newest first, "x4 over 2m").
import type {V1Container, V1ContainerState, V1ContainerStatus, V1Pod, V1Probe} from '@kubernetes/client-node';
import type {PodEvent} from './pod.js';
import {formatAge} from './rows.js';

export type DetailLine = {readonly text: string; readonly tone?: 'good' | 'bad' | 'dim'};

function probeText(kind: string, probe: V1Probe | undefined): string | undefined {
	if (!probe) {
		return undefined;
	}

	const target = probe.httpGet
		? `${probe.httpGet.scheme === 'HTTPS' ? 'HTTPS ' : ''}GET :${String(probe.httpGet.port)}${probe.httpGet.path ?? '/'}`
		: probe.tcpSocket
			? `TCP :${String(probe.tcpSocket.port)}`
			: probe.grpc
				? `gRPC :${probe.grpc.port}`
				: probe.exec
					? `exec ${(probe.exec.command ?? []).join(' ')}`
					: '?';
	return `${kind} ${target} every ${probe.periodSeconds ?? 10}s (fails after ${probe.failureThreshold ?? 3}${probe.initialDelaySeconds ? `, first after ${probe.initialDelaySeconds}s` : ''})`;
}

function stateText(state: V1ContainerState | undefined, now: Date): string {
	if (state?.running) {
		return `Running for ${formatAge(state.running.startedAt, now)}`;
	}

	if (state?.terminated) {
		const {reason, exitCode, finishedAt} = state.terminated;
		return `Terminated (${reason ?? 'exit'}, exit ${exitCode}${finishedAt ? `, ${formatAge(finishedAt, now)} ago` : ''})`;
	}

	if (state?.waiting) {
		return `Waiting (${state.waiting.reason ?? 'no reason given'})`;
	}

	return 'not started';
}

function resourcesText(container: V1Container): string | undefined {
	const list = (values: Record<string, string> | undefined) =>
		Object.entries(values ?? {})
			.map(([name, value]) => `${name} ${value}`)
			.join(', ');
	const requests = list(container.resources?.requests);
	const limits = list(container.resources?.limits);
	const parts = [requests ? `requests ${requests}` : '', limits ? `limits ${limits}` : ''].filter(Boolean);
	return parts.length > 0 ? parts.join(' · ') : undefined;
}

function containerLines(container: V1Container, status: V1ContainerStatus | undefined, init: boolean, now: Date): DetailLine[] {
	const ports = (container.ports ?? []).map(port => `${port.containerPort}/${port.protocol ?? 'TCP'}`).join(', ');
	const lines: DetailLine[] = [
		{text: `${init ? 'init container' : 'container'} ${container.name}: ${container.image ?? '?'}${ports ? ` · ports ${ports}` : ''}`},
	];
	const last = status?.lastState?.terminated ? ` · last ${stateText(status.lastState, now)}` : '';
	lines.push({
		text: `  ${stateText(status?.state, now)} · ready ${status?.ready ? '✔' : '✖'} · restarts ${status?.restartCount ?? 0}${last}`,
		tone: status?.ready || status?.state?.terminated?.exitCode === 0 ? 'good' : 'bad',
	});
	const resources = resourcesText(container);
	if (resources) {
		lines.push({text: `  ${resources}`, tone: 'dim'});
	}

	const probes = [
		probeText('liveness', container.livenessProbe),
		probeText('readiness', container.readinessProbe),
		probeText('startup', container.startupProbe),
	].filter(Boolean);
	for (const probe of probes) {
		lines.push({text: `  ${probe ?? ''}`, tone: 'dim'});
	}

	return lines;
}

export function podDetail(pod: V1Pod, now: Date): DetailLine[] {
	const {metadata, spec, status} = pod;
	const lines: DetailLine[] = [];
	const where = [
		`node ${spec?.nodeName ?? '(not scheduled)'}`,
		`IP ${status?.podIP ?? '—'}`,
		status?.startTime ? `started ${formatAge(status.startTime, now)} ago` : 'not started',
		status?.qosClass ? `QoS ${status.qosClass}` : '',
		metadata?.deletionTimestamp ? `terminating since ${formatAge(metadata.deletionTimestamp, now)}` : '',
	].filter(Boolean);
	lines.push({text: where.join(' · ')});
	const owner = metadata?.ownerReferences?.find(reference => reference.controller) ?? metadata?.ownerReferences?.[0];
	const labels = Object.entries(metadata?.labels ?? {})
		.map(([key, value]) => `${key}=${value}`)
		.join(', ');
	if (owner || labels) {
		lines.push({text: [owner ? `controlled by ${owner.kind}/${owner.name}` : '', labels ? `labels ${labels}` : ''].filter(Boolean).join(' · '), tone: 'dim'});
	}

	const conditions = status?.conditions ?? [];
	if (conditions.length > 0) {
		lines.push({
			text: `conditions ${conditions.map(condition => `${condition.type} ${condition.status === 'True' ? '✔' : '✖'}`).join(' · ')}`,
			tone: conditions.every(condition => condition.status === 'True') ? 'good' : 'bad',
		});
	}

	if (status?.reason || status?.message) {
		lines.push({text: `${status.reason ?? ''}${status.reason && status.message ? ': ' : ''}${status.message ?? ''}`, tone: 'bad'});
	}

	const statusOf = (statuses: V1ContainerStatus[] | undefined, name: string) => statuses?.find(entry => entry.name === name);
	for (const container of spec?.initContainers ?? []) {
		lines.push(...containerLines(container, statusOf(status?.initContainerStatuses, container.name), true, now));
	}

	for (const container of spec?.containers ?? []) {
		lines.push(...containerLines(container, statusOf(status?.containerStatuses, container.name), false, now));
	}

	const claims = (spec?.volumes ?? [])
		.filter(volume => volume.persistentVolumeClaim)
		.map(volume => `${volume.name} → PVC ${volume.persistentVolumeClaim?.claimName ?? '?'}`);
	if (claims.length > 0) {
		lines.push({text: `volumes ${claims.join(', ')}`, tone: 'dim'});
	}

	return lines;
}

export type EventRow = {
	readonly type: string;
	readonly reason: string;
	readonly count: number;
	readonly last: string;
	readonly first: string;
	readonly message: string;
};

/** The pod's events as describe lists them, newest first: the same reason and message folded into one row with a count. */
export function podEventRows(events: readonly PodEvent[], now: Date): EventRow[] {
	type Folded = {type: string; reason: string; message: string; count: number; first: number; last: number};
	const folded = new Map<string, Folded>();
	for (const event of events) {
		const seen = event.lastTimestamp ?? event.eventTime ?? (event as {metadata?: {creationTimestamp?: Date | string}}).metadata?.creationTimestamp;
		const first = (event as {firstTimestamp?: Date | string}).firstTimestamp ?? seen;
		const key = `${event.type ?? ''}|${event.reason ?? ''}|${event.message ?? ''}`;
		const entry = folded.get(key) ?? {
			type: event.type ?? 'Normal',
			reason: event.reason ?? '',
			message: event.message ?? '',
			count: 0,
			first: Number.POSITIVE_INFINITY,
			last: 0,
		};
		entry.count += event.count ?? 1;
		entry.first = Math.min(entry.first, first ? new Date(first).getTime() : Number.POSITIVE_INFINITY);
		entry.last = Math.max(entry.last, seen ? new Date(seen).getTime() : 0);
		folded.set(key, entry);
	}

	return [...folded.values()]
		.sort((a, b) => b.last - a.last)
		.map(entry => ({
			type: entry.type,
			reason: entry.reason,
			count: entry.count,
			last: entry.last > 0 ? formatAge(new Date(entry.last), now) : '?',
			first: Number.isFinite(entry.first) ? formatAge(new Date(entry.first), now) : '?',
			message: entry.message,
		}));
}
