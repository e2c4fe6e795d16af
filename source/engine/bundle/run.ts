// todo-deploy bundle, the engine: gathers what the bundle holds from this machine, the project's
// .todo-deploy/ and the cluster (each part with a deadline; a part that cannot be had is named in the
// README, never a reason to stop), learns every secret it can (the release's Secret, secret-like
// variables of the environment and of the project's .env files, helm's secret-looking values), and
// writes the masked archive to .todo-deploy/bundle-TIME.tar.gz.
import {readdir, readFile, stat} from 'node:fs/promises';
import path from 'node:path';
import {writeTarGz} from '../../adapters/archive.js';
import {listProjectFiles} from '../../adapters/project.js';
import {ensureStateDir, stateDirName} from '../../adapters/state-dir.js';
import {messageOf} from '../../adapters/errors.js';
import {runHelm} from '../../adapters/helm.js';
import type {System} from '../system.js';
import {resolveAndConnect, type ClusterChoice} from '../cluster.js';
import {timedOut, withDeadline} from '../deadline.js';
import {secretNameOf} from '../deploy/names.js';
import {secretValuesOf} from '../mask.js';
import {collectBundle, secretsInEnvText, secretsInValues, type BundleCluster, type BundleFile, type KnownSecret} from './collect.js';

export type BundleRequest = {
	readonly root: string;
	readonly release: string;
	readonly choice: ClusterChoice;
	readonly command: string;
	/** What the command gathered itself: the doctor's findings, the contract. */
	readonly files: readonly BundleFile[];
	readonly missing: readonly string[];
	readonly now?: Date;
};

/** Where the bundle is, what was masked and not gathered; pods: those not ready (undefined: the cluster could not be read). */
export type BundleMade = {readonly path: string; readonly masked: readonly string[]; readonly missing: readonly string[]; readonly pods: number | undefined};

const maxLogBytes = 2 * 1024 * 1024;
const newestLogs = 10;
const clusterDeadlineMs = 20_000;

/** The work's result, or an Error with why when it takes longer than ms. */
async function within<T>(work: Promise<T>, ms: number, why: string): Promise<T> {
	const result = await withDeadline(work, ms);
	if (result === timedOut) {
		throw new Error(why);
	}

	return result;
}

/** The last bytes of a file, as text (a log's end is what says why). */
async function tail(file: string): Promise<string | undefined> {
	const text = await readFile(file, 'utf8').catch(() => undefined);
	return text === undefined || text.length <= maxLogBytes ? text : `(the first ${text.length - maxLogBytes} characters left out)\n${text.slice(-maxLogBytes)}`;
}

/** .todo-deploy/'s state, report and newest session logs. */
async function stateFiles(root: string): Promise<BundleFile[]> {
	const dir = path.join(root, stateDirName);
	const files: BundleFile[] = [];
	for (const name of ['state.json', 'report.md']) {
		const content = await tail(path.join(dir, name));
		if (content !== undefined) {
			files.push({name: `todo-deploy/${name}`, content});
		}
	}

	const logs = (await readdir(path.join(dir, 'logs')).catch(() => [] as string[]))
		.filter(name => name.endsWith('.log'))
		.sort()
		.slice(-newestLogs);
	for (const name of logs) {
		const content = await tail(path.join(dir, 'logs', name));
		if (content !== undefined) {
			files.push({name: `todo-deploy/logs/${name}`, content});
		}
	}

	return files;
}

/** The .env files of the project (three folders deep, as discovery lists them), whose secret-like values are masked wherever they appear. */
async function projectSecrets(root: string): Promise<KnownSecret[]> {
	const files = (await listProjectFiles(root, {depth: 3, files: 20_000})).filter(file => /(^|\/)\.env(\.[\w.-]+)?$/.test(file));
	const found: KnownSecret[] = [];
	for (const file of files) {
		const size = await stat(path.join(root, file)).then(
			info => info.size,
			() => Infinity,
		);
		if (size < 256 * 1024) {
			found.push(...secretsInEnvText(await readFile(path.join(root, file), 'utf8'), file));
		}
	}

	return found;
}

