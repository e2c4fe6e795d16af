// deploy: the Secret through the API, `helm upgrade --install`, then the rollout watched pod by pod
// until every pod is ready or the time is up; a failure says which pods and why, not "timed out".
// Four named steps (secrets, release, helm, rollout), each reporting what it saw as data (step-summary.ts).
import {createHash} from 'node:crypto';
import type {Cluster} from '../../adapters/cluster.js';
import type {ClusterTarget} from '../cluster-target.js';
import {load} from 'js-yaml';
import {renderChart, runHelm, valueArgs, type HelmValues, type ReleaseState} from '../../adapters/helm.js';
import {checkRelease} from './release.js';
import {describeRunFailure, type System} from '../../adapters/system.js';
import {messageOf} from '../errors.js';
import type {FlowAction} from '../flow/actions.js';
import type {FailureClass} from '../outcome.js';
import {readDeployMemory, writeDeployMemory} from '../report/run.js';
import {flowSteps, stepList} from '../flow/steps.js';
import type {FlowState} from '../flow/reducer.js';
import type {StatusAction} from '../status/actions.js';
import type {StatusState} from '../status/reducer.js';
import type {ClusterImages} from '../status/cluster-images.js';
import {loadSnapshot, lookUpImagesOnce, readCrashLogs} from '../status/run.js';
import {statusSnapshot} from '../status/select.js';
import type {StatusSnapshot} from '../status/snapshot.js';
import type {Store} from '../store.js';
import {maskSecrets, secretData, secretSpecsFor, type ResolvedSecret, type SecretProblem, type SecretSpec} from './secrets.js';
import {collectSecrets, resettleSecrets, type Collected} from './collect.js';
import type {FittedChart} from './fit.js';
import {releaseValues} from './values.js';
import {explainHelmFailure} from './explain.js';
import type {PublicSecret, Wrote} from './step-summary.js';
import {chartDigestOf, fullnameOf, secretNameOf} from './names.js';
import {waitForRollout} from './rollout.js';
import {followRelease} from '../cluster.js';
import {ClusterError} from '../../adapters/cluster.js';
import {accessNeeded, checkAccess} from './access.js';
import {leaseDurationSeconds, lockRelease, type LockHolder} from './lock.js';

export {fullnameOf, secretNameOf} from './names.js';

export const deploySteps = stepList({secrets: 'Secrets', release: 'Helm release', helm: 'helm upgrade --install', rollout: 'Rollout'});

export type FailureChoice = 'keep' | 'rollback';

export type DeployRequest = {
	/** The project: its .todo-deploy/ remembers what the last deploy from here installed. */
	readonly root: string;
	readonly chart: string;
	readonly release: string;
	/** The cluster and namespace, resolved once: helm and the API calls use the same. */
	readonly target: ClusterTarget;
	/** --set pairs without secrets: image repositories and tags, the image source. */
	readonly values: Readonly<Record<string, string>>;
	readonly valuesFiles: readonly string[];
	readonly helmArgs: readonly string[];
	readonly env: Readonly<Record<string, string | undefined>>;
	readonly dotenv: Readonly<Record<string, string>>;
	/** Asks for a secret nobody gave (masked); undefined where there is nobody to ask. */
	readonly prompt: ((spec: SecretSpec) => Promise<string | undefined>) | undefined;
	/** todo-deploy's chart fitted to the app: values under the app's names, and the Secret's keys. */
	readonly fit?: FittedChart | undefined;
	readonly random: () => string;
	readonly timeoutMs: number;
	/** What to do with a rollout that failed: a fixed answer, or ask. */
	readonly onFailure: FailureChoice | ((question: string) => Promise<FailureChoice>);
	/** --on-failure keep was given: what a failed first install wrote stays (otherwise it is removed). */
	readonly keepWrites?: boolean;
	/** Clear a release stuck in pending-* before deploying. */
	readonly recover: boolean;
	/** Told the secret values once they are known, so a log can mask them. */
	readonly onSecrets?: ((values: readonly string[]) => void) | undefined;
	readonly signal?: AbortSignal | undefined;
	/** The local cluster's images (kind, minikube): a pod that cannot get its image is diagnosed against them. */
	readonly clusterImages?: ClusterImages | undefined;
	/** Take the release's lock first (this command's name, and how long to wait for another holder). */
	readonly lock?: {readonly command: string; readonly timeoutMs: number} | undefined;
};

