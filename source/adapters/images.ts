// Images through the Docker API (dockerode): build, inspect, copy between daemons, push, exec.
import {createWriteStream} from 'node:fs';
import {readFile, rm} from 'node:fs/promises';
import {pipeline} from 'node:stream/promises';
import path from 'node:path';
import {PassThrough, type Readable} from 'node:stream';
import type Dockerode from 'dockerode';
import {extract} from 'tar-stream';
import {credentialHelperFix} from '../diagnose/credential-helper.js';
import {connectDocker, dockerEndpoint} from './docker.js';
import {lines} from './lines.js';
import {runCommand, whichIn, type Env} from './system.js';

export type DockerClient = Dockerode;

export async function dockerClient(env: Env, timeoutMs = 0): Promise<DockerClient> {
	const endpoint = dockerEndpoint(env);
	if (endpoint.type === 'unsupported') {
		throw new Error(endpoint.why);
	}

	return connectDocker(endpoint, timeoutMs);
}

export type ImageInfo = {
	readonly id: string;
	readonly size: number;
	readonly labels: Readonly<Record<string, string>>;
	readonly repoDigests: readonly string[];
};

/** Every tag the daemon has ("todo-backend:git-…", "postgres:16"). */
export async function imageTags(docker: DockerClient): Promise<string[]> {
	return (await docker.listImages()).flatMap(image => image.RepoTags ?? []);
}

/**
 * The Engine API sends null where dockerode's types promise a value (Labels of an image built
 * without any, Env of a container started without any): read such fields through this.
 */
export function orEmpty<T>(value: T | null | undefined, empty: T): T {
	return value ?? empty;
}

/** undefined when the daemon has no such image. */
export async function inspectImage(docker: DockerClient, reference: string): Promise<ImageInfo | undefined> {
	try {
		const info = await docker.getImage(reference).inspect();
		return {id: info.Id, size: info.Size, labels: orEmpty(info.Config.Labels, {}), repoDigests: orEmpty(info.RepoDigests, [])};
	} catch (error) {
		if ((error as {statusCode?: number}).statusCode === 404) {
			return undefined;
		}

		throw error;
	}
}

/** The JSON lines of a build, push or load stream, as objects; a broken line is passed on as text. */
export async function* jsonMessages(stream: NodeJS.ReadableStream): AsyncGenerator<Record<string, unknown>> {
	for await (const line of lines(stream as AsyncIterable<Uint8Array | string>)) {
		if (line.trim()) {
			yield parseLine(line.trim());
		}
	}
}

function parseLine(line: string): Record<string, unknown> {
	try {
		const value = JSON.parse(line) as unknown;
		return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {stream: line};
	} catch {
		return {stream: `${line}\n`};
	}
}

export type BuildRequest = {
	readonly context: Readable;
	readonly tag: string;
	readonly dockerfile: string;
	readonly buildArgs: Readonly<Record<string, string>>;
	readonly labels: Readonly<Record<string, string>>;
	/** Earlier builds of the same repository: the cache follows their chain of layers (--cache-from). */
	readonly cacheFrom: readonly string[];
	readonly signal?: AbortSignal | undefined;
};

/**
 * The newest tags of a repository (todo-backend:…), newest first. Given as --cache-from, they keep
 * the classic builder on this image's own chain of layers: without them it takes the newest image
 * with the same parent and instruction, which after two builds at once on an empty engine may be
 * the other image's (both start FROM the same base with WORKDIR /app), and every later step misses.
 */
export async function earlierBuilds(docker: DockerClient, repository: string, limit = 10): Promise<string[]> {
	const images = await docker.listImages({filters: {reference: [repository]}});
	return images
		.sort((a, b) => b.Created - a.Created)
		.flatMap(image => (image.RepoTags ?? []).filter(tag => tag.startsWith(`${repository}:`)).slice(0, 1))
		.slice(0, limit);
}

/** Starts a classic-builder build; the daemon's messages come back as objects. */
export async function startBuild(docker: DockerClient, request: BuildRequest): Promise<AsyncGenerator<Record<string, unknown>>> {
	const stream = await docker.buildImage(
		request.context as unknown as NodeJS.ReadableStream,
		{
			t: request.tag,
			dockerfile: request.dockerfile,
			buildargs: {...request.buildArgs},
			labels: {...request.labels},
			rm: true,
			forcerm: true,
			// The API takes a JSON list; dockerode would repeat the key for an array.
			...(request.cacheFrom.length > 0 ? {cachefrom: JSON.stringify(request.cacheFrom)} : {}),
		} as Parameters<DockerClient['buildImage']>[1],
	);
	request.signal?.addEventListener(
		'abort',
		() => {
			// Closing the connection makes the daemon cancel the build.
			(stream as unknown as {destroy?: () => void}).destroy?.();
			request.context.destroy();
		},
		{once: true},
	);
	return jsonMessages(stream);
}

