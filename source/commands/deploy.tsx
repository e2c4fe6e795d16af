// todo-deploy deploy: the Secret, helm upgrade --install with the built images, and the rollout watched
// pod by pod.
import path from 'node:path';
import {writeJson, writeErr} from '../command-kit/io.js';
import type {FlowAction} from '../engine/flow/actions.js';
import {flowQuestions} from '../engine/flow/questions.js';
import {flowReducer, initialFlowState, type FlowState} from '../engine/flow/reducer.js';
import {failedStep, finishFlow} from '../engine/flow/steps.js';
import {localSystem, sessionLog, type System} from '../engine/system.js';
import type {ClusterTarget} from '../engine/cluster-target.js';
import type {FittedChart} from '../engine/deploy/fit.js';
import type {ResolvedProject} from '../engine/project/resolve.js';
import {createStore} from '../engine/store.js';
import {defineCommand} from '../command-kit/command.js';
import {clusterChoice, deployFlags, deploySettings} from '../command-kit/groups.js';
import {flowScreens} from '../command-kit/flow-screens.js';
import {runWithScreens} from '../command-kit/runner.js';
import {clusterOrSay, fitRun, orSay, projectOrSay, projectRoot} from '../command-kit/project.js';
import {stepsJson} from '../render/step-words.js';

export const deployCommand = defineCommand({
	name: 'deploy',
	synopsis: '[DIR]',
	maxArgs: 1,
	summary: 'the Secret, helm upgrade --install, the rollout watched pod by pod',
	description:
		"Puts the secrets into a Kubernetes Secret through the API (from the environment, .env, a masked prompt, or generated), runs helm upgrade --install with the images' content tags, and watches every pod until it is ready; a failure names the pods and why.",
	examples: ['npx todo-deploy deploy -n todo', 'npx todo-deploy deploy --set backend.replicas=2 -f my-values.yaml', 'npx todo-deploy deploy --recover'],
	flags: deployFlags,
	async run({flags, args, mode, env}) {
		const root = projectRoot(args[0]);
		const log = sessionLog(root, 'deploy', env);
		const project = await projectOrSay(root, {chart: flags.chart});
		if (!project) {
			return {failure: 'fix-first'};
		}

		const [
			{runDeploy, deploySteps, deployRecord, deployAnswers},
			{readDotenv, secretSpecsFor},
			{chartToDeploy, chartAfterUp},
			{clusterImagesOf},
			{initialStatusState, statusReducer},
			{recordSection},
			{fitForChart},
			{fitNotes, fitRecord},
			{givenSecretProblems},
			{givenSecretWords},
		] = await Promise.all([
			import('../engine/deploy/run.js'),
			import('../engine/deploy/secrets.js'),
			import('../engine/project/chart.js'),
			import('../engine/status/cluster-images.js'),
			import('../engine/status/reducer.js'),
			import('../engine/report/run.js'),
			import('../engine/deploy/fitted-values.js'),
			import('../engine/deploy/fit.js'),
			import('../engine/deploy/collect.js'),
			import('../render/deploy-words.js'),
		]);
		const asked = await chartToDeploy(root, flags.chart, project.chart);
		const {chart, why: keptBuiltin} = flags.chart ? {chart: asked, why: undefined} : await chartAfterUp(root, asked);
		// The app's contract fitted once: what the builds bake in, and what todo-deploy's chart is given
		// (a chart of the project's own is deployed as it is).
		const {fitted} = await fitRun(localSystem(env), root, project, {release: flags.release, building: false});
		const fit = await fitForChart(chart, fitted);
		// Before the cluster is asked anything: the secrets as given, and Helm. A problem here changes nothing.
		const dotenv = await readDotenv(root);
		const given = givenSecretProblems({env, dotenv, random: () => 'x'}, secretSpecsFor(fit?.bindings));
		if (given.length > 0) {
			writeErr(givenSecretWords(given));
			return {failure: 'fix-first'};
		}

		if (!(await localSystem(env).which('helm'))) {
			writeErr('todo-deploy: Helm is not installed, so nothing was changed.\n  fix: npx todo-deploy install helm\n');
			return {failure: 'environment'};
		}

		// The cluster, resolved once: helm, the API and the image lookups all use this target.
		const reached = await clusterOrSay(localSystem(env), clusterChoice(flags), {release: flags.release});
		if (!reached) {
			return {failure: 'environment'};
		}

		const {cluster, target} = reached;
		const values = await imageValuesOrSay(localSystem(env), root, project, {fitted, buildArgs: flags['build-arg'], registry: flags.registry, target});
		if (!values) {
			return {failure: 'fix-first'};
		}

		const flow = createStore<FlowState, FlowAction>(flowReducer, initialFlowState());
		const status = createStore(statusReducer, initialStatusState());
		const asking = mode === 'interactive' && !flags.yes;
		const questions = flowQuestions(flow);
		flow.dispatch({type: 'flow/planned', title: `deploy ${flags.release} → ${flags.namespace} in ${cluster.context}`, steps: deploySteps});
		if (keptBuiltin) {
			flow.dispatch({
				type: 'flow/note',
				text: `todo-deploy's chart, fitted, as the last up installed (${keptBuiltin}); --chart ${path.relative(root, asked) || asked} deploys the project's own.`,
			});
		}

		for (const note of fit
			? fitNotes(fit)
			: [`${path.relative(root, chart) || chart} is the project's own chart: deployed as it is (todo-deploy lint checks it against the app).`]) {
			flow.dispatch({type: 'flow/note', text: note});
		}

		const startedAt = Date.now();
		const {value: result, cancelled} = await runWithScreens(
			mode,
			flowScreens(flow, {pods: {store: status, context: cluster.context, namespace: flags.namespace, during: 'rollout'}, questions}),
			async signal => {
				questions.cancelWith(signal);
				const system = localSystem(env, {signal, log});
				const deployed = await runDeploy(system, cluster, flow, status, {
					root,
					target,
					chart,
					fit,
					...deploySettings(flags, deployAnswers(asking ? questions : undefined, flags['on-failure']), {env, dotenv, log, command: 'todo-deploy deploy'}),
					values: {...values, ...flags.set},
					signal,
					clusterImages: clusterImagesOf(system, target),
				});
				const failed = failedStep(flow);
				finishFlow(flow, {
					startedAt,
					cancelled: signal.aborted,
					succeeded: deployed.ready,
					message: deployed.ready
						? `Deployed: every pod of ${flags.release} is ready. Watch it: todo-deploy status -n ${flags.namespace}`
						: `Not deployed${failed ? `: ${failed.title} failed` : ''}.`,
				});
				return deployed;
			},
		);
		const record = deployRecord({release: flags.release, namespace: flags.namespace, context: cluster.context}, result);
		await recordSection(root, 'deploy', {status: result.ready ? 'verified' : 'failed', data: record});
		if (mode === 'json') {
			const state = flow.getState();
			await writeJson({...record, chart, fitted: fit ? fitRecord(fit) : null, steps: stepsJson(state.steps), notes: state.notes});
		}

		return {failure: cancelled ? 'cancelled' : result.failure};
	},
});

