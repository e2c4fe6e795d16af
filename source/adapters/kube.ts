// Kubernetes: kubeconfig files and contexts (through @kubernetes/client-node), and the kubectl CLI.
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import type {KubeConfig} from '@kubernetes/client-node/dist/config.js';
import {clockFix} from '../diagnose/certificate-time.js';
import {messageOf} from './errors.js';
import type {LocalKind} from '../engine/doctor/types.js';
import {firstSemver, probeTool, type Env, type System} from './system.js';
import {onFirstUse} from './lazy.js';

/** The kubeconfig files kubectl would read: $KUBECONFIG (a path list), else ~/.kube/config. */
export function kubeconfigPaths(env: Env, homedir: string): string[] {
	const list = env['KUBECONFIG'];
	if (list && list.trim() !== '') {
		return list.split(path.delimiter).filter(Boolean);
	}

	return [path.join(homedir, '.kube', 'config')];
}

/** Which local cluster a context belongs to, from the names minikube, kind, k3d and Docker Desktop give them. */
export function classifyLocalContext(context: string, cluster: string, minikubeProfiles: readonly string[] = []): LocalKind | null {
	const names = [context, cluster];
	if (names.some(name => name.startsWith('kind-'))) {
		return 'kind';
	}

	if (names.some(name => name.startsWith('k3d-'))) {
		return 'k3d';
	}

	if (names.includes('docker-desktop') || names.includes('docker-for-desktop')) {
		return 'docker-desktop';
	}

	if (names.includes('rancher-desktop')) {
		return 'rancher-desktop';
	}

	if (names.includes('minikube') || names.some(name => minikubeProfiles.includes(name))) {
		return 'minikube';
	}

	return null;
}

// Only client-node's KubeConfig (2.5 MB bundled, ~110 ms) rather than the whole client with every
// generated API model (17 MB, ~350 ms of parsing that would freeze the screen); loaded only when a kubeconfig exists.
const loadClientNode = onFirstUse(async () => import('@kubernetes/client-node/dist/config.js'));

export type LoadedKubeconfig =
	| {readonly type: 'none'; readonly files: readonly string[]}
	| {readonly type: 'broken'; readonly files: readonly string[]; readonly file: string; readonly message: string}
	| {readonly type: 'loaded'; readonly files: readonly string[]; readonly config: KubeConfig};

/**
 * Loads and merges the kubeconfig files like kubectl: missing files are skipped,
 * the first file to name a cluster, user, context or current-context wins.
 */
export async function loadKubeconfig(system: System, files?: readonly string[]): Promise<LoadedKubeconfig> {
	const candidates = files ?? kubeconfigPaths(system.env, system.homedir);
	const present: string[] = [];
	for (const file of candidates) {
		if (await system.exists(file)) {
			present.push(file);
		}
	}

	if (present.length === 0) {
		return {type: 'none', files: candidates};
	}

	const {KubeConfig} = await loadClientNode();
	const loaded: KubeConfig[] = [];
	for (const file of present) {
		const config = new KubeConfig();
		try {
			config.loadFromFile(file);
		} catch (error) {
			return {type: 'broken', files: present, file, message: error instanceof Error ? error.message : String(error)};
		}

		loaded.push(config);
	}

	const firstByName = <T extends {name: string}>(lists: T[][]) => {
		const seen = new Map<string, T>();
		for (const item of lists.flat()) {
			if (!seen.has(item.name)) {
				seen.set(item.name, item);
			}
		}

		return [...seen.values()];
	};

	const merged = new KubeConfig();
	merged.loadFromOptions({
		clusters: firstByName(loaded.map(config => config.getClusters())),
		users: firstByName(loaded.map(config => config.getUsers())),
		contexts: firstByName(loaded.map(config => config.getContexts())),
		currentContext: loaded.map(config => config.getCurrentContext()).find(Boolean) ?? '',
	});
	return {type: 'loaded', files: present, config: merged};
}

export type VersionProbe = {readonly reachable: true; readonly gitVersion: string} | {readonly reachable: false; readonly error: string};

