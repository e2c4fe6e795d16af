// Installs tools without sudo: checksum first, then the download (hashed as it streams), verify,
// extract, run the new binary's version command, and only then rename it into place.
import {randomBytes} from 'node:crypto';
import {mkdir, open, readdir, rename, rm, chmod} from 'node:fs/promises';
import path from 'node:path';
import {ArchiveError, extractTarGzMember} from '../../adapters/archive.js';
import {findLocalImages} from '../../adapters/docker.js';
import {DownloadError, downloadFile, fetchText} from '../../adapters/download.js';
import {parseHelmVersion} from '../../adapters/helm.js';
import {parseKindVersion} from '../../adapters/kind.js';
import {parseKubectlVersion} from '../../adapters/kube.js';
import {parseMinikubeVersion} from '../../adapters/minikube.js';
import {describeRunFailure, type System} from '../../adapters/system.js';
import {parseTrivyVersion} from '../../adapters/trivy.js';
import type {ToolName} from '../doctor/types.js';
import type {Store} from '../store.js';
import type {InstallAction, ToolInstallStatus} from './actions.js';
import {checksumFor, releasePlatform, sameVersion, toolRelease, type ToolRelease} from './catalog.js';
import type {InstallState} from './reducer.js';

const versionParsers: Readonly<Record<ToolName, (output: string) => string | undefined>> = {
	helm: parseHelmVersion,
	kubectl: parseKubectlVersion,
	minikube: parseMinikubeVersion,
	kind: parseKindVersion,
	trivy: parseTrivyVersion,
};

export type InstallRequest = {
	readonly tools: readonly ToolName[];
	readonly version?: string | undefined;
	readonly dir: string;
	readonly mirror?: string | undefined;
	readonly force: boolean;
	readonly idleTimeoutMs: number;
	readonly attempts: number;
	readonly backoffBaseMs?: number;
	readonly signal?: AbortSignal | undefined;
};

class InstallFailure extends Error {
	readonly fix: string | undefined;
	/** The release server (or the network to it) failed, rather than the file or the request. */
	readonly unreachable: boolean;

	constructor(message: string, fix?: string, unreachable = false) {
		super(message);
		this.fix = fix;
		this.unreachable = unreachable;
	}
}

const megabytes = (bytes: number) => `${(bytes / 1_000_000).toFixed(1)} MB`;

async function installedVersion(system: System, tool: ToolName, binary: string, args: readonly string[]) {
	const result = await system.run(binary, args, {timeoutMs: 10_000});
	return {version: versionParsers[tool](`${result.stdout}\n${result.stderr}`), result};
}

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** Partial files of installs that were killed (their process is gone) are removed before a new one. */
async function removeStalePartials(dir: string, tool: ToolName): Promise<void> {
	const names = await readdir(dir).catch(() => []);
	await Promise.all(
		names.map(async name => {
			const match = new RegExp(`^\\.${tool}\\.(\\d+)\\.[a-f\\d]+\\.partial`).exec(name);
			if (match?.[1] && !isAlive(Number(match[1]))) {
				await rm(path.join(dir, name), {force: true});
			}
		}),
	);
}

function describeDownloadError(error: DownloadError, what: string, release: ToolRelease): InstallFailure {
	switch (error.fault) {
		case 'not-found': {
			return new InstallFailure(
				`${what} ${error.url} does not exist (HTTP 404)`,
				`Check the version: ${release.tool} ${release.version} may not exist for this platform (--version picks another).`,
			);
		}

		case 'timeout': {
			return new InstallFailure(
				`${error.url} stopped answering`,
				'Check the network or proxy (HTTPS_PROXY), or use a mirror: --mirror URL. A slow link may need --timeout SECONDS.',
				true,
			);
		}

		case 'aborted': {
			return new InstallFailure('cancelled');
		}

		default: {
			return new InstallFailure(
				error.message,
				error.fault === 'http' ? undefined : 'Try again; behind a proxy set HTTPS_PROXY, offline use --mirror URL.',
				error.fault !== 'http' || (error.status ?? 0) >= 500,
			);
		}
	}
}