/** Copies an image from one daemon to another, streaming `docker save` into `docker load`; returns the bytes sent. */
export async function copyImage(from: DockerClient, to: DockerClient, reference: string): Promise<number> {
	const saved = await from.getImage(reference).get();
	let bytes = 0;
	const relay = new PassThrough();
	relay.on('data', (chunk: Buffer) => {
		bytes += chunk.length;
	});
	(saved as NodeJS.ReadableStream).pipe(relay);
	const loaded = await to.loadImage(relay, {quiet: true});
	for await (const message of jsonMessages(loaded)) {
		if (typeof message['error'] === 'string') {
			throw new Error(message['error']);
		}
	}

	return bytes;
}

/** Runs a command in a container; stdout and stderr come back as text. */
export async function execIn(
	docker: DockerClient,
	container: string,
	command: readonly string[],
): Promise<{exitCode: number | undefined; stdout: string; stderr: string}> {
	const exec = await docker.getContainer(container).exec({Cmd: [...command], AttachStdout: true, AttachStderr: true});
	const stream = await exec.start({hijack: true, stdin: false});
	const stdout = new PassThrough();
	const stderr = new PassThrough();
	const out: Buffer[] = [];
	const errors: Buffer[] = [];
	stdout.on('data', (chunk: Buffer) => out.push(chunk));
	stderr.on('data', (chunk: Buffer) => errors.push(chunk));
	docker.modem.demuxStream(stream, stdout, stderr);
	await new Promise<void>((resolve, reject) => {
		stream.on('end', resolve);
		stream.on('close', resolve);
		stream.on('error', reject);
	});
	const info = await exec.inspect();
	return {exitCode: info.ExitCode ?? undefined, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(errors).toString()};
}

export type RegistryAuth = {readonly username?: string; readonly password?: string; readonly identitytoken?: string; readonly serveraddress: string};

export type RegistryCredentials = {
	readonly auth: RegistryAuth | undefined;
	/** The credential helper the Docker config names for this registry (credHelpers, else credsStore). */
	readonly helper: string | undefined;
	/** Why the helper gave nothing (not installed, not logged in), in words. */
	readonly problem?: string | undefined;
};

/**
 * The credentials the docker CLI would use for this registry: its credential helper when the Docker
 * config names one (docker-credential-NAME get, the server on stdin, JSON on stdout, as the docker CLI
 * runs it), else the auths entry. The helper's answer is never recorded (it is run outside the session log).
 */
