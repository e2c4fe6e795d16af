// todo-deploy up (and dev): the wizard from checks to verified, then the live status screen or watch mode.
import path from 'node:path';
import type {FlowAction} from '../engine/flow/actions.js';
import {flowQuestions} from '../engine/flow/questions.js';
import {flowReducer, initialFlowState, type FlowState} from '../engine/flow/reducer.js';
import {finishFlow} from '../engine/flow/steps.js';
import {localSystem, sessionLog, toolsDir, type Env, type SessionLog} from '../engine/system.js';
import type {Questions} from '../engine/flow/questions.js';
import type {ResolvedProject} from '../engine/project/resolve.js';
import {createStore} from '../engine/store.js';
import {skippableSteps, type Skippable} from '../engine/up/skips.js';
import {displayPath} from '../render/format.js';
import {defineCommand} from '../command-kit/command.js';
import {booleanFlag, listFlag, stringFlag, UsageError, type FlagValues} from '../command-kit/flags.js';
import {
	buildFlags,
	checkOneTarget,
	clusterChoice,
	deployFlags,
	kindRouteFlags,
	localRegistryChoice,
	deploySettings,
	imageSettings,
	mirrorFlag,
	scanFlags,
	verifyFlags,
	verifySettings,
} from '../command-kit/groups.js';
import {flowScreens} from '../command-kit/flow-screens.js';
import {inCi, writeErr, writeJson, type Mode} from '../command-kit/io.js';
import {runWithScreens} from '../command-kit/runner.js';
import {clusterOrSay, fitRun, projectOrSay, projectRoot} from '../command-kit/project.js';
import {holdInPlainLines} from '../command-kit/hold-addresses.js';
import {showStatus} from '../command-kit/status-screen.js';
import {watchChanges} from '../command-kit/watch-mode.js';
import type {UpRequest} from '../engine/up/stage.js';
import type {UpResult} from '../engine/up/run.js';
import type {Outcome} from '../engine/outcome.js';
import type {AppContract} from '../engine/project/read-contract.js';
import type {Addresses} from '../engine/browser/addresses.js';
import {loadMissedWords, upSucceededWords} from '../render/up-words.js';
import {stepsJson} from '../render/step-words.js';

// up builds and deploys both sides: building one is build's --only, not up's.
const {only: _buildOnly, ...upBuildFlags} = buildFlags;

const upFlags = {
	...upBuildFlags,
	...scanFlags,
	kind: stringFlag({value: 'CLUSTER', description: 'use (or create) this kind cluster'}),
	minikube: stringFlag({value: 'PROFILE', description: 'use (or start) this minikube profile'}),
	...kindRouteFlags,
	...deployFlags,
	...verifyFlags,
	skip: listFlag({
		value: 'LIST',
		commas: true,
		description: `steps to switch off: ${skippableSteps.join(', ')}`,
		check: item => ((skippableSteps as readonly string[]).includes(item) ? undefined : `takes ${skippableSteps.join(', ')} (comma-separated)`),
	}),
	...mirrorFlag,
	watch: booleanFlag({
		description: 'after the deploy, watch the backend and frontend folders: each save is built, sent and rolled out by itself (todo-deploy dev)',
	}),
	open: booleanFlag({
		description: 'once the app is verified, open it in the browser (its addresses are held while todo-deploy runs; without a terminal, until Ctrl-C)',
	}),
};