export type DeployResult = {
	readonly ready: boolean;
	/** Why it did not get there, as an outcome class; undefined when every pod is ready. */
	readonly failure: FailureClass | undefined;
	readonly revision: number | undefined;
	readonly secrets: readonly PublicSecret[];
	readonly snapshot: StatusSnapshot | undefined;
	readonly kept: 'kept' | 'rolled-back' | 'uninstalled' | undefined;
	/** The fingerprint of what is installed, and whether helm ran this time. */
	readonly fingerprint: string | undefined;
	readonly unchanged: boolean;
};

/** One deploy as its steps share it: the request, the stores, the rows and what the secrets step resolved. */
type DeployRun = {
	readonly system: System;
	readonly cluster: Cluster;
	readonly flow: Store<FlowState, FlowAction>;
	readonly status: Store<StatusState, StatusAction>;
	readonly request: DeployRequest;
	readonly steps: ReturnType<typeof flowSteps>;
	readonly secretName: string;
};

/** What the secrets step settled: every secret, what may be shown of them, and the mask for helm's words. */
type SettledSecrets = {
	readonly secrets: readonly ResolvedSecret[];
	readonly shown: readonly PublicSecret[];
	readonly mask: (text: string) => string;
	readonly collected: Extract<Collected, {ok: true}>;
};

/** The release as helm knows it, and the values it is given. */
type CheckedRelease = {readonly helm: string; readonly state: ReleaseState | undefined; readonly firstInstall: boolean; readonly values: HelmValues};

const ended = (run: DeployRun, failure: FailureClass | undefined, fields: Partial<DeployResult> = {}): DeployResult => ({
	ready: false,
	failure: run.request.signal?.aborted ? 'cancelled' : failure,
	revision: undefined,
	secrets: [],
	snapshot: undefined,
	kept: undefined,
	fingerprint: undefined,
	unchanged: false,
	...fields,
});

const skipAfter = (run: DeployRun, index: number, reason: string) => {
	for (const later of deploySteps.slice(index)) {
		run.steps.set(later.id, {type: 'skipped', reason});
	}
};

export async function runDeploy(
	system: System,
	cluster: Cluster,
	flow: Store<FlowState, FlowAction>,
	status: Store<StatusState, StatusAction>,
	request: DeployRequest,
): Promise<DeployResult> {
	const run: DeployRun = {system, cluster, flow, status, request, steps: flowSteps(flow), secretName: secretNameOf(request.release)};
	// One run at a time on the release, from before the secrets are read until the rollout is watched.
	const lock = request.lock ? await takeLock(run, request.lock) : undefined;
	if (lock && !lock.ok) {
		return lock.result;
	}

	try {
		return await runSteps(run);
	} finally {
		await lock?.release();
	}
}

async function takeLock(
	run: DeployRun,
	given: NonNullable<DeployRequest['lock']>,
): Promise<{readonly ok: true; release(): Promise<void>} | {readonly ok: false; readonly result: DeployResult}> {
	const {request, flow} = run;
	const {namespace} = request.target;
	const said = (holder: LockHolder) =>
		`${holder.command} on ${holder.host}${holder.pid > 0 ? ` (pid ${holder.pid})` : ''}, since ${holder.since.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC')}`;
	const lock = await lockRelease(run.cluster, {
		root: request.root,
		release: request.release,
		namespace,
		command: given.command,
		timeoutMs: given.timeoutMs,
		signal: request.signal,
		onWaiting: holder =>
			flow.dispatch({
				type: 'flow/note',
				text: `Waiting for another run on the release ${request.release} in ${namespace} to end (up to ${Math.round(given.timeoutMs / 1000)} s): ${said(holder)}.`,
			}),
	});
	if (lock.ok) {
		if (lock.machineOnly) {
			flow.dispatch({
				type: 'flow/note',
				text: `Runs on other machines are not kept apart from this one: ${lock.machineOnly}. Runs on this machine are (its lock file). To share the release safely, ask for a Role rule on leases in ${namespace}.`,
			});
		}

		return lock;
	}

	const step = run.steps.begin('secrets', 'waiting for the release');
	step.failed(
		`Another run is changing the release ${request.release} in ${namespace} (${lock.where === 'this machine' ? 'on this machine' : 'its Lease in the cluster'}): ${said(lock.holder)}. Nothing was changed.`,
		`Let it finish, or let this run wait for it: --lock-timeout 300. A run that was killed is taken over${lock.where === 'the cluster' ? ` once its Lease goes ${leaseDurationSeconds} s without renewal` : ' at once'}.`,
	);
	skipAfter(run, 1, 'another run holds the release');
	return {ok: false, result: ended(run, lock.cancelled ? 'cancelled' : 'deploy')};
}