function describeNetworkError(error: unknown, server: string): string {
	const code = (error as {code?: string}).code;
	switch (code) {
		case 'ECONNREFUSED': {
			return `nothing answers at ${server} (connection refused): the cluster is stopped or its address changed`;
		}

		case 'ENOTFOUND':
		case 'EAI_AGAIN': {
			return `the host in ${server} does not resolve`;
		}

		case 'DEPTH_ZERO_SELF_SIGNED_CERT':
		case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
		case 'SELF_SIGNED_CERT_IN_CHAIN':
		case 'ERR_TLS_CERT_ALTNAME_INVALID': {
			return `the server's TLS certificate is not trusted by this kubeconfig (${code})`;
		}

		case 'CERT_NOT_YET_VALID': {
			return `the API server's certificate at ${server} is not valid yet, so this machine's clock is behind: ${clockFix}`;
		}

		case 'CERT_HAS_EXPIRED': {
			return `the API server's certificate at ${server} has expired (by this machine's clock): minikube delete makes a cluster with new ones, or renew them inside the node (minikube ssh -- sudo kubeadm certs renew all --config /var/tmp/minikube/kubeadm.yaml, then minikube stop and start); if the clock is wrong instead, ${clockFix}`;
		}

		default: {
			return `${server}: ${messageOf(error)}`;
		}
	}
}

/** GET /version on one context's API server, within timeoutMs. Never throws. */
export async function probeContextVersion(config: KubeConfig, contextName: string, timeoutMs: number): Promise<VersionProbe> {
	const {KubeConfig: KubeConfigClass} = await loadClientNode();
	const own = new KubeConfigClass();
	own.loadFromOptions({clusters: config.getClusters(), users: config.getUsers(), contexts: config.getContexts(), currentContext: contextName});
	const cluster = own.getCurrentCluster();
	if (!cluster?.server) {
		return {reachable: false, error: `context "${contextName}" names no cluster with a server address`};
	}

	let url: URL;
	try {
		url = new URL('/version', cluster.server);
	} catch {
		return {reachable: false, error: `the server address "${cluster.server}" is not a URL`};
	}

	const options: https.RequestOptions = {timeout: timeoutMs};
	const deadline = AbortSignal.timeout(timeoutMs);
	const isHttps = url.protocol === 'https:';
	// /version needs no credentials; plain-HTTP servers (kubectl proxy, test servers) get none, as client-node refuses them.
	if (isHttps) {
		try {
			await Promise.race([
				own.applyToHTTPSOptions(options),
				new Promise((_resolve, reject) => {
					deadline.addEventListener('abort', () => {
						reject(new Error('the credential plugin did not answer in time'));
					});
				}),
			]);
		} catch (error) {
			return {reachable: false, error: `credentials for "${contextName}" could not be prepared: ${error instanceof Error ? error.message : String(error)}`};
		}
	}

	return new Promise<VersionProbe>(resolve => {
		const request = (isHttps ? https : http).get(url, {...options, signal: deadline}, response => {
			let body = '';
			response.setEncoding('utf8');
			response.on('data', (chunk: string) => {
				body += chunk;
			});
			response.on('end', () => {
				if (response.statusCode === 200) {
					try {
						const parsed = JSON.parse(body) as {gitVersion?: string};
						resolve({reachable: true, gitVersion: parsed.gitVersion ?? 'unknown'});
					} catch {
						resolve({reachable: false, error: `${cluster.server} answered /version with something that is not Kubernetes`});
					}

					return;
				}

				// 401/403 still prove an API server answers; the version is then unknown.
				if (response.statusCode === 401 || response.statusCode === 403) {
					resolve({reachable: true, gitVersion: 'unknown (not authorised to read /version)'});
					return;
				}

				resolve({reachable: false, error: `${cluster.server}/version answered HTTP ${response.statusCode ?? '?'}`});
			});
		});
		request.on('timeout', () => {
			request.destroy(new Error('timeout'));
		});
		request.on('error', error => {
			const timedOut = deadline.aborted || error.message === 'timeout';
			resolve({
				reachable: false,
				error: timedOut
					? `${cluster.server} did not answer within ${Math.max(1, Math.round(timeoutMs / 1000))} s: the API server is hung or overloaded, or something else listens there`
					: describeNetworkError(error, cluster.server),
			});
		});
	});
}

/** `kubectl version --client -o json` prints {"clientVersion":{"gitVersion":"v1.35.2",…}}. */
export function parseKubectlVersion(output: string): string | undefined {
	return /"gitVersion"\s*:\s*"(?<version>[^"]+)"/.exec(output)?.groups?.['version'] ?? firstSemver(output);
}

export async function probeKubectl(system: System, timeoutMs: number) {
	return probeTool(system, 'kubectl', ['version', '--client', '--output=json'], parseKubectlVersion, timeoutMs);
}