export const upCommand = defineCommand({
	name: 'up',
	aliases: ['wizard'],
	synopsis: '[DIR]',
	maxArgs: 1,
	summary: 'the wizard: checks, plan, tools, cluster, images, deploy, verify, then status',
	description:
		'The wizard (also todo-deploy with no command): checks this machine, shows the plan, then installs, starts (or creates) the cluster, builds, loads, scans, lints, deploys, verifies and writes .todo-deploy/report.md, then stays open as the status screen. It takes the options of build, scan, deploy and verify.',
	examples: [
		'npx todo-deploy',
		'npx todo-deploy --yes',
		'npx todo-deploy up --kind todo --skip load-check',
		'npx todo-deploy up ~/code/todo --users 50 --duration 10',
	],
	flags: upFlags,
	check({flags}) {
		checkOneTarget(flags);
		if (flags.watch && flags.json) {
			throw new UsageError('--watch prints a line per change; it does not go with --json.');
		}
	},
	async run({flags, args, mode, env}) {
		const root = projectRoot(args[0]);
		const asking = mode === 'interactive' && !flags.yes;
		if (mode !== 'interactive' && !flags.yes && !inCi()) {
			writeErr(
				'todo-deploy: there is no terminal to ask before installing tools, starting a cluster and deploying; run with --yes to go ahead (todo-deploy doctor only checks).\n',
			);
			return {failure: 'fix-first'};
		}

		const project = await bothSidesOrSay(root, flags);
		if (!project) {
			return {failure: 'fix-first'};
		}

		const [{runUp, upSteps, onlyLoadMissed}, {readDotenv, secretSpecsFor}, {initialStatusState, statusReducer}, {givenSecretProblems}, {givenSecretWords}] =
			await Promise.all([
				import('../engine/up/run.js'),
				import('../engine/deploy/secrets.js'),
				import('../engine/status/reducer.js'),
				import('../engine/deploy/collect.js'),
				import('../render/deploy-words.js'),
			]);
		const log = sessionLog(root, 'up', env);
		const flow = createStore<FlowState, FlowAction>(flowReducer, initialFlowState());
		const status = createStore(statusReducer, initialStatusState());
		const questions = flowQuestions(flow);
		// --no-load is the same as --skip load-check.
		const skip = new Set<Skippable>([...(flags.skip as Skippable[]), ...(flags['no-load'] ? ['load-check' as const] : [])]);
		flow.dispatch({type: 'flow/planned', title: `up: ${path.basename(root)} → release ${flags.release} in ${flags.namespace}`, steps: upSteps(skip)});
		const dotenv = await readDotenv(root);
		// A placeholder secret stops the wizard before it builds or installs anything.
		const given = givenSecretProblems({env, dotenv, random: () => 'x'}, secretSpecsFor());
		if (given.length > 0) {
			writeErr(givenSecretWords(given));
			return {failure: 'fix-first'};
		}

		const {request: upRequest, notes, addresses} = await upRequestOf(flags, {root, env, project, skip, dotenv, log, questions: asking ? questions : undefined});
		for (const note of notes) {
			flow.dispatch({type: 'flow/note', text: note});
		}

		const frontendUrl = addresses.frontend === undefined ? undefined : `http://localhost:${addresses.frontend}`;
		const startedAt = Date.now();
		const {value: result, cancelled} = await runWithScreens(
			mode,
			flowScreens(flow, {pods: {store: status, context: flags.context ?? '', namespace: flags.namespace, during: 'rollout'}, questions}),
			async signal => {
				questions.cancelWith(signal);
				const done = await runUp(localSystem(env, {signal, log, toolsDir: upRequest.installDir}), flow, status, {...upRequest, signal});
				const failed = flow.getState().steps.find(step => step.id === done.failedStep);
				const report = done.report ? displayPath(done.report) : '.todo-deploy/report.md';
				// Only the load target missed: the app works for its user, so the end still gives its address first.
				const onlyLoad = onlyLoadMissed(done) && !signal.aborted;
				const ended = {namespace: flags.namespace, report, frontend: frontendUrl, live: mode === 'interactive', reach: done.reach};
				finishFlow(flow, {
					startedAt,
					cancelled: signal.aborted,
					succeeded: done.failure === undefined,
					message: done.declined
						? 'Nothing was changed.'
						: onlyLoad
							? upSucceededWords({...ended, verified: true, missed: loadMissedWords(done.verify?.load)})
							: done.failure
								? `Stopped at "${failed?.title ?? done.failedStep ?? ''}". The report says what was verified: ${report}`
								: upSucceededWords({...ended, verified: !skip.has('verify')}),
				});
				return done;
			},
		);
		log.note(`finished: ${flow.getState().outcome?.message ?? ''}`);
		if (mode === 'json') {
			const state = flow.getState();
			await writeJson({
				outcome: state.outcome,
				failedStep: result.failedStep ?? null,
				report: result.report ?? null,
				steps: stepsJson(state.steps),
				notes: state.notes,
			});
		} else {
			writeErr(`Session log (secrets masked): ${displayPath(log.file)}\n`);
		}

		if (cancelled) {
			return {failure: 'cancelled'};
		}

		return afterUp(env, mode, flags, {result, upRequest, contract: project.contract, onlyLoadMissed: onlyLoadMissed(result)});
	},
});

type UpFlags = FlagValues<typeof upFlags>;

/**
 * What comes after the wizard's run: watch mode (--watch); on a terminal, the live status screen,
 * which holds the browser's addresses (and opens the browser with --open); without one, with --open,
 * the addresses held in plain lines until Ctrl-C.
 */
async function afterUp(
	env: Env,
	mode: Mode,
	flags: UpFlags,
	run: {readonly result: UpResult; readonly upRequest: UpRequest; readonly contract: AppContract; readonly onlyLoadMissed: boolean},
): Promise<Outcome> {
	const {result, upRequest} = run;
	const where = {...clusterChoice(flags), release: flags.release};
	const addresses = {root: upRequest.root, contract: run.contract, release: flags.release};
	// A declined plan changed nothing: there is nothing to watch, show or hold.
	if (result.declined) {
		return {failure: undefined};
	}

	if (flags.watch) {
		if (!result.dev) {
			writeErr('todo-deploy: not watching: the deploy did not get every pod ready. Fix what the flow says and run again.\n');
			return {failure: result.failure ?? 'rollout'};
		}

		return watchChanges(env, mode, result.dev, upRequest, where, {...addresses, open: flags.open});
	}

	// Once something is deployed, the wizard stays open as the live troubleshooting screen (q quits).
	if (mode === 'interactive' && result.deploy !== undefined) {
		await showStatus(env, where, {
			mode,
			once: false,
			addresses,
			open: flags.open,
			bundle: {env, root: upRequest.root, release: flags.release, choice: clusterChoice(flags)},
		});
	} else if (flags.open && (result.failure === undefined || run.onlyLoadMissed)) {
		const system = localSystem(env);
		const reached = await clusterOrSay(system, clusterChoice(flags), {release: flags.release});
		if (!reached) {
			return {failure: 'environment'};
		}

		const held = await holdInPlainLines(system, reached, {...addresses, namespace: flags.namespace, browser: true, mode});
		return held.failure === undefined ? {failure: result.failure} : held;
	}

	return {failure: result.failure};
}