async function runSteps(run: DeployRun): Promise<DeployResult> {
	const secrets = await secretsStep(run);
	if ('ready' in secrets) {
		return secrets;
	}

	const release = await releaseStep(run, secrets);
	if ('ready' in release) {
		return release;
	}

	return helmStep(run, secrets, release);
}

/** 1. The secrets, checked and resolved; nothing in the cluster changes until Helm and the chart are known good. */
async function secretsStep(run: DeployRun): Promise<SettledSecrets | DeployResult> {
	const {request, flow} = run;
	const specs = secretSpecsFor(request.fit?.bindings);
	const step = run.steps.begin('secrets', `collecting ${specs.map(spec => spec.label).join(', ')}`);
	const collected = await collectSecrets(run.cluster, run.secretName, specs, request);
	if (!collected.ok) {
		const [problem, ...others] = collected.problems;
		if (collected.forbidden) {
			const {namespace} = request.target;
			step.failed(
				`You may not read Secrets in ${namespace}, so nothing was written: ${collected.unreachable ?? ''}`,
				`Deploy keeps its secrets in a Secret and helm its releases: ask for a Role in ${namespace} with this rule, bound to you (kubectl auth can-i --list -n ${namespace} shows what you have).`,
				['rule: {apiGroups: [""], resources: ["secrets"], verbs: ["get", "list", "create", "update", "delete"]}'],
			);
			skipAfter(run, 1, 'not allowed');
			return ended(run, 'environment');
		}

		if (collected.unreachable !== undefined || !problem) {
			step.failed(`The cluster did not answer: ${collected.unreachable ?? ''}`, 'todo-deploy doctor checks the cluster and your access to it.');
			skipAfter(run, 1, 'the cluster did not answer');
			return ended(run, 'environment');
		}

		step.failed(
			problem.message,
			problem.fix,
			others.map(other => other.message),
		);
		skipAfter(run, 1, 'the secrets are not right');
		return ended(run, 'fix-first');
	}

	for (const note of collected.notes) {
		flow.dispatch({type: 'flow/note', text: note});
	}

	const {secrets} = collected;
	request.onSecrets?.(secrets.flatMap(secret => (secret.value ? [secret.value] : [])));
	const shown = secrets.map(({value: _value, ...rest}) => rest);
	step.done({kind: 'deploy/secrets', secrets: shown});
	const values = secrets.map(secret => secret.value);
	return {secrets, shown, mask: text => maskSecrets(text, values), collected};
}

