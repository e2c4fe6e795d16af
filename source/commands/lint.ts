import path from 'node:path';
import {machine} from '../engine/machine.js';
import {defineCommand} from './command.js';
import {choiceFlag, pathListFlag, UsageError} from './flags.js';
import {writeJson, writeOut} from './io.js';

export const lintCommand = defineCommand({
	name: 'lint',
	synopsis: '[CHART]',
	maxArgs: 1,
	summary: 'finds what helm lint misses in the chart',
	description:
		'Renders the chart with helm and finds what helm lint misses: broken ConfigMap and Secret references, Services that reach no pod, probes, latest tags, placeholder or hard-coded secrets, the restricted Pod Security Standard. Without CHART: charts/todo-app here, or the chart todo-deploy ships.',
	examples: ['npx todo-deploy lint', 'npx todo-deploy lint charts/todo-app -f my-values.yaml --target registry'],
	flags: {
		values: pathListFlag({short: 'f', value: 'FILE', description: 'a values file'}),
		target: choiceFlag({
			choices: ['local', 'registry'],
			default: 'local',
			why: 'local: images loaded into minikube or kind',
			description: 'where the images come from, for the pull policy check',
		}),
	},
	async run({flags, args, env}) {
		const [{lintFailed, runLint}, {lintLines}, {defaultChart, isChart}] = await Promise.all([
			import('../engine/lint/run.js'),
			import('../render/lint-report.js'),
			import('../engine/project/chart.js'),
		]);
		const chart = args[0] ? path.resolve(args[0]) : await defaultChart();
		if (!(await isChart(chart))) {
			throw new UsageError(`${chart} is not a Helm chart (no Chart.yaml). Name the chart folder: todo-deploy lint charts/todo-app`);
		}

		const report = await runLint(machine(env), {chart, valuesFiles: flags.values, target: flags.target});
		await (flags.json ? writeJson(report) : writeOut(`${lintLines(report).join('\n')}\n`));
		return {failure: lintFailed(report) ? 'fix-first' : undefined};
	},
});
