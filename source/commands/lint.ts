// todo-deploy lint: the chart rendered with the values deploy would give it, and checked against the app.
import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {localSystem} from '../engine/system.js';
import {defineCommand} from '../command-kit/command.js';
import {choiceFlag, pathFlag, pathListFlag, stringFlag, UsageError} from '../command-kit/flags.js';
import {orSay} from '../command-kit/project.js';
import {writeErr, writeJson, writeOut} from '../command-kit/io.js';

export const lintCommand = defineCommand({
	name: 'lint',
	synopsis: '[CHART]',
	maxArgs: 1,
	summary: 'finds what helm lint misses in the chart',
	description:
		"Renders the chart with helm and finds what helm lint misses: broken ConfigMap and Secret references, Services that reach no pod, probes, latest tags, placeholder or hard-coded secrets, the restricted Pod Security Standard, and a setting the app's code reads that its pod does not get. Without CHART: charts/todo-app here, or the chart todo-deploy ships (fitted to the app, as deploy would).",
	examples: [
		'npx todo-deploy lint',
		'npx todo-deploy lint Phase-IV/charts/todo-app --app .',
		'npx todo-deploy lint charts/todo-app -f my-values.yaml --target registry',
	],
	flags: {
		values: pathListFlag({short: 'f', value: 'FILE', description: 'a values file'}),
		app: pathFlag({value: 'DIR', description: 'the project whose code the chart must serve (default: the current folder)'}),
		release: stringFlag({value: 'NAME', default: 'todo', description: 'the release name the objects are named after'}),
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
			import('../render/lint-words.js'),
			import('../engine/project/chart.js'),
		]);
		const chart = args[0] ? path.resolve(args[0]) : await defaultChart();
		if (!(await isChart(chart))) {
			throw new UsageError(`${chart} is not a Helm chart (no Chart.yaml). Name the chart folder: todo-deploy lint charts/todo-app`);
		}

		// The chart is rendered by the real helm: without it nothing can be checked, and that is the machine's to fix, not the chart's.
		if (!(await localSystem(env).which('helm'))) {
			writeErr(
				`todo-deploy: Helm is not installed, so ${path.relative(process.cwd(), chart) || chart} could not be rendered or checked.\n  fix: npx todo-deploy install helm\n`,
			);
			return {failure: 'environment'};
		}

		// The app's contract: each pod must get what its code reads; todo-deploy's chart is fitted to it first.
		const project = await orSay(async () => (await import('../engine/project/resolve.js')).resolveProject(path.resolve(flags.app ?? '.'), {}));
		const contract = project?.backend || project?.frontend ? project.contract : undefined;
		const [{fitChart}, {recordedAddresses}, {fitForChart}, {secretNameOf}, {releaseValues}] = await Promise.all([
			import('../engine/deploy/fit.js'),
			import('../engine/browser/addresses.js'),
			import('../engine/deploy/fitted-values.js'),
			import('../engine/deploy/names.js'),
			import('../engine/deploy/values.js'),
		]);
		// The browser's addresses as the last build baked them in.
		const addresses = contract ? await recordedAddresses(path.resolve(flags.app ?? '.'), contract) : undefined;
		const fit = contract ? await fitForChart(chart, fitChart({contract, release: flags.release, addresses})) : undefined;
		// The values deploy would give helm (the fitted values written to a folder of lint's own).
		const scratch = await mkdtemp(path.join(os.tmpdir(), 'todo-deploy-lint-values-'));
		try {
			const values = fit ? await releaseValues(scratch, {fit, sets: {}, files: flags.values, release: flags.release}) : {files: flags.values, sets: {}};
			const lint = await runLint(localSystem(env), {
				chart,
				values,
				target: flags.target,
				release: flags.release,
				contract,
				madeByDeploy: fit ? secretNameOf(flags.release) : undefined,
			});
			await (flags.json ? writeJson(lint) : writeOut(`${lintLines(lint).join('\n')}\n`));
			return {failure: lintFailed(lint) ? 'fix-first' : undefined};
		} finally {
			await rm(scratch, {recursive: true, force: true});
		}
	},
});