/** 2. The release as Helm knows it (a pending one blocks every helm command), and the chart rendered with the values. */
async function releaseStep(run: DeployRun, settled: SettledSecrets): Promise<CheckedRelease | DeployResult> {
	const {system, request, flow} = run;
	const step = run.steps.begin('release', `helm history ${request.release}`);
	const helm = await system.which('helm');
	if (!helm) {
		step.failed('Helm is not installed.', 'npx todo-deploy install helm');
		skipAfter(run, 2, 'no Helm');
		return ended(run, 'environment', {secrets: settled.shown});
	}

	const checked = await checkRelease(system, helm, request.target, request);
	if (!checked.ok) {
		step.failed(settled.mask(checked.message), checked.fix);
		skipAfter(run, 2, 'the release cannot be changed now');
		return ended(run, checked.failure, {secrets: settled.shown});
	}

	if (checked.note) {
		flow.dispatch({type: 'flow/note', text: checked.note});
	}

	// The same files and --set pairs lint renders with: the fitted values first, the user's files and --set win.
	const values = await releaseValues(request.root, {fit: request.fit, sets: request.values, files: request.valuesFiles, release: request.release});
	// The chart must render with these values before anything in the cluster changes.
	const rendered = await renderChart(
		system,
		{chart: request.chart, release: request.release, namespace: request.target.namespace, values, timeoutMs: 60_000},
		load,
	);
	if (!rendered.ok) {
		step.failed(
			`The chart does not render with these values, so nothing was changed in the cluster: ${settled.mask(rendered.error)}`,
			'todo-deploy lint shows where; fix the chart or the values (-f, --set).',
		);
		skipAfter(run, 2, 'the chart does not render');
		return ended(run, 'fix-first', {secrets: settled.shown});
	}

	// Before anything is written: may this user do all of it here?
	const refused = await accessRefused(run, rendered.manifest);
	if (refused) {
		step.failed(refused.message, refused.fix, refused.rules);
		skipAfter(run, 2, 'not allowed');
		return ended(run, 'environment', {secrets: settled.shown});
	}

	const {state} = checked;
	step.done({kind: 'deploy/release', release: request.release, namespace: request.target.namespace, previous: state});
	return {helm, state, firstInstall: state === undefined || state.lastDeployed === undefined, values};
}

/** What this user may not do of what the deploy needs (asked of the API), in words; undefined when all is allowed or nobody can tell. */
async function accessRefused(run: DeployRun, manifest: string): Promise<{message: string; fix: string; rules: readonly string[]} | undefined> {
	const {cluster, request} = run;
	const {namespace} = request.target;
	try {
		// A namespace that cannot be read (a Role without get on it) exists: a Role is bound inside one.
		const exists = await cluster.namespaceLabels().then(
			labels => labels !== undefined,
			(error: unknown) => (error instanceof ClusterError && error.status === 403 ? true : Promise.reject(error)),
		);
		const access = await checkAccess(cluster, accessNeeded(manifest, namespace, {createNamespace: !exists}));
		if (!access || access.missing.length === 0) {
			return undefined;
		}

		return {
			message: `You may not do all that this deploy needs in ${namespace} (${cluster.context}), so nothing was written: not allowed on ${access.missing.join('; ')}.`,
			fix: access.clusterWide
				? `Ask the cluster's admin for these rules${exists ? '' : `, or for the namespace ${namespace} to be made for you`} (a Role in ${namespace} for the namespaced ones), or deploy where you have them (-n, --context).`
				: `Ask for a Role in ${namespace} with these rules, bound to you (kubectl auth can-i --list -n ${namespace} shows what you have), or deploy where you have them (-n, --context).`,
			rules: access.rules,
		};
	} catch {
		// Asking failed: helm finds out as it goes, and says it.
		return undefined;
	}
}

/** What is installed, as one hash: the chart, the values and the secrets (a changed password must reach the pods). */
async function fingerprintOf(run: DeployRun, settled: SettledSecrets, values: HelmValues): Promise<string> {
	const {request} = run;
	return createHash('sha256')
		.update(
			JSON.stringify([
				await chartDigestOf(request.chart, values.files),
				request.release,
				request.target.namespace,
				valueArgs({files: [], sets: values.sets}),
				values.files,
				request.helmArgs,
				createHash('sha256')
					.update(JSON.stringify(settled.secrets.map(secret => [secret.name, secret.value ?? ''])))
					.digest('hex'),
			]),
		)
		.digest('hex');
}

