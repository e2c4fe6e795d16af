import {podRow, rolloutRows, warningRows} from '../../diagnose/rows.js';
import type {StatusReport} from '../../render/status-report.js';
import type {StatusState} from './reducer.js';

export function statusReport(state: StatusState, where: {readonly context: string; readonly namespace: string}, now = new Date()): StatusReport {
	const events = [...state.events.values()];
	const pods = [...state.pods.values()].sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
	return {
		context: where.context,
		namespace: where.namespace,
		pods: pods.map(pod => podRow(pod, events, now)),
		rollouts: rolloutRows([...state.deployments.values()], [...state.statefulSets.values()]),
		warnings: warningRows(events),
	};
}