/**
 * The chart's image values: the tags build gives these sources with these build arguments (--build-arg
 * as build took them), from the registry given or, on kind, the cluster's local registry when load or up
 * pushed them there. undefined after saying why: a tag no build here made, or sources that cannot be read.
 */
async function imageValuesOrSay(
	system: System,
	root: string,
	project: ResolvedProject,
	given: {
		readonly fitted: FittedChart;
		readonly buildArgs: Readonly<Record<string, string>>;
		readonly registry: string | undefined;
		readonly target: ClusterTarget;
	},
): Promise<Record<string, string> | undefined> {
	const [{plannedImages, chartImageValues, imageBuildArgs}, {kindRegistryHolding}, {imageGuards}, {readBuilds, unbuiltTags}, {unbuiltWords}] =
		await Promise.all([
			import('../engine/images/values.js'),
			import('../engine/images/kind-registry.js'),
			import('../engine/images/guard.js'),
			import('../engine/images/builds.js'),
			import('../render/images-words.js'),
		]);
	return orSay(async () => {
		const plans = await plannedImages(
			system,
			root,
			project,
			imageBuildArgs(given.fitted, given.buildArgs),
			imageGuards(project, project.contract, false, given.fitted.bakedEnv),
		);
		const unbuilt = unbuiltTags(plans, await readBuilds(root));
		if (unbuilt.length > 0) {
			writeErr(unbuiltWords(unbuilt));
			return undefined;
		}

		const values = chartImageValues(plans, given.registry);
		const local = given.registry ? undefined : await kindRegistryHolding(given.target, values);
		return local ? chartImageValues(plans, local) : values;
	});
}
