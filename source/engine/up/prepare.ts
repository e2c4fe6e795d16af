// The wizard's first stages: check the machine and agree on the plan, install what the path needs,
// and have a cluster (the one named, the one that runs, or the one the doctor recommends, started now).
import {loadKubeconfig} from '../../adapters/kube.js';
import {clusterStartNotes, explainClusterStart} from '../../diagnose/cluster-start.js';
import {connect, resolveClusterTarget, type ClusterTarget} from '../cluster.js';
import {chosenContext} from '../cluster-target.js';
import {messageOf} from '../errors.js';
import {startDockerCommand} from '../doctor/platform.js';
import {runDoctor} from '../doctor/run.js';
import {commandText, type PlatformFacts, type StartCommand} from '../doctor/types.js';
import {describeTarget} from '../images/actions.js';
import {resolveLoadTarget, type ResolvedTarget} from '../images/target.js';
import {kindClusterConfig, routeKindTarget} from '../images/kind-registry.js';
import {ensureStateDir, writePrivate} from '../../adapters/state-dir.js';
import path from 'node:path';
import {recordCreatedCluster} from '../report/run.js';
import {createStore} from '../store.js';
import type {InstallAction} from '../tools/actions.js';
import {runInstall} from '../tools/install.js';
import {initialInstallState, installReducer, installSucceeded, type InstallState} from '../tools/reducer.js';
import {skippableSteps, type Skippable} from './skips.js';
import {next, stop, type ChosenCluster, type UpContext, type UpStage} from './stage.js';
import type {AppContract} from '../project/read-contract.js';

/** --kind or --minikube choose the cluster, created when it does not exist yet. */
export function chosenCluster(kind: string | undefined, minikube: string | undefined): ChosenCluster | undefined {
	if (kind) {
		return {type: 'kind', context: `kind-${kind}`, create: {program: 'kind', args: ['create', 'cluster', '--name', kind], creates: {type: 'kind', name: kind}}};
	}

	return minikube
		? {
				type: 'minikube',
				context: minikube,
				create: {program: 'minikube', args: ['start', '-p', minikube, '--driver=docker'], creates: {type: 'minikube', name: minikube}},
			}
		: undefined;
}

/** The app as the plan says it: each side's port and health path, and the settings its code reads. */
export function contractSummary(contract: AppContract): string {
	const sides = (['backend', 'frontend'] as const).flatMap(side => {
		const service = contract[side];
		if (!service) {
			return [];
		}

		const names = service.env.filter(entry => entry.kind !== 'plain').map(entry => entry.name);
		return [
			`${side} on ${service.port ?? '?'}${service.health[0] ? ` (${service.health[0]})` : ''}${names.length > 0 ? ` reading ${names.slice(0, 4).join(', ')}${names.length > 4 ? ', …' : ''}` : ''}`,
		];
	});
	return sides.length > 0 ? `The app, as its code reads it: ${sides.join('; ')}.` : '';
}

async function confirmPlan(context: UpContext): Promise<boolean> {
	const {request, recommendation} = context;
	const {questions} = request;
	if (!questions || !recommendation) {
		return true;
	}

	const tools = recommendation.install.map(step => `${step.tool} ${step.version}`);
	const labels: Readonly<Record<Skippable, string>> = {
		install: tools.length > 0 ? `install ${tools.join(', ')} (no sudo, checksum-verified)` : 'install missing tools (none missing)',
		scan: 'scan the images with Trivy and stop on fixable CRITICAL findings',
		lint: 'lint the chart before deploying',
		verify: "verify: health paths, the todo API as a signed-in user would use it, the frontend's way to the backend",
		'load-check': `load check: ${request.verify.users} users for ${Math.round(request.verify.durationMs / 1000)} s against p95 < ${request.verify.targetP95Ms} ms`,
	};
	const cluster = request.kind
		? `Use the kind cluster "${request.kind}" (created if there is none)`
		: request.minikube
			? `Use the minikube profile "${request.minikube}" (started if there is none)`
			: recommendation.target === 'existing-context'
				? 'Use the cluster that runs now'
				: `Start a cluster (${recommendation.command ?? ''})`;
	const answer = await questions.ask({
		kind: 'plan',
		text: `${cluster}, build and load both images, deploy release ${request.deploy.release} into ${request.clusterChoice.namespace}. ${contractSummary(request.contract)} Go?`,
		options: skippableSteps.map(id => ({id, label: labels[id], on: !context.skip.has(id)})),
	});
	if (!Array.isArray(answer)) {
		return false;
	}

	const on = new Set(answer as readonly string[]);
	context.skip = new Set(skippableSteps.filter(id => !on.has(id)));
	return true;
}

