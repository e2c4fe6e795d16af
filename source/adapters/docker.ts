// Docker: the CLI on PATH (and Docker Desktop's WSL stub), and the daemon through dockerode.
import {createHash} from 'node:crypto';
import {existsSync, readFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Dockerode from 'dockerode';
import type {DockerDaemonState} from '../engine/doctor/types.js';
import type {Env, System} from './system.js';
import {onFirstUse} from './lazy.js';

export const defaultDockerSocket = '/var/run/docker.sock';

export type DockerEndpoint = (
	| {readonly type: 'socket'; readonly host: string; readonly socketPath: string}
	| {
			readonly type: 'tcp';
			readonly host: string;
			readonly hostname: string;
			readonly port: number;
			readonly tls: boolean;
			readonly certPath: string | undefined;
	  }
	| {readonly type: 'unsupported'; readonly host: string; readonly why: string}
) & {
	/** The docker context it comes from, when not DOCKER_HOST or the default. */
	readonly context?: string;
};

type ContextMeta = {Endpoints?: {docker?: {Host?: string; SkipTLSVerify?: boolean}}};

const readJson = <T>(file: string): T | undefined => {
	try {
		return JSON.parse(readFileSync(file, 'utf8')) as T;
	} catch {
		return undefined;
	}
};

/**
 * The docker context in use, as the docker CLI picks it: DOCKER_CONTEXT, else currentContext in
 * $DOCKER_CONFIG/config.json (~/.docker). Its endpoint is in contexts/meta/<sha256 of the name>/meta.json.
 */
export function dockerContext(env: Env): {readonly name: string; readonly host: string | undefined; readonly tlsDir: string | undefined} | undefined {
	const configDir = env['DOCKER_CONFIG'] ?? path.join(env['HOME'] ?? os.homedir(), '.docker');
	const name = env['DOCKER_CONTEXT']?.trim() || readJson<{currentContext?: string}>(path.join(configDir, 'config.json'))?.currentContext;
	if (!name || name === 'default') {
		return undefined;
	}

	const id = createHash('sha256').update(name).digest('hex');
	const meta = readJson<ContextMeta>(path.join(configDir, 'contexts', 'meta', id, 'meta.json'));
	const tlsDir = path.join(configDir, 'contexts', 'tls', id, 'docker');
	return {name, host: meta?.Endpoints?.docker?.Host, tlsDir: existsSync(tlsDir) ? tlsDir : undefined};
}

/** Where the daemon is, as the docker CLI would resolve it: DOCKER_HOST, else the docker context, else the local socket. */
export function dockerEndpoint(env: Env): DockerEndpoint {
	if (!env['DOCKER_HOST']?.trim()) {
		const context = dockerContext(env);
		if (context && !context.host) {
			return {
				type: 'unsupported',
				host: `docker context ${context.name}`,
				why: `The docker context "${context.name}" (${env['DOCKER_CONTEXT'] ? 'DOCKER_CONTEXT' : 'currentContext in ~/.docker/config.json'}) does not exist: docker context ls lists them; docker context use default goes back to the local socket.`,
			};
		}

		if (context?.host) {
			const endpoint = dockerEndpoint({
				...env,
				DOCKER_HOST: context.host,
				DOCKER_CERT_PATH: context.tlsDir,
				DOCKER_TLS_VERIFY: context.tlsDir ? '1' : undefined,
			});
			return {...endpoint, context: context.name};
		}
	}

	const host = env['DOCKER_HOST']?.trim();
	if (!host) {
		return {type: 'socket', host: `unix://${defaultDockerSocket}`, socketPath: defaultDockerSocket};
	}

	if (host.startsWith('unix://')) {
		return {type: 'socket', host, socketPath: host.slice('unix://'.length)};
	}

	if (host.startsWith('tcp://') || host.startsWith('http://') || host.startsWith('https://')) {
		let url: URL;
		try {
			url = new URL(host.replace(/^tcp:/, 'http:'));
		} catch {
			return {type: 'unsupported', host, why: `DOCKER_HOST=${host} is not a valid address.`};
		}

		const tls = host.startsWith('https://') || (env['DOCKER_TLS_VERIFY'] ?? '') !== '';
		const port = url.port ? Number(url.port) : tls ? 2376 : 2375;
		return {type: 'tcp', host, hostname: url.hostname, port, tls, certPath: env['DOCKER_CERT_PATH']};
	}

	if (host.startsWith('ssh://')) {
		return {
			type: 'unsupported',
			host,
			why: 'DOCKER_HOST uses ssh://, which todo-deploy does not reach directly; forward the socket (ssh -L) or use a docker context with unix:// or tcp://.',
		};
	}

	return {type: 'unsupported', host, why: `DOCKER_HOST=${host} has a scheme todo-deploy does not know (expected unix://, tcp:// or ssh://).`};
}

const stubPattern = /The command '(?<command>[^']+)' could not be found in this WSL (?<version>\d) distro/;

