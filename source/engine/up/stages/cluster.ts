// Have a cluster: the one named (--kind, --minikube, --context), the one that runs, or the one the
// doctor recommends, started now; then the cluster target resolved once for every later stage, and
// the way the images go to it (kind's local registry, or kind load).
import path from 'node:path';
import {loadKubeconfig} from '../../../adapters/kube.js';
import type {Cluster} from '../../../adapters/cluster.js';
import {ensureStateDir, writePrivate} from '../../../adapters/state-dir.js';
import {clusterStartNotes, explainClusterStart} from '../../../diagnose/cluster-start.js';
import {connect, resolveClusterTarget, type ClusterTarget} from '../../cluster.js';
import {chosenContext} from '../../cluster-target.js';
import {startDockerCommand} from '../../doctor/platform.js';
import {commandText, type PlatformFacts, type StartCommand} from '../../doctor/types.js';
import {messageOf} from '../../errors.js';
import type {LoadTarget} from '../../images/actions.js';
import {kindClusterConfig, routeKindTarget} from '../../images/kind-registry.js';
import {resolveLoadTarget, type ResolvedTarget} from '../../images/target.js';
import {recordCreatedCluster} from '../../report/run.js';
import {extraPortMappingsYaml, kindMappingsFor} from '../../browser/kind-mapping.js';
import {defineStage, next, stop, type ChosenCluster, type StageBase, type UpRequest} from '../stage.js';

declare module '../stage.js' {
	interface UpFacts {
		/** The cluster and namespace, resolved once the cluster is there. */
		readonly target: ClusterTarget;
		/** Where the images go (the nodes, kind's local registry, a registry). */
		readonly destination: LoadTarget;
		readonly cluster: Cluster;
	}
}

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

type Started = {readonly failure: {readonly message: string; readonly fix: string; readonly evidence: readonly string[]}} | {readonly notes: readonly string[]};

/** Runs a start command the doctor (or --kind/--minikube) gave as data; its notes when it worked, else why not. */
async function start(base: StageBase, command: StartCommand, onDetail: (text: string) => void): Promise<Started> {
	const shown = commandText(command);
	const tool = await base.system.which(command.program);
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
	const started = await base.system.run(tool, command.args, {timeoutMs: 15 * 60_000});
	const output = `${started.stdout}\n${started.stderr}`;
	if (started.exitCode !== 0) {
		// The tool's own reason (minikube's "Exiting due to", kind's ERROR line), not its last line.
		const platform = base.doctor.getState().checks.platform;
		const startDocker = platform.type === 'done' && platform.outcome.facts ? startDockerCommand(platform.outcome.facts as PlatformFacts) : undefined;
		const explained = explainClusterStart({program: command.program, args: command.args, startDocker}, output);
		return {failure: {message: `${shown} failed: ${explained.cause}`, fix: explained.fix, evidence: [...explained.evidence]}};
	}

	if (command.creates) {
		await recordCreatedCluster(base.request.root, {...command.creates, command: shown});
	}

	return {notes: clusterStartNotes(output)};
}

/**
 * A kind cluster todo-deploy creates reads registry settings from certs.d (kindClusterConfig), so a local
 * registry can be added to it later without restarting containerd, and maps the browser's addresses to
 * the sides' NodePorts, so the app answers at them with todo-deploy closed; a --config the user gave is kept.
 */
async function withRegistryReadyConfig(request: UpRequest, command: StartCommand | undefined): Promise<StartCommand | undefined> {
	if (command?.program !== 'kind' || command.args[0] !== 'create' || command.args.includes('--config')) {
		return command;
	}

	const file = path.join(await ensureStateDir(request.root), 'kind-cluster.yaml');
	await writePrivate(file, kindClusterConfig(extraPortMappingsYaml(kindMappingsFor(request.addresses))));
	return {...command, args: [...command.args, '--config', file]};
}

/** On kind: through its local registry (used when there, set up when asked or when the cluster is new), else kind load, saying why. */
async function withLocalRegistry(
	base: StageBase,
	step: {detail(text: string): void},
	created: boolean,
	api: ClusterTarget | undefined,
	resolved: ResolvedTarget,
): Promise<ResolvedTarget & {route?: string | undefined}> {
	if (!resolved.target) {
		return resolved;
	}

	const routed = await routeKindTarget(base.system, resolved.target, {
		choice: base.request.localRegistry,
		api,
		created,
		onProgress: text => step.detail(text),
	});
	return {...resolved, target: routed.target, route: routed.words};
}

/** What to start: the named cluster when it is not there yet, else the doctor's recommendation (nothing when one runs). */
async function startCommandFor(base: StageBase, recommendation: {readonly target: string | null; readonly start?: StartCommand | null}) {
	const {request} = base;
	const chosen = chosenCluster(request.kind, request.minikube);
	const loaded = await loadKubeconfig(base.system, request.clusterChoice.kubeconfig ? [request.clusterChoice.kubeconfig] : undefined);
	const chosenExists = chosen !== undefined && loaded.type === 'loaded' && loaded.config.getContextObject(chosen.context) !== null;
	return withRegistryReadyConfig(
		request,
		chosen ? (chosenExists ? undefined : chosen.create) : recommendation.target === 'existing-context' ? undefined : (recommendation.start ?? undefined),
	);
}

export const clusterStage = defineStage({
	id: 'cluster',
	rows: [{id: 'cluster', title: 'Local cluster'}],
	reads: ['recommendation'],
	adds: ['target', 'destination', 'cluster'],
	async run({recommendation}, base) {
		const {request} = base;
		const startCommand = await startCommandFor(base, recommendation);
		const step = base.rows.begin('cluster', startCommand ? commandText(startCommand) : `the context ${chosenContext(request.clusterChoice) ?? 'in use'}`);
		let notes: readonly string[] = [];
		if (startCommand) {
			const started = await start(base, startCommand, text => step.detail(text));
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
			target = await resolveClusterTarget(base.system, request.clusterChoice);
		} catch (error) {
			unreachable = messageOf(error);
		}

		const flags = {kind: request.kind, minikube: request.minikube, registry: request.registry};
		const resolved = await withLocalRegistry(base, step, startCommand?.creates?.type === 'kind', target, resolveLoadTarget(flags, target, unreachable));
		if (!resolved.target || !target) {
			step.failed(
				`No local cluster to deploy to: ${resolved.target ? (unreachable ?? 'its context cannot be resolved') : resolved.why}.`,
				'Start one: minikube start --driver=docker, or kind create cluster --name todo (or let todo-deploy: --kind todo)',
			);
			return stop('cluster', 'environment', 'no cluster');
		}

		let cluster: Cluster;
		try {
			cluster = await connect(target, {release: request.deploy.release});
		} catch (error) {
			step.failed(`The cluster does not answer: ${messageOf(error)}`, 'todo-deploy doctor checks the kube context.');
			return stop('cluster', 'environment', 'no cluster');
		}

		step.done({
			kind: 'cluster',
			destination: resolved.target,
			context: cluster.context,
			started: startCommand ? commandText(startCommand) : undefined,
			notes: [...notes, ...(resolved.route ? [resolved.route] : [])],
		});
		return next({target, destination: resolved.target, cluster});
	},
});