/** 3. The Secret, then helm upgrade --install, without --wait: the rollout is watched here, pod by pod. */
async function helmStep(run: DeployRun, given: SettledSecrets, release: CheckedRelease): Promise<DeployResult> {
	let settled = given;
	const {system, request, cluster} = run;
	const {namespace} = request.target;
	const step = run.steps.begin('helm', {kind: 'deploy/helm', release: request.release, chart: request.chart, wrote: undefined});
	let fingerprint = await fingerprintOf(run, settled, release.values);
	// What the last deploy from here installed: when the release is still at that revision, deployed,
	// and the chart, values and secrets are the same (the fingerprint), helm is not run again.
	const memoryKey = `${cluster.context}/${namespace}/${request.release}`;
	const previous = await readDeployMemory(request.root, memoryKey);
	if (previous?.fingerprint === fingerprint && release.state?.status === 'deployed' && release.state.revision === previous.revision) {
		step.done({kind: 'deploy/unchanged', revision: previous.revision});
		return rolloutStep(run, settled, release, {revision: previous.revision, fingerprint, unchanged: true, memoryKey});
	}

	let wrote: Wrote;
	try {
		const written = await writeSecret(run, settled);
		if (!written.ok) {
			step.failed(written.problem.message, written.problem.fix);
			skipAfter(run, 3, 'the secrets are not right');
			return ended(run, 'fix-first', {secrets: settled.shown});
		}

		wrote = written.wrote;
		if (written.settled !== settled) {
			settled = written.settled;
			fingerprint = await fingerprintOf(run, settled, release.values);
		}
	} catch (error) {
		step.failed(
			`The Secret ${run.secretName} could not be written: ${settled.mask(messageOf(error))}`,
			'todo-deploy doctor checks the cluster and your access to it.',
		);
		skipAfter(run, 3, 'no Secret');
		return ended(run, 'environment', {secrets: settled.shown});
	}

	step.detail({kind: 'deploy/helm', release: request.release, chart: request.chart, wrote});
	const upgrade = await runHelm(
		system,
		release.helm,
		[
			'upgrade',
			'--install',
			request.release,
			request.chart,
			'--timeout',
			`${Math.ceil(request.timeoutMs / 1000)}s`,
			...valueArgs(release.values),
			...request.helmArgs,
		],
		request.target,
		request.timeoutMs + 60_000,
	);
	if (upgrade.exitCode !== 0) {
		const explained = explainHelmFailure(settled.mask(`${upgrade.stderr}\n${upgrade.stdout}`), request.release, namespace);
		step.failed(
			upgrade.timedOut ? describeRunFailure('helm upgrade', upgrade) : explained.message,
			explained.fix,
			settled.mask(upgrade.stderr).trim().split('\n').slice(-4),
		);
		skipAfter(run, 3, 'helm failed');
		await undoFirstWrites(run, settled, release, wrote);
		return ended(run, 'deploy', {secrets: settled.shown});
	}

	const revision = Number(/^REVISION: (\d+)/m.exec(upgrade.stdout)?.[1] ?? Number.NaN);
	step.done({kind: 'deploy/installed', revision: Number.isNaN(revision) ? undefined : revision, status: /^STATUS: (\S+)/m.exec(upgrade.stdout)?.[1], wrote});
	return rolloutStep(run, settled, release, {revision, fingerprint, unchanged: false, memoryKey});
}

/**
 * The namespace, then the Secret. When none was there as the secrets were read, it is created, never
 * replaced: another run that wrote it meanwhile (two deploys at once) keeps its generated values, the
 * database password above all, and this run writes those back with what was given here.
 */
