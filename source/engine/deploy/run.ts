// deploy: the Secret through the API, `helm upgrade --install`, then the rollout watched pod by pod
// until every pod is ready or the time is up; a failure says which pods and why, not "timed out".
import {createHash} from 'node:crypto';
import type {Cluster} from '../../adapters/cluster.js';
import type {ClusterTarget} from '../cluster-target.js';
import {load} from 'js-yaml';
import {renderChart, runHelm, valueArgs} from '../../adapters/helm.js';
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
import {statusReport} from '../status/select.js';
import {notReady, type StatusReport} from '../status/report.js';
import type {Store} from '../store.js';
import {maskSecrets, secretData, secretSpecsFor, type ResolvedSecret, type SecretSpec} from './secrets.js';
import {collectSecrets} from './collect.js';
import type {FittedChart} from './fit.js';
import {releaseValues} from './values.js';
import {describeSecrets, explainHelmFailure, problemLines} from './explain.js';
import {chartDigestOf, fullnameOf, secretNameOf} from './names.js';
import {waitForRollout} from './rollout.js';

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
};

export type DeployResult = {
	readonly ready: boolean;
	/** Why it did not get there, as an outcome class; undefined when every pod is ready. */
	readonly failure: FailureClass | undefined;
	readonly revision: number | undefined;
	readonly secrets: ReadonlyArray<Omit<ResolvedSecret, 'value'>>;
	readonly report: StatusReport | undefined;
	readonly kept: 'kept' | 'rolled-back' | 'uninstalled' | undefined;
	/** The fingerprint of what is installed, and whether helm ran this time. */
	readonly fingerprint: string | undefined;
	readonly unchanged: boolean;
};