export const doctorStage: UpStage = {
	id: 'doctor',
	rows: [{id: 'doctor', title: 'Check this machine'}],
	async run(context) {
		const doctor = context.rows.begin('doctor', 'Docker, minikube, kind, kubectl, Helm, Trivy, kube contexts');
		const recommendation = await runDoctor(context.system, context.doctor);
		context.recommendation = recommendation;
		if (!recommendation.target) {
			doctor.failed(`No path to a cluster from here yet: ${recommendation.why}`, recommendation.fixes[0], recommendation.fixes.slice(1));
			return stop('doctor', 'fix-first', 'the machine needs a fix first');
		}

		doctor.done(recommendation.why);
		if (!(await confirmPlan(context))) {
			return {type: 'declined'};
		}

		// --kind or --minikube choose the path: the other cluster tool is not needed, this one is.
		const {chosen} = context;
		const needed = recommendation.install
			.map(step => step.tool)
			.filter(tool => !(context.skip.has('scan') && tool === 'trivy') && !(chosen && (tool === 'kind' || tool === 'minikube') && tool !== chosen.type));
		context.missing = chosen && !needed.includes(chosen.type) && !(await context.system.which(chosen.type)) ? [...needed, chosen.type] : needed;
		return next;
	},
};

export const installStage: UpStage = {
	id: 'install',
	rows: [{id: 'install', title: 'Install missing tools', off: ['install']}],
	skip(context) {
		if (context.skip.has('install') && context.missing.some(tool => tool !== 'trivy')) {
			context.flow.dispatch({
				type: 'flow/note',
				text: `Install is switched off, and ${context.missing.join(', ')} ${context.missing.length === 1 ? 'is' : 'are'} missing: the steps that need ${context.missing.length === 1 ? 'it' : 'them'} will say so.`,
			});
		}

		return context.skip.has('install') ? 'switched off' : context.missing.length === 0 ? 'every tool is there' : undefined;
	},
	async run(context) {
		const {request, missing} = context;
		const install = context.rows.begin('install', `${missing.join(', ')} into ${request.installDir}`);
		const store = createStore<InstallState, InstallAction>(installReducer, initialInstallState());
		store.subscribe(state => {
			install.detail(
				state.tools
					.map(
						entry =>
							`${entry.tool} ${entry.status.type === 'downloading' && entry.status.total ? `${Math.round((entry.status.received / entry.status.total) * 100)}%` : entry.status.type}`,
					)
					.join(', '),
			);
		});
		await runInstall(context.system, store, {
			tools: missing,
			dir: request.installDir,
			mirror: request.mirror,
			force: false,
			idleTimeoutMs: 30_000,
			attempts: 3,
			signal: request.signal,
		});
		if (!installSucceeded(store.getState())) {
			const failed = store.getState().tools.find(entry => entry.status.type === 'failed');
			const status = failed?.status.type === 'failed' ? failed.status : undefined;
			install.failed(`${failed?.tool ?? 'a tool'} could not be installed${status ? `: ${status.message}` : ''}`, status?.fix);
			return stop('install', 'environment', 'a tool is missing');
		}

		install.done(`${missing.join(', ')} installed (checksums verified)`);
		return next;
	},
};

/** Runs a start command the doctor (or --kind/--minikube) gave as data; undefined when it worked, else why not. */
async function start(
	context: UpContext,
	command: StartCommand,
	onDetail: (text: string) => void,
): Promise<{failure: {message: string; fix: string; evidence: string[]}} | {notes: string[]}> {
	const shown = commandText(command);
	const tool = await context.system.which(command.program);
	if (!tool) {
		return {
			failure: {
				message: `${command.program} is not installed, so the cluster cannot be started.`,
				fix: `npx todo-deploy install ${command.program}`,
				evidence: [],
			},
		};
	}

	onDetail(`${shown} (a few minutes the first time)`);
	const started = await context.system.run(tool, command.args, {timeoutMs: 15 * 60_000});
	const output = `${started.stdout}\n${started.stderr}`;
	if (started.exitCode !== 0) {
		// The tool's own reason (minikube's "Exiting due to", kind's ERROR line), not its last line.
		const platform = context.doctor.getState().checks.platform;
		const startDocker = platform.type === 'done' && platform.outcome.facts ? startDockerCommand(platform.outcome.facts as PlatformFacts) : undefined;
		const explained = explainClusterStart({program: command.program, args: command.args, startDocker}, output);
		return {failure: {message: `${shown} failed: ${explained.cause}`, fix: explained.fix, evidence: [...explained.evidence]}};
	}

	if (command.creates) {
		await recordCreatedCluster(context.request.root, {...command.creates, command: shown});
	}

	return {notes: clusterStartNotes(output)};
}

