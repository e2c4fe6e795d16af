// Lint the chart with exactly the values deploy gives helm next: the same files and --set pairs.
import {secretNameOf} from '../../deploy/names.js';
import {releaseValues} from '../../deploy/values.js';
import {pullRegistryOf} from '../../images/actions.js';
import {lintFailed, runLint, type LintResult} from '../../lint/run.js';
import {recordSection} from '../../report/run.js';
import {defineStage, next, stop} from '../stage.js';

declare module '../stage.js' {
	interface UpFacts {
		readonly lint: LintResult;
	}
}

export const lintStage = defineStage({
	id: 'lint',
	rows: [{id: 'lint', title: 'Lint the chart', off: ['lint']}],
	reads: ['skip', 'chart', 'fit', 'values', 'destination'],
	adds: ['lint'],
	skip: ({skip}) => (skip.has('lint') ? 'switched off' : undefined),
	async run({chart, fit, values, destination}, base) {
		const {request} = base;
		const row = base.rows.begin('lint', `rendering ${chart}`);
		const helmValues = await releaseValues(request.root, {
			fit,
			sets: {...values, ...request.deploy.sets},
			files: request.deploy.valuesFiles,
			release: request.deploy.release,
		});
		const lint = await runLint(base.system, {
			chart,
			contract: request.contract,
			madeByDeploy: secretNameOf(request.deploy.release),
			values: helmValues,
			target: pullRegistryOf(destination) ? 'registry' : 'local',
			release: request.deploy.release,
			namespace: request.clusterChoice.namespace,
		});
		await recordSection(request.root, 'lint', {status: lintFailed(lint) ? 'failed' : 'verified', data: lint});
		if (lintFailed(lint)) {
			const errors = lint.findings.filter(finding => finding.severity === 'error');
			row.failed(
				lint.renderError ?? `${errors.length} error${errors.length === 1 ? '' : 's'} in the chart: ${errors[0]?.message ?? ''}`,
				errors[0]?.fix ?? 'todo-deploy lint shows every finding',
				errors.slice(1, 6).map(finding => `${finding.object}: ${finding.message}`),
			);
			return stop('lint', 'fix-first', 'the chart would not deploy cleanly');
		}

		const warnings = lint.findings.filter(finding => finding.severity !== 'error');
		row.done(
			`${lint.objects} objects, no errors${warnings.length > 0 ? `, ${warnings.length} warning${warnings.length === 1 ? '' : 's'} (todo-deploy lint lists them)` : ''}`,
		);
		return next({lint});
	},
});