/** Docker Desktop puts a stub `docker` in WSL distros whose integration is off; it prints this text. */
export function parseDesktopStub(output: string): {readonly wsl: 1 | 2} | undefined {
	const match = stubPattern.exec(output);
	if (!match?.groups) {
		return undefined;
	}

	return {wsl: match.groups['version'] === '1' ? 1 : 2};
}

/** `docker --version` prints "Docker version 28.2.2, build e6534b4". */
export function parseDockerCliVersion(output: string): string | undefined {
	return /Docker version (?<version>[^\s,]+)/.exec(output)?.groups?.['version'];
}

export type DockerCli = {
	readonly type: 'present' | 'missing' | 'desktop-stub';
	readonly path: string | undefined;
	readonly version: string | undefined;
	readonly stubMessage: string | undefined;
};

export async function detectDockerCli(system: System, timeoutMs: number): Promise<DockerCli> {
	const cliPath = await system.which('docker');
	if (!cliPath) {
		return {type: 'missing', path: undefined, version: undefined, stubMessage: undefined};
	}

	const result = await system.run(cliPath, ['--version'], {timeoutMs});
	const output = `${result.stdout}\n${result.stderr}`;
	if (parseDesktopStub(output)) {
		return {type: 'desktop-stub', path: cliPath, version: undefined, stubMessage: output.trim()};
	}

	return {type: 'present', path: cliPath, version: parseDockerCliVersion(output), stubMessage: undefined};
}

function readCert(certPath: string | undefined, file: string): Buffer | undefined {
	if (!certPath) {
		return undefined;
	}

	try {
		return readFileSync(path.join(certPath, file));
	} catch {
		return undefined;
	}
}

// Loaded on first use: it costs ~150 ms, which the first frame should not wait for.
const loadDockerode = onFirstUse(async () => import('dockerode'));

export async function connectDocker(endpoint: DockerEndpoint, timeoutMs: number) {
	const {default: Docker} = await loadDockerode();
	if (endpoint.type === 'socket') {
		return new Docker({socketPath: endpoint.socketPath, timeout: timeoutMs});
	}

	if (endpoint.type === 'tcp') {
		return new Docker({
			host: endpoint.hostname,
			port: endpoint.port,
			protocol: endpoint.tls ? 'https' : 'http',
			ca: readCert(endpoint.certPath, 'ca.pem'),
			cert: readCert(endpoint.certPath, 'cert.pem'),
			key: readCert(endpoint.certPath, 'key.pem'),
			timeout: timeoutMs,
		});
	}

	throw new Error(endpoint.why);
}

function errorCode(error: unknown): string | undefined {
	const value = (error as {code?: unknown} | undefined)?.code;
	return typeof value === 'string' ? value : undefined;
}