/**
 * A kind cluster todo-deploy creates reads registry settings from certs.d (kindClusterConfig), so a local
 * registry can be added to it later without restarting containerd; a --config the user gave is kept.
 */
async function withRegistryReadyConfig(root: string, command: StartCommand | undefined): Promise<StartCommand | undefined> {
	if (command?.program !== 'kind' || command.args[0] !== 'create' || command.args.includes('--config')) {
		return command;
	}

	const file = path.join(await ensureStateDir(root), 'kind-cluster.yaml');
	await writePrivate(file, kindClusterConfig);
	return {...command, args: [...command.args, '--config', file]};
}

/** On kind: through its local registry (used when there, set up when asked or when the cluster is new), else kind load, saying why. */
async function withLocalRegistry(
	context: UpContext,
	step: {detail(text: string): void},
	created: boolean,
	api: ClusterTarget | undefined,
	resolved: ResolvedTarget,
): Promise<ResolvedTarget & {route?: string | undefined}> {
	if (!resolved.target) {
		return resolved;
	}

	const routed = await routeKindTarget(context.system, resolved.target, {
		choice: context.request.localRegistry,
		api,
		created,
		onProgress: text => step.detail(text),
	});
	return {...resolved, target: routed.target, route: routed.words};
}

export const clusterStage: UpStage = {
	id: 'cluster',
	rows: [{id: 'cluster', title: 'Local cluster'}],
	async run(context) {
		const {request, chosen, recommendation} = context;
		const contextName = chosenContext(request.clusterChoice);
		const loaded = await loadKubeconfig(context.system, request.clusterChoice.kubeconfig ? [request.clusterChoice.kubeconfig] : undefined);
		const chosenExists = chosen !== undefined && loaded.type === 'loaded' && loaded.config.getContextObject(chosen.context) !== null;
		const startCommand = await withRegistryReadyConfig(
			request.root,
			chosen ? (chosenExists ? undefined : chosen.create) : recommendation?.target === 'existing-context' ? undefined : (recommendation?.start ?? undefined),
		);
		const step = context.rows.begin('cluster', startCommand ? commandText(startCommand) : `the context ${contextName ?? 'in use'}`);
		let notes: string[] = [];
		if (startCommand) {
			const started = await start(context, startCommand, text => step.detail(text));
			if ('failure' in started) {
				step.failed(started.failure.message, started.failure.fix, started.failure.evidence);
				return stop('cluster', 'environment', 'no cluster');
			}

			notes = started.notes;
		}

		// The cluster is there now: resolved once, for every step after this one.
		let target: ClusterTarget | undefined;
		let unreachable: string | undefined;
		try {
			target = await resolveClusterTarget(context.system, request.clusterChoice);
		} catch (error) {
			unreachable = messageOf(error);
		}

		const resolved = await withLocalRegistry(
			context,
			step,
			startCommand?.creates?.type === 'kind',
			target,
			resolveLoadTarget({kind: request.kind, minikube: request.minikube, registry: request.registry}, target, unreachable),
		);
		context.destination = resolved.target;
		if (!resolved.target || !target) {
			step.failed(
				`No local cluster to deploy to: ${resolved.target ? (unreachable ?? 'its context cannot be resolved') : resolved.why}.`,
				'Start one: minikube start --driver=docker, or kind create cluster --name todo (or let todo-deploy: --kind todo)',
			);
			return stop('cluster', 'environment', 'no cluster');
		}

		context.target = target;
		try {
			context.cluster = await connect(target, {selector: `app.kubernetes.io/instance=${request.deploy.release}`});
		} catch (error) {
			step.failed(`The cluster does not answer: ${error instanceof Error ? error.message : String(error)}`, 'todo-deploy doctor checks the kube context.');
			return stop('cluster', 'environment', 'no cluster');
		}

		step.done(
			[
				`${describeTarget(resolved.target)} (context ${context.cluster.context})${startCommand ? `, started with ${commandText(startCommand)}` : ''}`,
				...notes,
				...(resolved.route ? [resolved.route] : []),
			].join(' Note: '),
		);
		return next;
	},
};
