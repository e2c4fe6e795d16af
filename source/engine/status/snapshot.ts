// One snapshot of the namespace as the screens and the report see it, and what counts as ready.
import type {PodRow, RolloutRow, WarningRow} from '../../diagnose/rows.js';
import type {Outcome} from '../outcome.js';

export type StatusSnapshot = {
	readonly context: string;
	readonly namespace: string;
	readonly pods: readonly PodRow[];
	readonly rollouts: readonly RolloutRow[];
	readonly warnings: readonly WarningRow[];
	/** What the user may not list here (HTTP 403), each part left empty: the resource, and the server's words. */
	readonly notAllowed: ReadonlyArray<{readonly resource: string; readonly group: string; readonly message: string}>;
};

const isReady = (row: PodRow) => row.diagnosis.state === 'ready' || row.diagnosis.state === 'completed';

/** There are pods, and every one is ready (or a finished job). */
export function allReady(report: StatusSnapshot): boolean {
	return report.pods.length > 0 && report.pods.every(row => isReady(row));
}

/** Every pod ready and every Deployment and StatefulSet rolled out: a deploy is done. */
export function rolledOut(report: StatusSnapshot): boolean {
	return allReady(report) && report.rollouts.every(rollout => rollout.done);
}

export function notReady(report: StatusSnapshot): readonly PodRow[] {
	return report.pods.filter(row => !isReady(row));
}

/** The pods as the report and --json keep them. */
export function podSummary(report: StatusSnapshot | undefined) {
	return (report?.pods ?? []).map(row => ({name: row.name, ready: row.ready, status: row.status, probes: row.probes, diagnosis: row.diagnosis}));
}

/** status --once: every pod ready, or something to fix first. */
export function statusOutcome(report: StatusSnapshot): Outcome {
	return {failure: allReady(report) ? undefined : 'fix-first'};
}