type Report = (status: ToolInstallStatus) => void;

async function installTool(system: System, release: ToolRelease, request: InstallRequest, tell: Report): Promise<void> {
	const {tool} = release;
	const finalPath = path.join(request.dir, tool);
	tell({type: 'checking'});
	if (!request.force && (await alreadyThere(system, release, request, tell))) {
		return;
	}

	await claimFolder(request.dir);
	await removeStalePartials(request.dir, tool);
	const stem = path.join(request.dir, `.${tool}.${process.pid}.${randomBytes(4).toString('hex')}.partial`);
	const downloadPath = `${stem}-download`;
	const binaryPath = release.member ? `${stem}-binary` : downloadPath;
	try {
		// Claim the file first: an unwritable folder is found before anything is downloaded.
		try {
			await (await open(downloadPath, 'wx', 0o600)).close();
		} catch (error) {
			throw new InstallFailure(
				`cannot write to ${request.dir} (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
				`Choose a folder you own with --dir DIR, or fix the owner of ${request.dir}.`,
			);
		}

		await downloadVerified(system, release, request, downloadPath, tell);
		tell({type: 'installing'});
		if (release.member) {
			try {
				await extractTarGzMember(downloadPath, release.member, binaryPath);
			} catch (error) {
				throw new InstallFailure(error instanceof ArchiveError ? `${release.fileName}: ${error.message}` : String(error));
			}

			await rm(downloadPath, {force: true});
		}

		await chmod(binaryPath, 0o755);
		const version = await runsAsReleased(system, release, binaryPath);
		// Only a binary that runs and says its version takes the tool's name: never a half-installed one.
		await rename(binaryPath, finalPath);
		tell({type: 'done', outcome: 'installed', version, path: finalPath, note: undefined});
	} finally {
		await Promise.all([rm(downloadPath, {force: true}), rm(binaryPath, {force: true})]);
	}
}

/** The same version already in the folder, or the tool on PATH elsewhere: said, and nothing installed. */
async function alreadyThere(system: System, release: ToolRelease, request: InstallRequest, tell: Report): Promise<boolean> {
	const {tool} = release;
	const finalPath = path.join(request.dir, tool);
	if (await system.exists(finalPath)) {
		const {version} = await installedVersion(system, tool, finalPath, release.versionArgs);
		if (sameVersion(version, release.version)) {
			tell({type: 'done', outcome: 'already-installed', version, path: finalPath, note: undefined});
			return true;
		}
	}

	const elsewhere = await system.which(tool);
	if (elsewhere && path.dirname(elsewhere) !== request.dir) {
		const {version} = await installedVersion(system, tool, elsewhere, release.versionArgs);
		tell({type: 'done', outcome: 'found-elsewhere', version, path: elsewhere, note: `--force installs ${release.version} into ${request.dir} as well`});
		return true;
	}

	return false;
}

async function claimFolder(dir: string): Promise<void> {
	try {
		await mkdir(dir, {recursive: true});
	} catch (error) {
		throw new InstallFailure(`cannot create ${dir} (${(error as NodeJS.ErrnoException).code ?? String(error)})`, 'Choose a folder you own with --dir DIR.');
	}
}

/** The release file, downloaded into downloadPath and checked against the SHA-256 its checksum file publishes. */
async function downloadVerified(system: System, release: ToolRelease, request: InstallRequest, downloadPath: string, tell: Report): Promise<void> {
	const common = {
		env: system.env,
		idleTimeoutMs: request.idleTimeoutMs,
		attempts: request.attempts,
		backoffBaseMs: request.backoffBaseMs,
		signal: request.signal,
	};
	const onRetry = (error: DownloadError, attempt: number, delayMs: number) => tell({type: 'retrying', attempt: attempt + 1, delayMs, reason: error.message});
	let checksumText: string;
	try {
		checksumText = await fetchText(release.checksumUrl, {...common, onRetry});
	} catch (error) {
		if (error instanceof DownloadError && error.fault === 'not-found') {
			throw new InstallFailure(
				`no checksum is published at ${release.checksumUrl}; todo-deploy does not install a binary it cannot verify`,
				'Check the version, or that the mirror holds the checksum files too.',
			);
		}

		throw error instanceof DownloadError ? describeDownloadError(error, 'The checksum file', release) : error;
	}

	const expected = checksumFor(checksumText, release.fileName);
	if (!expected) {
		throw new InstallFailure(`the checksum file ${release.checksumUrl} has no SHA-256 for ${release.fileName}`);
	}

	let downloaded: {bytes: number; sha256: string};
	try {
		downloaded = await downloadFile(release.url, downloadPath, {
			...common,
			onRetry,
			onProgress: progress =>
				tell({type: 'downloading', received: progress.received, total: progress.total, bytesPerSecond: progress.bytesPerSecond, attempt: progress.attempt}),
		});
	} catch (error) {
		throw error instanceof DownloadError ? describeDownloadError(error, 'The release file', release) : error;
	}

	tell({type: 'verifying'});
	if (downloaded.sha256 !== expected) {
		throw new InstallFailure(
			`checksum mismatch for ${release.fileName} (${megabytes(downloaded.bytes)}): expected ${expected}, got ${downloaded.sha256}; the file was corrupted or altered on the way, so it was deleted`,
			'Try again; if it keeps failing, the mirror or proxy serves a different file.',
		);
	}
}

/** The version the new binary says, when it runs here and is the one released. */
async function runsAsReleased(system: System, release: ToolRelease, binaryPath: string): Promise<string> {
	const {tool} = release;
	const {version, result} = await installedVersion(system, tool, binaryPath, release.versionArgs);
	if (!version) {
		throw new InstallFailure(
			`the downloaded ${tool} does not run here: ${describeRunFailure(`${tool} ${release.versionArgs.join(' ')}`, result)}`,
			'Check that the platform matches (uname -m) and that the folder is not mounted noexec.',
		);
	}

	if (!sameVersion(version, release.version)) {
		throw new InstallFailure(`the downloaded ${tool} says it is ${version}, not ${release.version}`);
	}

	return version;
}

async function trivyImageHint(system: System): Promise<string | undefined> {
	const images = await findLocalImages(system.env, 'aquasec/trivy', 3000).catch(() => []);
	const image = images[0];
	return image
		? `The image ${image} is on this machine: todo-deploy can run Trivy from it (docker run --rm -v /var/run/docker.sock:/var/run/docker.sock ${image} image IMAGE).`
		: undefined;
}

export async function runInstall(system: System, store: Store<InstallState, InstallAction>, request: InstallRequest): Promise<boolean> {
	const started = performance.now();
	const platform = releasePlatform(system.platform, system.arch);
	const releases =
		'unsupported' in platform ? undefined : request.tools.map(tool => toolRelease(tool, platform, {version: request.version, mirror: request.mirror}));
	store.dispatch({
		type: 'install/started',
		tools: request.tools,
		dir: request.dir,
		versions: Object.fromEntries((releases ?? []).map(release => [release.tool, release.version])),
	});
	await Promise.all(
		request.tools.map(async (tool, index) => {
			const tell = (status: ToolInstallStatus) => store.dispatch({type: 'install/status', tool, status});
			const release = releases?.[index];
			if (!release) {
				tell({type: 'failed', message: 'unsupported' in platform ? platform.unsupported : 'no release', fix: undefined, failure: 'fix-first'});
				return;
			}

			try {
				await installTool(system, release, request, tell);
			} catch (error) {
				const failure = error instanceof InstallFailure ? error : new InstallFailure(error instanceof Error ? error.message : String(error));
				const hint = tool === 'trivy' && failure.message !== 'cancelled' ? await trivyImageHint(system) : undefined;
				tell({
					type: 'failed',
					message: failure.message,
					fix: [failure.fix, hint].filter(Boolean).join(' ') || undefined,
					failure: failure.unreachable ? 'environment' : 'fix-first',
				});
			}
		}),
	);
	store.dispatch({type: 'install/finished', durationMs: performance.now() - started, cancelled: request.signal?.aborted ?? false});
	return store.getState().tools.every(entry => entry.status.type === 'done');
}