/** The project, when it has both a backend and a frontend Dockerfile; undefined after saying what is missing. */
async function bothSidesOrSay(root: string, flags: UpFlags): Promise<(ResolvedProject & Required<Pick<ResolvedProject, 'backend' | 'frontend'>>) | undefined> {
	const project = await projectOrSay(root, {backend: flags.backend, frontend: flags.frontend, chart: flags.chart});
	if (!project) {
		return undefined;
	}

	const {backend, frontend} = project;
	if (!backend || !frontend) {
		const missing = [backend ? '' : 'no backend Dockerfile', frontend ? '' : 'no frontend Dockerfile'].filter(Boolean).join(' and ');
		writeErr(
			`todo-deploy: ${missing} found in ${root}.\n${project.found.notes.map(note => `  ${note}\n`).join('')}Name them: --backend DIR --frontend DIR (todo-deploy discover shows what was found).\n`,
		);
		return undefined;
	}

	return {...project, backend, frontend};
}

/** The whole run as the stages take it; the app's contract is fitted here once, for the builds and the chart. */
async function upRequestOf(
	flags: UpFlags,
	given: {
		readonly root: string;
		readonly env: Env;
		readonly project: ResolvedProject & Required<Pick<ResolvedProject, 'backend' | 'frontend'>>;
		readonly skip: ReadonlySet<Skippable>;
		readonly dotenv: Readonly<Record<string, string>>;
		readonly log: SessionLog;
		readonly questions: Questions | undefined;
	},
): Promise<{readonly request: UpRequest; readonly notes: readonly string[]; readonly addresses: Addresses}> {
	const {root, env, project, dotenv, log, questions} = given;
	const [{deployAnswers}, {chartToDeploy}, {imageBuildArgs}, {imageGuards}, {verifyTargets}] = await Promise.all([
		import('../engine/deploy/run.js'),
		import('../engine/project/chart.js'),
		import('../engine/images/values.js'),
		import('../engine/images/guard.js'),
		import('../engine/verify/targets.js'),
	]);
	const {fitted, notes, addresses} = await fitRun(localSystem(env), root, project, {release: flags.release, building: true});
	const request: UpRequest = {
		root,
		env,
		sources: {backend: project.backend, frontend: project.frontend},
		chart: await chartToDeploy(root, flags.chart, project.chart),
		contract: project.contract,
		fitted,
		addresses,
		skip: given.skip,
		installDir: toolsDir(env),
		mirror: flags.mirror,
		kind: flags.kind,
		minikube: flags.minikube,
		registry: flags.registry,
		localRegistry: localRegistryChoice(flags),
		images: {
			...imageSettings(flags, root, imageBuildArgs(fitted, flags['build-arg'])),
			guards: imageGuards({backend: project.backend, frontend: project.frontend}, project.contract, flags['allow-secrets-in-image'], fitted.bakedEnv),
		},
		clusterChoice: clusterChoice(flags),
		deploy: {
			...deploySettings(flags, deployAnswers(questions, flags['on-failure']), {
				env,
				dotenv,
				log,
				command: flags.watch ? 'todo-deploy up --watch' : 'todo-deploy up',
			}),
			sets: flags.set,
		},
		verify: verifySettings(flags, env, verifyTargets(project.contract)),
		questions,
	};
	return {request, notes, addresses};
}

/** todo-deploy dev: the wizard, then watch mode (up --watch). */
export const devCommand = defineCommand({
	...upCommand,
	name: 'dev',
	aliases: [],
	summary: 'up --watch: the wizard, then each save built, sent and rolled out by itself',
	description:
		'The wizard (as up), then watch mode: a save in the backend or frontend folder (what .dockerignore leaves out does not count) is built, sent to the cluster and rolled out for that side alone, with the time from the save to the new pod Ready split into build, transfer and rollout. A failed build or rollout is shown and the next save tries again; Ctrl-C stops watching and leaves the last good release running.',
	examples: ['npx todo-deploy dev', 'npx todo-deploy dev --minikube todo --skip load-check'],
	async run(input) {
		return upCommand.run({...input, flags: {...input.flags, watch: true}});
	},
});