/** The cluster's part: its pods and events, the release's Secret (to mask), helm's status and values. */
async function clusterPart(
	system: System,
	request: BundleRequest,
): Promise<{cluster: BundleCluster | {why: string}; files: BundleFile[]; secrets: KnownSecret[]; missing: string[]}> {
	const missing: string[] = [];
	const files: BundleFile[] = [];
	const secrets: KnownSecret[] = [];
	let connected;
	try {
		connected = await within(resolveAndConnect(system, request.choice), clusterDeadlineMs, 'the cluster did not answer in time');
	} catch (error) {
		return {cluster: {why: messageOf(error)}, files, secrets, missing};
	}

	const {cluster, target} = connected;
	const secretName = secretNameOf(request.release);
	const secret = await cluster.readSecret(secretName).catch((error: unknown) => {
		missing.push(`the Secret ${secretName}, to mask its values: ${messageOf(error)} (values the project or the environment give are masked still)`);
		return undefined;
	});
	secrets.push(...Object.entries<string>(secret ?? {}).map(([key, value]) => ({name: `Secret ${secretName} ${key}`, value})));
	const helm = await system.which('helm');
	if (helm) {
		const status = await runHelm(system, helm, ['status', request.release, '-o', 'json'], target, 30_000);
		const values = await runHelm(system, helm, ['get', 'values', request.release, '--all', '-o', 'json'], target, 30_000);
		if (status.exitCode === 0 && values.exitCode === 0) {
			const parsedValues = JSON.parse(values.stdout || '{}') as unknown;
			secrets.push(...secretsInValues(parsedValues));
			// The manifest holds the Secrets' data: left out (helm get manifest shows it to someone with the right).
			const {manifest: _manifest, ...release} = JSON.parse(status.stdout) as Record<string, unknown>;
			secrets.push(...secretsInValues(release['config'], 'helm config'));
			files.push(
				{name: 'helm/status.json', content: `${JSON.stringify(release, null, 2)}\n`},
				{name: 'helm/values.json', content: `${JSON.stringify(parsedValues, null, 2)}\n`},
			);
		} else {
			missing.push(`helm's status and values of ${request.release}: ${(status.stderr || values.stderr).trim().split('\n').at(-1) ?? 'helm failed'}`);
		}
	} else {
		missing.push("helm's status and values: helm is not installed (todo-deploy install helm)");
	}

	try {
		const snapshot = await within(cluster.snapshot(), clusterDeadlineMs, 'the pods were not listed in time');
		const logs = async (pod: string, container: string, previous: boolean) =>
			within(cluster.logs(pod, container, {previous, tailLines: 100}), 10_000, 'no logs in time').catch(() => undefined);
		return {cluster: {pods: snapshot.pods, events: snapshot.events, logs}, files, secrets, missing};
	} catch (error) {
		return {cluster: {why: messageOf(error)}, files, secrets, missing};
	}
}

/** Gathers, masks and writes the bundle; returns where it is and what was masked. */
export async function makeBundle(system: System, request: BundleRequest): Promise<BundleMade> {
	const made = request.now ?? new Date();
	const [state, fromProject, part] = await Promise.all([stateFiles(request.root), projectSecrets(request.root), clusterPart(system, request)]);
	const fromEnvironment = Object.entries(system.env).flatMap(([name, value]) =>
		secretValuesOf({[name]: value}).map(secret => ({name: `environment ${name}`, value: secret})),
	);
	const {files, masked} = await collectBundle({
		made,
		command: request.command,
		files: [...request.files, ...state, ...part.files],
		cluster: part.cluster,
		secrets: [...part.secrets, ...fromProject, ...fromEnvironment],
		missing: [...request.missing, ...part.missing],
	});
	const dir = await ensureStateDir(request.root);
	const file = path.join(dir, `bundle-${made.toISOString().replaceAll(/[:.]/g, '-')}.tar.gz`);
	await writeTarGz(file, files, made);
	return {
		path: file,
		masked,
		missing: [...request.missing, ...part.missing, ...('why' in part.cluster ? [`the cluster's pods: ${part.cluster.why}`] : [])],
		pods: 'why' in part.cluster ? undefined : files.filter(entry => entry.name.startsWith('pods/')).length,
	};
}