function errorMessage(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/** Pings the daemon and reads its version and resources. Never throws. */
/** The fields of GET /info the doctor reads. */
type DockerInfo = {
	NCPU?: number;
	MemTotal?: number;
	OSType?: string;
	CgroupVersion?: string;
	CgroupDriver?: string;
	DockerRootDir?: string;
	HttpProxy?: string;
	HttpsProxy?: string;
};

export async function probeDockerDaemon(env: Env, timeoutMs: number): Promise<DockerDaemonState> {
	const endpoint = dockerEndpoint(env);
	if (endpoint.type === 'unsupported') {
		return {type: 'error', message: endpoint.why};
	}

	const started = performance.now();
	try {
		const docker = await connectDocker(endpoint, timeoutMs);
		await docker.ping();
		const [version, info] = await Promise.all([docker.version(), docker.info() as Promise<DockerInfo>]);
		return {
			type: 'reachable',
			version: version.Version,
			apiVersion: version.ApiVersion,
			osType: info.OSType ?? version.Os,
			cpus: info.NCPU,
			memoryMiB: info.MemTotal === undefined ? undefined : Math.round(info.MemTotal / 1024 / 1024),
			cgroupVersion: info.CgroupVersion,
			cgroupDriver: info.CgroupDriver,
			rootDir: info.DockerRootDir,
			// The daemon masks the password itself (http://user:xxxxx@proxy).
			proxy: info.HttpsProxy || info.HttpProxy || undefined,
		};
	} catch (error) {
		const code = errorCode(error);
		const socket = endpoint.type === 'socket' ? endpoint.socketPath : endpoint.host;
		// A daemon that accepted and said nothing until the deadline: the client's timeout shows up as a reset.
		if (performance.now() - started >= timeoutMs - 50 && code !== 'ENOENT' && code !== 'EACCES') {
			return {type: 'timeout'};
		}

		if (code === 'EACCES' || code === 'EPERM') {
			return {type: 'permission-denied', socket};
		}

		if (code === 'ENOENT') {
			return {type: 'no-socket', socket};
		}

		if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EHOSTUNREACH') {
			return {type: 'refused', message: errorMessage(error)};
		}

		if (code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT' || /timeout/i.test(errorMessage(error))) {
			return {type: 'timeout'};
		}

		return {type: 'error', message: errorMessage(error)};
	}
}

/** Local images of a repository ("aquasec/trivy:0.58.1", …); empty when Docker does not answer. */
export async function findLocalImages(env: Env, repository: string, timeoutMs: number): Promise<string[]> {
	const endpoint = dockerEndpoint(env);
	if (endpoint.type === 'unsupported') {
		return [];
	}

	const docker = await connectDocker(endpoint, timeoutMs);
	const images = await docker.listImages({filters: {reference: [repository]}});
	return images.flatMap(image => image.RepoTags ?? []).filter(tag => tag.startsWith(`${repository}:`));
}

export type DockerOpened = {readonly ok: true; readonly docker: Dockerode} | {readonly ok: false; readonly message: string; readonly fix: string};

/**
 * The daemon, asked within a deadline, before a long-running use (a build has no deadline of its own):
 * a hung daemon, a refusing one, a missing socket and a forbidden one are each said with their own fix.
 */
export async function openDocker(env: Env, deadlineMs = 5000): Promise<DockerOpened> {
	const endpoint = dockerEndpoint(env);
	if (endpoint.type === 'unsupported') {
		return {ok: false, message: endpoint.why, fix: 'Set DOCKER_HOST to unix:///path/to/docker.sock or tcp://HOST:PORT, or unset it to use the local socket.'};
	}

	let timer: NodeJS.Timeout | undefined;
	const deadline = new Promise<DockerDaemonState>(resolve => {
		timer = setTimeout(() => resolve({type: 'timeout'}), deadlineMs);
	});
	const state = await Promise.race([probeDockerDaemon(env, deadlineMs), deadline]);
	clearTimeout(timer);
	switch (state.type) {
		case 'reachable': {
			return {ok: true, docker: await connectDocker(endpoint, 0)};
		}

		case 'permission-denied': {
			return {
				ok: false,
				message: `This user may not open the Docker socket ${state.socket}.`,
				fix: 'sudo usermod -aG docker $USER, then start a new login shell (todo-deploy doctor says more).',
			};
		}

		case 'no-socket': {
			return {
				ok: false,
				message: `Docker is not running: there is no socket at ${state.socket}.`,
				fix: 'Start Docker (sudo service docker start; on WSL, Docker Desktop with WSL integration on), then run this again; todo-deploy doctor says more.',
			};
		}

		case 'refused': {
			return {
				ok: false,
				message: `Docker at ${endpoint.host} refused the connection: no daemon runs there.`,
				fix: 'Start the daemon, or unset DOCKER_HOST to use the local one; todo-deploy doctor says more.',
			};
		}

		case 'timeout': {
			return {
				ok: false,
				message: `Docker at ${endpoint.host} did not answer within ${Math.round(deadlineMs / 1000)} s: it accepts connections but does not reply (still starting, or hung).`,
				fix: 'Wait for it to finish starting, or restart it (sudo systemctl restart docker, or restart Docker Desktop).',
			};
		}

		case 'error': {
			return {
				ok: false,
				message: `Docker at ${endpoint.host} could not be reached: ${state.message}`,
				fix: 'Check DOCKER_HOST (unset it to use the local socket).',
			};
		}
	}
}
