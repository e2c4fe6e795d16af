// One snapshot of the status screen as lines (--once).
import {notReady, type StatusSnapshot} from '../engine/status/snapshot.js';
import {columnsOf, padColumns} from './columns.js';

const pad = (text: string, width: number) => (columnsOf(text) >= width ? `${text} ` : padColumns(text, width));

export function statusLines(snapshot: StatusSnapshot): string[] {
	const lines = [`Namespace ${snapshot.namespace} in context ${snapshot.context}`, ''];
	if (snapshot.pods.length === 0) {
		lines.push('No pods here yet.');
	} else {
		const width = Math.max(4, ...snapshot.pods.map(row => row.name.length)) + 2;
		lines.push(`${pad('NAME', width)}${pad('READY', 7)}${pad('STATUS', 28)}${pad('RESTARTS', 18)}AGE`);
		for (const row of snapshot.pods) {
			lines.push(
				`${pad(row.name, width)}${pad(row.ready, 7)}${pad(row.status, 28)}${pad(`${row.restarts}${row.lastRestart ? ` (${row.lastRestart})` : ''}`, 18)}${row.age}`,
			);
		}
	}

	if (snapshot.rollouts.length > 0) {
		lines.push('', 'Rollouts:');
		for (const rollout of snapshot.rollouts) {
			lines.push(
				`  ${rollout.kind}/${rollout.name}: ${rollout.ready}/${rollout.desired} ready, ${rollout.updated} updated, ${rollout.available} available${rollout.done ? '' : ' (rolling out)'}`,
			);
		}
	}

	for (const row of notReady(snapshot)) {
		lines.push(
			'',
			`${row.name}: ${row.diagnosis.title}`,
			`  ${row.diagnosis.explanation}`,
			`  fix: ${row.diagnosis.fix}`,
			...row.diagnosis.evidence.map(line => `  | ${line}`),
		);
	}

	lines.push(...notAllowedLines(snapshot).flatMap((line, index) => (index === 0 ? ['', line] : [line])));
	if (snapshot.warnings.length > 0) {
		lines.push('', 'Recent warnings:');
		for (const warning of snapshot.warnings.slice(0, 10)) {
			lines.push(`  ${warning.reason} ${warning.object}${warning.count > 1 ? ` (x${warning.count})` : ''}: ${warning.message}`);
		}
	}

	return lines;
}

/** What a part of the screen would show had the Role allowed it: said once, with the rule that grants it. */
const partOf: Readonly<Record<string, string>> = {
	events: "the warnings and each pod's events",
	deployments: 'the rollouts',
	statefulsets: 'the rollouts',
	services: "the database host check and the browser's addresses",
};

export function notAllowedLines(snapshot: Pick<StatusSnapshot, 'notAllowed' | 'namespace'>): string[] {
	if (snapshot.notAllowed.length === 0) {
		return [];
	}

	const names = snapshot.notAllowed.map(entry => (entry.group ? `${entry.resource}.${entry.group}` : entry.resource));
	const groups = [...new Set(snapshot.notAllowed.map(entry => entry.group))];
	return [
		`Not allowed: the Role needs list on ${names.join(', ')} in ${snapshot.namespace}, so ${[...new Set(snapshot.notAllowed.map(entry => partOf[entry.resource] ?? entry.resource))].join(', ')} stay empty; the pods are shown.`,
		...groups.map(
			group =>
				`  rule: {apiGroups: ["${group}"], resources: [${snapshot.notAllowed
					.filter(entry => entry.group === group)
					.map(entry => `"${entry.resource}"`)
					.join(', ')}], verbs: ["get", "list", "watch"]}`,
		),
	];
}