async function writeSecret(
	run: DeployRun,
	settled: SettledSecrets,
): Promise<{readonly ok: true; readonly wrote: Wrote; readonly settled: SettledSecrets} | {readonly ok: false; readonly problem: SecretProblem}> {
	const {request, cluster, secretName} = run;
	const namespaceCreated = await cluster.ensureNamespace();
	const wrote: Wrote = {secret: secretName, namespace: request.target.namespace, namespaceCreated};
	const database = {host: `${fullnameOf(request.release)}-postgresql`, user: request.fit?.database.user ?? 'todo', name: request.fit?.database.name ?? 'todo'};
	const specs = secretSpecsFor(request.fit?.bindings);
	const labels = {'app.kubernetes.io/managed-by': 'todo-deploy', 'app.kubernetes.io/instance': request.release};
	const dataOf = (secrets: readonly ResolvedSecret[]) => secretData(secrets, database, request.fit?.bindings, specs);
	if (settled.collected.existing !== undefined) {
		await cluster.applySecret(secretName, dataOf(settled.secrets), labels);
		return {ok: true, wrote, settled};
	}

	if (await cluster.createSecret(secretName, dataOf(settled.secrets), labels)) {
		return {ok: true, wrote, settled};
	}

	const theirs = (await cluster.readSecret(secretName)) ?? {};
	const again = resettleSecrets(settled.secrets, theirs, specs, request);
	if (!again.ok) {
		const [problem] = again.problems;
		return problem ? {ok: false, problem} : {ok: true, wrote, settled};
	}

	await cluster.applySecret(secretName, dataOf(again.secrets), labels);
	run.flow.dispatch({
		type: 'flow/note',
		text: `Another run wrote the Secret ${secretName} while this one was starting: its generated values are kept (the database password among them), so neither run changes what the database was first given.`,
	});
	request.onSecrets?.(again.secrets.flatMap(secret => (secret.value ? [secret.value] : [])));
	const values = again.secrets.map(secret => secret.value);
	return {
		ok: true,
		wrote,
		settled: {secrets: again.secrets, shown: again.secrets.map(({value: _value, ...rest}) => rest), mask: text => maskSecrets(text, values), collected: again},
	};
}

/** A first install whose helm failed leaves nothing behind (unless --on-failure keep): what deploy wrote goes, and is named. */
async function undoFirstWrites(run: DeployRun, settled: SettledSecrets, release: CheckedRelease, wrote: Wrote): Promise<void> {
	const {request, cluster, flow, secretName} = run;
	const {namespace} = request.target;
	if (!release.firstInstall || settled.collected.existing !== undefined) {
		return;
	}

	const made = wrote.namespaceCreated;
	if (request.keepWrites) {
		flow.dispatch({
			type: 'flow/note',
			text: `Kept (--on-failure keep): the Secret ${secretName}${made ? ` and the namespace ${namespace}` : ''}. Remove them: todo-deploy down -n ${namespace}${made ? ' --delete-namespace' : ''}.`,
		});
		return;
	}

	const removed = await (made ? cluster.deleteNamespace().then(() => true) : cluster.deleteSecret(secretName)).catch(() => false);
	flow.dispatch({
		type: 'flow/note',
		text: removed
			? `Nothing was installed, so what deploy wrote is removed: ${made ? `the namespace ${namespace} (with the Secret)` : `the Secret ${secretName}`}.`
			: `Nothing was installed, but the Secret ${secretName}${made ? ` and the namespace ${namespace}` : ''} could not be removed: todo-deploy down -n ${namespace}${made ? ' --delete-namespace' : ''}.`,
	});
}

type Installed = {readonly revision: number; readonly fingerprint: string; readonly unchanged: boolean; readonly memoryKey: string};

