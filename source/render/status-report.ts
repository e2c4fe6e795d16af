// One snapshot of the status screen as lines (--once).
import {notReady, type StatusReport} from '../engine/status/report.js';
import {columnsOf, padColumns} from './columns.js';

const pad = (text: string, width: number) => (columnsOf(text) >= width ? `${text} ` : padColumns(text, width));

export function statusLines(report: StatusReport): string[] {
	const lines = [`Namespace ${report.namespace} in context ${report.context}`, ''];
	if (report.pods.length === 0) {
		lines.push('No pods here yet.');
	} else {
		const width = Math.max(4, ...report.pods.map(row => row.name.length)) + 2;
		lines.push(`${pad('NAME', width)}${pad('READY', 7)}${pad('STATUS', 28)}${pad('RESTARTS', 18)}AGE`);
		for (const row of report.pods) {
			lines.push(
				`${pad(row.name, width)}${pad(row.ready, 7)}${pad(row.status, 28)}${pad(`${row.restarts}${row.lastRestart ? ` (${row.lastRestart})` : ''}`, 18)}${row.age}`,
			);
		}
	}

	if (report.rollouts.length > 0) {
		lines.push('', 'Rollouts:');
		for (const rollout of report.rollouts) {
			lines.push(
				`  ${rollout.kind}/${rollout.name}: ${rollout.ready}/${rollout.desired} ready, ${rollout.updated} updated, ${rollout.available} available${rollout.done ? '' : ' (rolling out)'}`,
			);
		}
	}

	for (const row of notReady(report)) {
		lines.push(
			'',
			`${row.name}: ${row.diagnosis.title}`,
			`  ${row.diagnosis.explanation}`,
			`  fix: ${row.diagnosis.fix}`,
			...row.diagnosis.evidence.map(line => `  | ${line}`),
		);
	}

	if (report.warnings.length > 0) {
		lines.push('', 'Recent warnings:');
		for (const warning of report.warnings.slice(0, 10)) {
			lines.push(`  ${warning.reason} ${warning.object}${warning.count > 1 ? ` (x${warning.count})` : ''}: ${warning.message}`);
		}
	}

	return lines;
}
