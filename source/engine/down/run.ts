// down: the release, todo-deploy's Secret, and (when asked) the namespace and the cluster todo-deploy
// created; what todo-deploy did not create is named, never deleted.
import {registryLeftBehind} from '../images/kind-registry.js';
import type {Cluster} from '../../adapters/cluster.js';
import type {ClusterTarget} from '../cluster-target.js';
import {releaseHistory, runHelm} from '../../adapters/helm.js';
import type {System} from '../../adapters/system.js';
import {secretNameOf} from '../deploy/run.js';
import type {FlowAction} from '../flow/actions.js';
import {flowSteps, stepList} from '../flow/steps.js';
import type {FlowState} from '../flow/reducer.js';
import type {FailureClass, Outcome} from '../outcome.js';
import type {CreatedCluster} from '../report/run.js';
import type {Store} from '../store.js';
import {lockRelease} from '../deploy/lock.js';

export const downSteps = stepList({release: 'Helm release', data: 'Database data', secret: 'Secret', namespace: 'Namespace', cluster: 'Cluster'});

export type DownRequest = {
	readonly release: string;
	readonly target: ClusterTarget;
	readonly deleteNamespace: boolean;
	/** Delete the database's volume claims (its data) too, and with them the password it needs. */
	readonly deleteData: boolean;
	readonly deleteCluster: boolean;
	readonly created: CreatedCluster | undefined;
	/** The project: its .todo-deploy/ holds this machine's lock on the release. */
	readonly root?: string | undefined;
};

type StepResult = {ok: boolean; text: string; fix?: string; failure?: FailureClass};

/** Removes what was asked; a step that could not is said, and the worst failure class returned. */
export async function runDown(system: System, cluster: Cluster, flow: Store<FlowState, FlowAction>, request: DownRequest): Promise<Outcome> {
	const {set: step, begin} = flowSteps(flow);
	const failures: FailureClass[] = [];
	const timed = async (id: string, detail: string, work: () => Promise<StepResult>) => {
		const running = begin(id, detail);
		try {
			const result = await work();
			if (result.ok) {
				running.done(result.text);
			} else {
				running.failed(result.text, result.fix);
				failures.push(result.failure ?? 'fix-first');
			}
		} catch (error) {
			// The API server or a tool did not answer.
			running.failed(error instanceof Error ? error.message : String(error), undefined);
			failures.push('environment');
		}
	};

	// Never while another run is changing the release: its helm would fight this uninstall.
	const lock = request.root
		? await lockRelease(cluster, {root: request.root, release: request.release, namespace: request.target.namespace, command: 'todo-deploy down', timeoutMs: 0})
		: undefined;
	if (lock && !lock.ok) {
		const {holder} = lock;
		await timed('release', `helm uninstall ${request.release}`, async () => ({
			ok: false,
			text: `Another run is changing the release ${request.release}: ${holder.command} on ${holder.host}${holder.pid > 0 ? ` (pid ${holder.pid})` : ''}, since ${holder.since}. Nothing was removed.`,
			fix: 'Let it finish (or stop it), then run down again.',
			failure: 'deploy',
		}));
		return {failure: 'deploy'};
	}

	try {
		return await removeAll(system, cluster, request, {timed, step, failures});
	} finally {
		await lock?.release();
	}
}

async function removeAll(
	system: System,
	cluster: Cluster,
	request: DownRequest,
	run: {
		readonly timed: (id: string, detail: string, work: () => Promise<StepResult>) => Promise<void>;
		readonly step: ReturnType<typeof flowSteps>['set'];
		readonly failures: readonly FailureClass[];
	},
): Promise<Outcome> {
	const {timed, step, failures} = run;
	await timed('release', `helm uninstall ${request.release}`, async () => uninstallRelease(system, request));
	// The database keeps its data, and in it the password it was first started with: while the data
	// lives, so does the Secret that holds that password (the next up then uses it again).
	const secret = secretNameOf(request.release);
	const kept: {claims: readonly string[]} = {claims: []};
	await timed('data', 'the database volume claims', async () => removeData(cluster, request, kept));
	await timed('secret', secret, async () =>
		kept.claims.length > 0
			? {ok: true, text: `kept ${secret}: the database's data keeps the password in it (--delete-data removes both)`}
			: {ok: true, text: (await cluster.deleteSecret(secret)) ? `deleted ${secret}` : 'there was none'},
	);
	if (request.deleteNamespace) {
		await timed('namespace', request.target.namespace, async () => removeNamespace(cluster, request, kept.claims));
	} else {
		step('namespace', {type: 'skipped', reason: `kept (--delete-namespace removes ${request.target.namespace})`});
	}

	if (request.deleteCluster) {
		await timed('cluster', 'the cluster todo-deploy started', async () => removeCluster(system, request.created));
	} else {
		step('cluster', {
			type: 'skipped',
			reason: request.created ? `kept (--delete-cluster removes the ${request.created.type} cluster "${request.created.name}" todo-deploy started)` : 'kept',
		});
	}

	return {failure: failures.includes('environment') ? 'environment' : failures[0]};
}