/** 4. The rollout: the status screen's own watch, until every pod is ready or the time is up. */
async function rolloutStep(run: DeployRun, settled: SettledSecrets, release: CheckedRelease, installed: Installed): Promise<DeployResult> {
	const {request, status} = run;
	const {revision, fingerprint, unchanged} = installed;
	const where = {context: run.cluster.context, namespace: request.target.namespace};
	const started = Date.now();
	const said = (snapshot: StatusSnapshot, outcome: 'running' | 'ready' | 'timeout' | 'cancelled') =>
		({kind: 'deploy/rollout', snapshot, outcome, timeoutMs: request.timeoutMs, elapsedMs: Date.now() - started}) as const;
	const step = run.steps.begin('rollout', 'waiting for the pods');
	// The release's own workloads, from the manifest helm stored: whatever labels its chart gives the pods.
	const {cluster, scope} = await followRelease(run.cluster, request.release);
	if (scope?.workloads.length === 0) {
		step.failed(
			`The release ${request.release} made no pods: nothing to wait for. It made ${scope.made.length > 0 ? scope.made.join(', ') : 'nothing at all'}.`,
			`The chart's templates make no Deployment, StatefulSet or DaemonSet with these values: helm get manifest ${request.release} -n ${request.target.namespace} shows what it made.`,
		);
		return ended(run, 'rollout', {secrets: settled.shown, revision, kept: 'kept', fingerprint, unchanged});
	}

	try {
		await loadSnapshot(cluster, status);
	} catch (error) {
		step.failed(`The pods could not be listed: ${messageOf(error)}`);
		return ended(run, 'environment', {secrets: settled.shown, revision});
	}

	const outcome = await waitForRollout(cluster, status, {
		namespace: request.target.namespace,
		timeoutMs: request.timeoutMs,
		signal: request.signal,
		onProgress: snapshot => step.detail(said(snapshot, 'running')),
	});
	if (outcome !== 'ready') {
		// The failing pods' own last lines: a crash says its cause (the database, a setting) in the diagnosis.
		await readCrashLogs(cluster, status);
		if (request.clusterImages) {
			await lookUpImagesOnce(status, request.clusterImages);
		}
	}

	const snapshot = statusSnapshot(status.getState(), where);
	if (outcome === 'ready') {
		step.done(said(snapshot, 'ready'));
		if (!Number.isNaN(revision)) {
			await writeDeployMemory(request.root, installed.memoryKey, {fingerprint, revision});
		}

		return ended(run, undefined, {ready: true, secrets: settled.shown, revision, snapshot, fingerprint, unchanged});
	}

	step.failed(said(snapshot, outcome));
	if (outcome === 'cancelled') {
		return ended(run, 'cancelled', {secrets: settled.shown, revision, snapshot, kept: 'kept', fingerprint, unchanged});
	}

	const kept = await afterFailedRollout(run, settled, release, revision);
	return ended(run, 'rollout', {secrets: settled.shown, revision, snapshot, kept, ...(kept === 'kept' ? {fingerprint, unchanged} : {})});
}

/** The release stays, or goes: a first install is removed, an upgrade rolled back, as the person (or --on-failure) says. */
async function afterFailedRollout(run: DeployRun, settled: SettledSecrets, release: CheckedRelease, revision: number): Promise<DeployResult['kept']> {
	const {system, request, flow, secretName} = run;
	const {namespace} = request.target;
	const {firstInstall, state} = release;
	const question = firstInstall
		? `Remove the failed first install (helm uninstall ${request.release})? No keeps the pods for troubleshooting.`
		: `Roll back to revision ${state?.lastDeployed ?? '?'}? No keeps the new pods for troubleshooting.`;
	const choice = typeof request.onFailure === 'function' ? await request.onFailure(question) : request.onFailure;
	if (choice === 'keep') {
		flow.dispatch({
			type: 'flow/note',
			text: `Kept: release ${request.release} revision ${Number.isNaN(revision) ? '?' : revision} stays deployed in ${namespace} with pods that are not ready. Watch them: todo-deploy status -n ${namespace}. Remove it: helm uninstall ${request.release} -n ${namespace}.`,
		});
		return 'kept';
	}

	const undo = await runHelm(
		system,
		release.helm,
		firstInstall ? ['uninstall', request.release] : ['rollback', request.release, String(state?.lastDeployed ?? '')],
		request.target,
		5 * 60_000,
	);
	flow.dispatch({
		type: 'flow/note',
		text:
			undo.exitCode === 0
				? firstInstall
					? `Removed the failed first install of ${request.release}; the Secret ${secretName} stays for the next try.`
					: `Rolled ${request.release} back to revision ${state?.lastDeployed ?? '?'}.`
				: `Undoing the release failed: ${settled.mask((undo.stderr || undo.stdout).trim())}. The release is as helm left it: helm history ${request.release} -n ${namespace}.`,
	});
	return undo.exitCode === 0 ? (firstInstall ? 'uninstalled' : 'rolled-back') : 'kept';
}

export {deployAnswers, deployRecord} from './record.js';