export async function registryAuth(env: Env, homedir: string, registry: string): Promise<RegistryCredentials> {
	const file = path.join(env['DOCKER_CONFIG'] ?? path.join(homedir, '.docker'), 'config.json');
	const text = await readFile(file, 'utf8').catch(() => undefined);
	if (!text) {
		return {auth: undefined, helper: undefined};
	}

	let config: {auths?: Record<string, {auth?: string; identitytoken?: string}>; credsStore?: string; credHelpers?: Record<string, string>};
	try {
		config = JSON.parse(text) as typeof config;
	} catch {
		return {auth: undefined, helper: undefined, problem: `${file} is not valid JSON`};
	}

	const own = config.credHelpers?.[registry];
	const helper = own ?? config.credsStore;
	if (helper) {
		return fromHelper(env, helper, registry, file, own ? `"credHelpers": {"${registry}": "${own}"}` : `"credsStore": "${helper}"`);
	}

	const key = Object.keys(config.auths ?? {}).find(name => name.replace(/^https?:\/\//, '').replace(/\/.*$/, '') === registry);
	const entry = key ? config.auths?.[key] : undefined;
	if (!entry?.auth && !entry?.identitytoken) {
		return {auth: undefined, helper};
	}

	const decoded = entry.auth ? Buffer.from(entry.auth, 'base64').toString() : '';
	const colon = decoded.indexOf(':');
	return {
		auth: {
			serveraddress: registry,
			...(colon > 0 ? {username: decoded.slice(0, colon), password: decoded.slice(colon + 1)} : {}),
			...(entry.identitytoken ? {identitytoken: entry.identitytoken} : {}),
		},
		helper,
	};
}

async function fromHelper(env: Env, helper: string, registry: string, file: string, entry: string): Promise<RegistryCredentials> {
	const program = `docker-credential-${helper}`;
	const found = await whichIn(program, env);
	if (!found) {
		return {
			auth: undefined,
			helper,
			problem: `the Docker config keeps credentials in ${program}, which is not on PATH: ${credentialHelperFix({program, helper}, file, entry)}`,
		};
	}

	const answer = await runCommand(found, ['get'], {timeoutMs: 10_000, env, input: registry});
	if (answer.exitCode !== 0) {
		const said = (answer.stdout || answer.stderr).trim();
		return {
			auth: undefined,
			helper,
			problem: /not found|no credentials/i.test(said) ? `${program} has no credentials for ${registry}` : `${program} get failed: ${said.split('\n')[0] ?? ''}`,
		};
	}

	try {
		const parsed = JSON.parse(answer.stdout) as {ServerURL?: string; Username?: string; Secret?: string};
		// "<token>" as the user name: the secret is an identity token (as the docker CLI reads it).
		return {
			auth:
				parsed.Username === '<token>'
					? {serveraddress: registry, identitytoken: parsed.Secret ?? ''}
					: {serveraddress: registry, username: parsed.Username ?? '', password: parsed.Secret ?? ''},
			helper,
		};
	} catch {
		return {auth: undefined, helper, problem: `${program} get did not answer with JSON`};
	}
}

/** Tags and pushes; a daemon error inside the stream is thrown. */
export async function pushImage(
	docker: DockerClient,
	source: string,
	target: string,
	auth: RegistryAuth | undefined,
	onProgress: (line: string) => void,
): Promise<{readonly digest: string | undefined; readonly bytes: number}> {
	const colon = target.lastIndexOf(':');
	const repo = target.slice(0, colon);
	const tag = target.slice(colon + 1);
	if (auth) {
		// The daemon retries a refused upload for about a minute; a refused login is known at once.
		await docker.checkAuth({...auth}).catch((error: unknown) => {
			const reason = (error as {json?: {message?: string}}).json?.message ?? (error instanceof Error ? error.message : String(error));
			throw new Error(`unauthorized: ${reason}`, {cause: error});
		});
	}

	await docker.getImage(source).tag({repo, tag});
	const stream = await docker.getImage(target).push({tag, ...(auth ? {authconfig: auth} : {})});
	let digest: string | undefined;
	// What went over the wire: each layer's last "Pushing" progress (a layer the registry has says "Layer already exists").
	const sent = new Map<string, number>();
	for await (const message of jsonMessages(stream)) {
		if (typeof message['error'] === 'string') {
			throw new Error(message['error']);
		}

		const aux = message['aux'] as {Digest?: string} | undefined;
		digest = aux?.Digest ?? digest;
		const detail = message['progressDetail'] as {current?: unknown} | undefined;
		if (message['status'] === 'Pushing' && typeof message['id'] === 'string' && typeof detail?.current === 'number') {
			sent.set(message['id'], Math.max(sent.get(message['id']) ?? 0, detail.current));
		}

		if (typeof message['status'] === 'string') {
			onProgress(`${message['status']}${typeof message['progress'] === 'string' ? ` ${message['progress']}` : ''}`);
		}
	}

	return {digest, bytes: [...sent.values()].reduce((sum, bytes) => sum + bytes, 0)};
}

/** Saves an image to an archive file (as docker save -o does), 0600; a half-written file is removed. */
export async function saveImage(from: DockerClient, reference: string, file: string): Promise<void> {
	const saved = (await from.getImage(reference).get()) as NodeJS.ReadableStream;
	try {
		await pipeline(saved, createWriteStream(file, {mode: 0o600}));
	} catch (error) {
		await rm(file, {force: true});
		throw error;
	}
}

/**
 * The files under an image's WORKDIR, as it holds them: a container is created (never started), the
 * folder read out of it as a tar and listed (at most maxEntries), and the container removed. Undefined
 * when this Docker does not have the image.
 */
export async function imageTree(
	docker: DockerClient,
	reference: string,
	maxEntries = 20_000,
): Promise<{readonly workdir: string; readonly files: readonly string[]; readonly truncated: boolean} | undefined> {
	const inspected = await docker
		.getImage(reference)
		.inspect()
		.catch(() => undefined);
	if (!inspected) {
		return undefined;
	}

	const workdir = inspected.Config.WorkingDir || '/';
	const container = await docker.createContainer({Image: reference, Entrypoint: ['/nonexistent'], Cmd: [], NetworkDisabled: true});
	try {
		const archive = (await container.getArchive({path: workdir})) as NodeJS.ReadableStream;
		const files: string[] = [];
		let truncated = false;
		const lister = extract();
		const parent = path.posix.dirname(workdir);
		lister.on('entry', (header, stream, next) => {
			if (files.length >= maxEntries) {
				// Enough to tell where the module lies: the rest of the tar is not read.
				truncated = true;
				lister.destroy();
				return;
			}

			if (header.type === 'file') {
				files.push(path.posix.join(parent, header.name));
			}

			stream.on('end', next);
			stream.resume();
		});
		await pipeline(archive, lister).catch((error: unknown) => {
			if (!truncated) {
				throw error;
			}
		});
		return {workdir, files, truncated};
	} finally {
		await container.remove({force: true}).catch(() => undefined);
	}
}