async function uninstallRelease(system: System, request: DownRequest): Promise<StepResult> {
	const helm = await system.which('helm');
	if (!helm) {
		return {ok: false, text: 'Helm is not installed.', fix: 'npx todo-deploy install helm', failure: 'environment'};
	}

	const history = await releaseHistory(system, helm, request.release, request.target);
	if (!history) {
		return {ok: true, text: `no release ${request.release} in ${request.target.namespace}`};
	}

	const result = await runHelm(system, helm, ['uninstall', request.release], request.target, 180_000);
	return result.exitCode === 0
		? {ok: true, text: `uninstalled ${request.release} (it had ${history.length} revision${history.length === 1 ? '' : 's'})`}
		: {ok: false, text: (result.stderr || result.stdout).trim().split('\n').at(-1) ?? 'helm uninstall failed'};
}

/** The database's volume claims: deleted with --delete-data, else kept (and named in kept.claims). */
async function removeData(cluster: Cluster, request: DownRequest, kept: {claims: readonly string[]}): Promise<StepResult> {
	const claims = await cluster.claims(`app.kubernetes.io/instance=${request.release},app.kubernetes.io/component=postgresql`);
	if (claims.length === 0) {
		return {ok: true, text: 'there was none'};
	}

	// Kept until every claim is deleted: a deletion that fails leaves the data, and so its password.
	kept.claims = claims;
	if (!request.deleteData) {
		return {ok: true, text: `kept ${claims.join(', ')}: every todo stays (--delete-data removes it, and every todo with it)`};
	}

	for (const claim of claims) {
		await cluster.deleteClaim(claim);
	}

	kept.claims = [];
	return {ok: true, text: `deleted ${claims.join(', ')}: the todos are gone`};
}

/** The namespace, only when todo-deploy created it and it holds no data that was kept. */
async function removeNamespace(cluster: Cluster, request: DownRequest, claims: readonly string[]): Promise<StepResult> {
	const {namespace} = request.target;
	const labels = await cluster.namespaceLabels();
	if (!labels) {
		return {ok: true, text: `${namespace} is already gone`};
	}

	if (claims.length > 0) {
		return {
			ok: false,
			text: `${namespace} holds the database's data (${claims.join(', ')}), kept since --delete-data was not given: deleting the namespace would delete it too.`,
			fix: `Add --delete-data to delete the data with the namespace (every todo is lost), or keep the namespace.`,
		};
	}

	if (labels['app.kubernetes.io/managed-by'] !== 'todo-deploy') {
		return {
			ok: false,
			text: `${namespace} was not created by todo-deploy, so it stays.`,
			fix: `Delete it yourself if nothing else lives there: kubectl delete namespace ${namespace}`,
		};
	}

	await cluster.deleteNamespace();
	return {ok: true, text: `deleted ${namespace} and what was left in it`};
}

/** The kind cluster or minikube profile todo-deploy started; any other stays. */
async function removeCluster(system: System, created: CreatedCluster | undefined): Promise<StepResult> {
	if (!created) {
		return {
			ok: false,
			text: 'todo-deploy did not start this cluster, so it stays.',
			fix: 'Delete it yourself: kind delete cluster --name NAME, or minikube delete -p PROFILE',
		};
	}

	const tool = await system.which(created.type);
	if (!tool) {
		return {ok: false, text: `${created.type} is not installed any more.`, fix: `npx todo-deploy install ${created.type}`, failure: 'environment'};
	}

	const args = created.type === 'kind' ? ['delete', 'cluster', '--name', created.name] : ['delete', '-p', created.name];
	const result = await system.run(tool, args, {timeoutMs: 10 * 60_000});
	const registry = result.exitCode === 0 && created.type === 'kind' ? await registryLeftBehind(system) : undefined;
	return result.exitCode === 0
		? {ok: true, text: `${created.type} ${created.type === 'kind' ? 'cluster' : 'profile'} "${created.name}" deleted${registry ? `; ${registry}` : ''}`}
		: {ok: false, text: (result.stderr || result.stdout).trim().split('\n').at(-1) ?? `${created.type} delete failed`};
}
