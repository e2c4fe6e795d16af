// todo-deploy lint's lint: lines for people, data for --json.
import type {LintResult} from '../engine/lint/run.js';

export function lintLines(lint: LintResult): string[] {
	if (lint.renderError) {
		return [
			`${lint.chart} does not render:`,
			...lint.renderError.split('\n').map(line => `  ${line}`),
			'',
			'Fix the values or the template above; nothing else could be checked.',
		];
	}

	const errors = lint.findings.filter(finding => finding.severity === 'error');
	const warnings = lint.findings.filter(finding => finding.severity === 'warning');
	const lines: string[] = [];
	for (const finding of [...errors, ...warnings]) {
		lines.push(
			`${finding.severity === 'error' ? 'error  ' : 'warning'} ${finding.object}${finding.container ? ` (container ${finding.container})` : ''} [${finding.rule}]`,
			`        ${finding.message}`,
			`        fix: ${finding.fix}`,
		);
	}

	if (lint.sentinelSkipped) {
		lines.push(`note: values with no effect were not checked: ${lint.sentinelSkipped}`);
	}

	lines.push(
		`${lint.chart}: ${lint.objects} objects rendered, ${errors.length} error${errors.length === 1 ? '' : 's'}, ${warnings.length} warning${warnings.length === 1 ? '' : 's'}.`,
	);
	return lines;
}