export async function runDeploy(
	system: System,
	cluster: Cluster,
	flow: Store<FlowState, FlowAction>,
	status: Store<StatusState, StatusAction>,
	request: DeployRequest,
): Promise<DeployResult> {
	const {set: step, begin: running} = flowSteps(flow);

	const skipRest = (from: number, reason: string) => {
		for (const later of deploySteps.slice(from)) {
			step(later.id, {type: 'skipped', reason});
		}
	};

	const result = (failure: FailureClass | undefined, fields: Partial<DeployResult> = {}): DeployResult => ({
		ready: false,
		failure: request.signal?.aborted ? 'cancelled' : failure,
		revision: undefined,
		secrets: [],
		report: undefined,
		kept: undefined,
		fingerprint: undefined,
		unchanged: false,
		...fields,
	});
	const secretName = secretNameOf(request.release);

	// 1. Secrets: checked and resolved; nothing in the cluster changes until Helm and the chart are known good.
	const specs = secretSpecsFor(request.fit?.bindings);
	const secretsStep = running('secrets', `collecting ${specs.map(spec => spec.label).join(', ')}`);
	const collected = await collectSecrets(cluster, secretName, specs, request);
	if (!collected.ok) {
		const [problem, ...others] = collected.problems;
		if (collected.unreachable !== undefined || !problem) {
			secretsStep.failed(`The cluster did not answer: ${collected.unreachable ?? ''}`, 'todo-deploy doctor checks the cluster and your access to it.');
			skipRest(1, 'the cluster did not answer');
			return result('environment');
		}

		secretsStep.failed(
			problem.message,
			problem.fix,
			others.map(other => other.message),
		);
		skipRest(1, 'the secrets are not right');
		return result('fix-first');
	}

	const {secrets} = collected;
	for (const note of collected.notes) {
		flow.dispatch({type: 'flow/note', text: note});
	}

	request.onSecrets?.(secrets.flatMap(secret => (secret.value ? [secret.value] : [])));
	secretsStep.done(describeSecrets(secrets));

	const secretValues = secrets.map(secret => secret.value);
	const publicSecrets = secrets.map(({value: _value, ...rest}) => rest);
	const mask = (text: string) => maskSecrets(text, secretValues);

	// 2. The release as Helm knows it; a pending one blocks every helm command.
	const releaseStep = running('release', `helm history ${request.release}`);
	const helm = await system.which('helm');
	if (!helm) {
		releaseStep.failed('Helm is not installed.', 'npx todo-deploy install helm');
		skipRest(2, 'no Helm');
		return result('environment', {secrets: publicSecrets});
	}

	const checked = await checkRelease(system, helm, request.target, request);
	if (!checked.ok) {
		releaseStep.failed(mask(checked.message), checked.fix);
		skipRest(2, 'the release cannot be changed now');
		return result(checked.failure, {secrets: publicSecrets});
	}

	if (checked.note) {
		flow.dispatch({type: 'flow/note', text: checked.note});
	}

	const {state} = checked;
	const firstInstall = state === undefined || state.lastDeployed === undefined;
	const helmPath = helm;
	// The same files and --set pairs lint renders with: the fitted values first, the user's files and --set win.
	const values = await releaseValues(request.root, {fit: request.fit, sets: request.values, files: request.valuesFiles, release: request.release});
	const valuesFiles = values.files;
	const sets = valueArgs({files: [], sets: values.sets});
	// The chart must render with these values before anything in the cluster changes.
	const rendered = await renderChart(
		system,
		{chart: request.chart, release: request.release, namespace: request.target.namespace, values, timeoutMs: 60_000},
		load,
	);
	if (!rendered.ok) {
		releaseStep.failed(
			`The chart does not render with these values, so nothing was changed in the cluster: ${mask(rendered.error)}`,
			'todo-deploy lint shows where; fix the chart or the values (-f, --set).',
		);
		skipRest(2, 'the chart does not render');
		return result('fix-first', {secrets: publicSecrets});
	}

	releaseStep.done(
		firstInstall
			? `first install of ${request.release} into ${request.target.namespace}; the chart renders`
			: `upgrade of ${request.release} from revision ${state?.revision ?? '?'} (${state?.status ?? '?'}); the chart renders`,
	);

	// 3. The Secret, then helm upgrade --install, without --wait: the rollout is watched here, pod by pod.
	const helmStep = running('helm', `helm upgrade --install ${request.release} ${request.chart}`);
	// Secrets take part as a hash: a changed password must reach the pods (they restart on a new revision).
	const chartDigest = await chartDigestOf(request.chart, valuesFiles);
	const fingerprint = createHash('sha256')
		.update(
			JSON.stringify([
				chartDigest,
				request.release,
				request.target.namespace,
				sets,
				valuesFiles,
				request.helmArgs,
				createHash('sha256')
					.update(JSON.stringify(secrets.map(secret => [secret.name, secret.value ?? ''])))
					.digest('hex'),
			]),
		)
		.digest('hex');
	// What the last deploy from here installed: when the release is still at that revision, deployed,
	// and the chart, values and secrets are the same (the fingerprint), helm is not run again.
	const memoryKey = `${cluster.context}/${request.target.namespace}/${request.release}`;
	const previous = await readDeployMemory(request.root, memoryKey);
	if (fingerprint && previous && previous.fingerprint === fingerprint && state?.status === 'deployed' && state.revision === previous.revision) {
		helmStep.done(`revision ${previous.revision} already has this chart, these images and values: helm not run`);
		return watchRollout(previous.revision, fingerprint, true);
	}

	let namespaceCreated: boolean;
	try {
		namespaceCreated = await cluster.ensureNamespace();
		const database = {
			host: `${fullnameOf(request.release)}-postgresql`,
			user: request.fit?.database.user ?? 'todo',
			name: request.fit?.database.name ?? 'todo',
		};
		await cluster.applySecret(secretName, secretData(secrets, database, request.fit?.bindings, specs), {
			'app.kubernetes.io/managed-by': 'todo-deploy',
			'app.kubernetes.io/instance': request.release,
		});
	} catch (error) {
		helmStep.failed(`The Secret ${secretName} could not be written: ${mask(messageOf(error))}`, 'todo-deploy doctor checks the cluster and your access to it.');
		skipRest(3, 'no Secret');
		return result('environment', {secrets: publicSecrets});
	}

	const wrote = `Secret ${secretName} written${namespaceCreated ? `, namespace ${request.target.namespace} created` : ''}`;
	helmStep.detail(`${wrote}; helm upgrade --install ${request.release}`);
	const upgrade = await runHelm(
		system,
		helm,
		['upgrade', '--install', request.release, request.chart, '--timeout', `${Math.ceil(request.timeoutMs / 1000)}s`, ...valueArgs(values), ...request.helmArgs],
		request.target,
		request.timeoutMs + 60_000,
	);
	if (upgrade.exitCode !== 0) {
		const explained = explainHelmFailure(mask(`${upgrade.stderr}\n${upgrade.stdout}`), request.release, request.target.namespace);
		helmStep.failed(
			upgrade.timedOut ? describeRunFailure('helm upgrade', upgrade) : explained.message,
			explained.fix,
			mask(upgrade.stderr).trim().split('\n').slice(-4),
		);
		skipRest(3, 'helm failed');
		await undoFirstWrites(namespaceCreated);
		return result('deploy', {secrets: publicSecrets});
	}

	const revision = Number(/^REVISION: (\d+)/m.exec(upgrade.stdout)?.[1] ?? Number.NaN);
	helmStep.done(`revision ${Number.isNaN(revision) ? '?' : revision} ${/^STATUS: (\S+)/m.exec(upgrade.stdout)?.[1] ?? 'applied'} (${wrote})`);
	return watchRollout(revision, fingerprint, false);

	/** A first install whose helm failed leaves nothing behind (unless --on-failure keep): what deploy wrote goes, and is named. */
	async function undoFirstWrites(namespaceMade: boolean): Promise<void> {
		if (!firstInstall || collected.ok !== true || collected.existing !== undefined) {
			return;
		}

		if (request.keepWrites) {
			flow.dispatch({
				type: 'flow/note',
				text: `Kept (--on-failure keep): the Secret ${secretName}${namespaceMade ? ` and the namespace ${request.target.namespace}` : ''}. Remove them: todo-deploy down -n ${request.target.namespace}${namespaceMade ? ' --delete-namespace' : ''}.`,
			});
			return;
		}

		const removed = await (namespaceMade ? cluster.deleteNamespace().then(() => true) : cluster.deleteSecret(secretName)).catch(() => false);
		flow.dispatch({
			type: 'flow/note',
			text: removed
				? `Nothing was installed, so what deploy wrote is removed: ${namespaceMade ? `the namespace ${request.target.namespace} (with the Secret)` : `the Secret ${secretName}`}.`
				: `Nothing was installed, but the Secret ${secretName}${namespaceMade ? ` and the namespace ${request.target.namespace}` : ''} could not be removed: todo-deploy down -n ${request.target.namespace}${namespaceMade ? ' --delete-namespace' : ''}.`,
		});
	}

	// 4. The rollout: the status screen's own watch, until every pod is ready or the time is up.
	async function watchRollout(revision: number, fingerprint: string, unchanged: boolean): Promise<DeployResult> {
		const rolloutStep = running('rollout', 'waiting for the pods');
		const where = {context: cluster.context, namespace: request.target.namespace};
		let report: StatusReport;
		try {
			await loadSnapshot(cluster, status);
			report = statusReport(status.getState(), where);
		} catch (error) {
			rolloutStep.failed(`The pods could not be listed: ${error instanceof Error ? error.message : String(error)}`, undefined);
			return result('environment', {secrets: publicSecrets, revision});
		}

		const started = Date.now();
		const outcome = await waitForRollout(cluster, status, {
			namespace: request.target.namespace,
			timeoutMs: request.timeoutMs,
			signal: request.signal,
			onProgress: detail => step('rollout', {type: 'running', detail, startedAt: started}),
		});
		if (outcome !== 'ready') {
			// The failing pods' own last lines: a crash says its cause (the database, a setting) in the diagnosis.
			await readCrashLogs(cluster, status);
		}

		report = statusReport(status.getState(), where);
		if (outcome !== 'ready' && request.clusterImages) {
			await lookUpImagesOnce(status, request.clusterImages);
			report = statusReport(status.getState(), where);
		}

		if (outcome === 'ready') {
			rolloutStep.done(`${report.pods.length} pods ready in ${Math.round((Date.now() - started) / 100) / 10} s`);
			if (fingerprint && !Number.isNaN(revision)) {
				await writeDeployMemory(request.root, memoryKey, {fingerprint, revision});
			}

			return result(undefined, {ready: true, secrets: publicSecrets, revision, report, fingerprint, unchanged});
		}

		const evidence = problemLines(report);
		const failing = notReady(report);
		rolloutStep.failed(
			outcome === 'cancelled'
				? 'Cancelled while the pods were starting.'
				: `${failing.length} of ${report.pods.length} pods not ready after ${Math.round(request.timeoutMs / 1000)} s${failing[0] ? `: ${failing[0].name}: ${failing[0].diagnosis.title}` : ''}.`,
			failing[0]?.diagnosis.fix,
			evidence,
		);

		if (outcome === 'cancelled') {
			return result('cancelled', {secrets: publicSecrets, revision, report, kept: 'kept', fingerprint, unchanged});
		}

		// The release stays, or goes: a first install is removed, an upgrade rolled back.
		const question = firstInstall
			? `Remove the failed first install (helm uninstall ${request.release})? No keeps the pods for troubleshooting.`
			: `Roll back to revision ${state?.lastDeployed ?? '?'}? No keeps the new pods for troubleshooting.`;
		const choice = typeof request.onFailure === 'function' ? await request.onFailure(question) : request.onFailure;
		if (choice === 'keep') {
			flow.dispatch({
				type: 'flow/note',
				text: `Kept: release ${request.release} revision ${Number.isNaN(revision) ? '?' : revision} stays deployed in ${request.target.namespace} with pods that are not ready. Watch them: todo-deploy status -n ${request.target.namespace}. Remove it: helm uninstall ${request.release} -n ${request.target.namespace}.`,
			});
			return result('rollout', {secrets: publicSecrets, revision, report, kept: 'kept', fingerprint, unchanged});
		}

		const undo = firstInstall
			? await runHelm(system, helmPath, ['uninstall', request.release], request.target, 5 * 60_000)
			: await runHelm(system, helmPath, ['rollback', request.release, String(state?.lastDeployed ?? '')], request.target, 5 * 60_000);
		flow.dispatch({
			type: 'flow/note',
			text:
				undo.exitCode === 0
					? firstInstall
						? `Removed the failed first install of ${request.release}; the Secret ${secretName} stays for the next try.`
						: `Rolled ${request.release} back to revision ${state?.lastDeployed ?? '?'}.`
					: `Undoing the release failed: ${mask((undo.stderr || undo.stdout).trim())}. The release is as helm left it: helm history ${request.release} -n ${request.target.namespace}.`,
		});
		return result('rollout', {secrets: publicSecrets, revision, report, kept: undo.exitCode === 0 ? (firstInstall ? 'uninstalled' : 'rolled-back') : 'kept'});
	}
}

export {deployAnswers, deployRecord} from './record.js';
