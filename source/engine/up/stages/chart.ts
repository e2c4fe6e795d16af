// The chart the wizard deploys. todo-deploy's own is fitted to what the app's code reads; a chart of
// the project's own is linted against the app first, and when it would fail, todo-deploy's chart,
// fitted, is offered instead (--yes takes it; --chart builtin never asks). The report says which, and why.
import path from 'node:path';
import {fitNotes, fitRecord, type FittedChart} from '../../deploy/fit.js';
import {fitForChart} from '../../deploy/fitted-values.js';
import {pullRegistryOf} from '../../images/actions.js';
import {lintFailed, runLint, type LintResult} from '../../lint/run.js';
import {shippedChart} from '../../project/chart.js';
import {recordSection} from '../../report/run.js';
import {defineStage, next, stop, type StageBase, type StageEnd} from '../stage.js';

declare module '../stage.js' {
	interface UpFacts {
		/** The chart deployed: the request's, or todo-deploy's when the project's would fail. */
		readonly chart: string;
		/** todo-deploy's chart fitted to the app; undefined for a project's own chart. */
		readonly fit: FittedChart | undefined;
	}
}

type ChartFacts = StageEnd<{readonly chart: string; readonly fit: FittedChart | undefined}>;

const shown = (root: string, chart: string) => (chart === shippedChart() ? "todo-deploy's chart" : path.relative(root, chart) || chart);

async function useFitted(base: StageBase, chart: string, fit: FittedChart, why: string): Promise<void> {
	for (const text of fitNotes(fit)) {
		base.flow.dispatch({type: 'flow/note', text});
	}

	await recordSection(base.request.root, 'chart', {
		status: fit.gaps.length > 0 ? 'failed' : 'verified',
		data: {chart: shown(base.request.root, chart), why, fitted: fitRecord(fit)},
	});
}

/** The project's chart failed lint: todo-deploy's, fitted, instead (asked on a terminal), or a stop. */
async function insteadOfOwn(
	base: StageBase,
	row: {done(text: string): void; failed(message: string, fix: string, evidence: readonly string[]): void},
	report: LintResult,
): Promise<ChartFacts> {
	const {request} = base;
	const own = shown(request.root, request.chart);
	const errors = report.findings.filter(finding => finding.severity === 'error');
	const problem = report.renderError ?? `${errors.length} error${errors.length === 1 ? '' : 's'}: ${errors[0]?.message ?? ''}`;
	const evidence = report.renderError ? [] : errors.slice(0, 6).map(finding => `${finding.object}: ${finding.message}`);
	for (const line of evidence) {
		base.flow.dispatch({type: 'flow/note', text: `${own}: ${line}`});
	}

	const instead = request.questions
		? await request.questions.confirm(`${own} would not deploy cleanly (${problem}). Deploy todo-deploy's chart, fitted to the app, instead?`)
		: true;
	if (!instead) {
		row.failed(
			`${own} would not deploy cleanly: ${problem}`,
			`Fix it (todo-deploy lint ${own} --app .), or deploy todo-deploy's chart fitted to the app: --chart builtin`,
			evidence,
		);
		await recordSection(request.root, 'chart', {status: 'failed', data: {chart: own, why: 'lint failed and the fitted chart was declined', fitted: null}});
		return stop('chart', 'fix-first', 'the chart would not deploy cleanly');
	}

	const builtin = shippedChart();
	const fit = await fitForChart(builtin, request.fitted);
	if (!fit) {
		row.failed(`todo-deploy's chart at ${builtin} does not take the app's names`, 'Reinstall todo-deploy: its chart is damaged.', []);
		return stop('chart', 'environment', 'no chart to deploy');
	}

	await useFitted(base, builtin, fit, `the project's chart ${own} failed lint (${problem})`);
	row.done(`todo-deploy's chart instead of ${own} (${problem}), fitted to the app: ${fit.learnt.length} settings`);
	return next({chart: builtin, fit});
}

export const chartStage = defineStage({
	id: 'chart',
	rows: [{id: 'chart', title: 'Fit the chart to the app'}],
	reads: ['skip', 'destination'],
	adds: ['chart', 'fit'],
	async run({skip, destination}, base): Promise<ChartFacts> {
		const {request} = base;
		const row = base.rows.begin('chart', `reading ${shown(request.root, request.chart)}`);
		for (const credential of request.contract.credentials) {
			base.flow.dispatch({
				type: 'flow/note',
				text: `${credential.path} holds ${credential.what}: rotate it, and keep the file out of git. todo-deploy does not use it.`,
			});
		}

		const fitted = await fitForChart(request.chart, request.fitted);
		if (fitted) {
			await useFitted(base, request.chart, fitted, 'it takes the names the app reads');
			row.done(
				`${shown(request.root, request.chart)}: ${fitted.learnt.length} settings fitted to the app${fitted.gaps.length > 0 ? `, ${fitted.gaps.length} not (see the notes)` : ''}`,
			);
			return next({chart: request.chart, fit: fitted});
		}

		const own = shown(request.root, request.chart);
		if (skip.has('lint')) {
			row.done(`${own}, the project's own: deployed as it is, not linted (--skip lint)`);
			await recordSection(request.root, 'chart', {
				status: 'verified',
				data: {chart: own, why: "it is the project's own (not linted: --skip lint)", fitted: null},
			});
			return next({chart: request.chart, fit: undefined});
		}

		row.detail(`linting ${own} against what the app reads`);
		const report = await runLint(base.system, {
			chart: request.chart,
			values: {files: request.deploy.valuesFiles, sets: request.deploy.sets},
			target: pullRegistryOf(destination) ? 'registry' : 'local',
			release: request.deploy.release,
			namespace: request.clusterChoice.namespace,
			contract: request.contract,
		});
		if (!lintFailed(report)) {
			row.done(`${own}, the project's own: lint passed, deployed as it is`);
			await recordSection(request.root, 'chart', {status: 'verified', data: {chart: own, why: "it is the project's own and lint passed", fitted: null}});
			return next({chart: request.chart, fit: undefined});
		}

		return insteadOfOwn(base, row, report);
	},
});
