// todo-deploy lint's report: lines for people, data for --json.
import type {LintReport} from '../engine/lint/run.js';

export function lintLines(report: LintReport): string[] {
	if (report.renderError) {
		return [
			`${report.chart} does not render:`,
			...report.renderError.split('\n').map(line => `  ${line}`),
			'',
			'Fix the values or the template above; nothing else could be checked.',
		];
	}

	const errors = report.findings.filter(finding => finding.severity === 'error');
	const warnings = report.findings.filter(finding => finding.severity === 'warning');
	const lines: string[] = [];
	for (const finding of [...errors, ...warnings]) {
		lines.push(
			`${finding.severity === 'error' ? 'error  ' : 'warning'} ${finding.object}${finding.container ? ` (container ${finding.container})` : ''} [${finding.rule}]`,
			`        ${finding.message}`,
			`        fix: ${finding.fix}`,
		);
	}

	if (report.sentinelSkipped) {
		lines.push(`note: values with no effect were not checked: ${report.sentinelSkipped}`);
	}

	lines.push(
		`${report.chart}: ${report.objects} objects rendered, ${errors.length} error${errors.length === 1 ? '' : 's'}, ${warnings.length} warning${warnings.length === 1 ? '' : 's'}.`,
	);
	return lines;
}
