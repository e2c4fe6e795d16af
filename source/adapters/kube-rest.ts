// The Kubernetes API as plain JSON over HTTP: the kubeconfig, credentials and TLS are client-node's
// (KubeConfig and its request context), the requests are undici's. Only client-node's kubeconfig and
// request parts load (about 2.5 MB bundled), not the index with every generated API model (15 MB of
// code that costs 64 MiB of memory and a third of a second to load).
import type {ClusterTarget} from '../engine/cluster-target.js';
import {probeContextVersion} from './kube.js';

const importClient = async () => {
	const [config, http, undici] = await Promise.all([
		import('@kubernetes/client-node/dist/config.js'),
		import('@kubernetes/client-node/dist/gen/http/http.js'),
		import('undici'),
	]);
	// undici is CommonJS: bundled, its exports sit on the default export.
	return {
		KubeConfig: config.KubeConfig,
		RequestContext: http.RequestContext,
		HttpMethod: http.HttpMethod,
		undici: (undici as unknown as {default?: typeof undici}).default ?? undici,
	};
};

export class ClusterError extends Error {
	override name = 'ClusterError';
	/** The HTTP status the API answered with, when it answered. */
	readonly status: number | undefined;
	constructor(message: string, options: {readonly status?: number; readonly cause?: unknown} = {}) {
		super(message, {cause: options.cause});
		this.status = options.status;
	}
}

/** The message of a Kubernetes Status object, or the text itself when it is not one. */
export function statusMessage(text: string): string {
	try {
		return (JSON.parse(text) as {message?: string}).message ?? text;
	} catch {
		return text;
	}
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export type KubeRest = {
	readonly context: string;
	readonly server: string;
	/** A request with the kubeconfig's credentials; `path` is under the server (/api/v1/...). */
	fetch(path: string, options?: {readonly method?: Method; readonly body?: unknown; readonly signal?: AbortSignal}): Promise<Response>;
	/** A GET whose body streams (a watch, followed logs). */
	stream(path: string, signal: AbortSignal): Promise<{readonly statusCode: number; readonly body: AsyncIterable<Uint8Array> & {text(): Promise<string>}}>;
	/** The error for an answer that was not ok: what was asked, the status and the server's message. */
	failure(response: {readonly status: number; text(): Promise<string>}, what: string): Promise<ClusterError>;
};

/** Requests give up after this long; a watch has its own idle deadline. */
export const requestTimeoutMs = 30_000;

/** How long the first request (GET /version) may take before the cluster is said not to answer. */
export const connectTimeoutMs = 8000;

/** The API of the target's context: its credentials, TLS and server, checked to answer /version within a short deadline. */
export async function openKubeRest(target: ClusterTarget): Promise<KubeRest> {
	const client = await importClient();
	const kc = new client.KubeConfig();
	// kubectl talks plain HTTP to an http:// server (kubectl proxy serves one); client-node refuses it unless
	// skipTLSVerify is set, which changes nothing else when there is no TLS.
	const clusters = target.config.getClusters().map(entry => (entry.server.startsWith('http:') ? {...entry, skipTLSVerify: true} : entry));
	kc.loadFromOptions({clusters, users: target.config.getUsers(), contexts: target.config.getContexts(), currentContext: target.context});
	const current = target.context;
	const {server} = target;

	// Reachable at all, within a short deadline: a stopped or hung API server is said now, not after a long wait.
	const probe = await probeContextVersion(kc, current, connectTimeoutMs);
	if (!probe.reachable) {
		throw new ClusterError(`${current}: ${probe.error}`);
	}

	const authorised = async (path: string, method: Method) => {
		const context = new client.RequestContext(`${server}${path}`, client.HttpMethod[method]);
		await kc.applySecurityAuthentication(context);
		return context;
	};

	return {
		context: current,
		server,
		async fetch(path, {method = 'GET', body, signal = AbortSignal.timeout(requestTimeoutMs)} = {}) {
			const context = await authorised(path, method);
			const headers = body === undefined ? context.getHeaders() : {...context.getHeaders(), 'content-type': 'application/json'};
			return client.undici.fetch(context.getUrl(), {
				method,
				headers,
				body: body === undefined ? undefined : JSON.stringify(body),
				dispatcher: context.getDispatcher() as never,
				signal,
			}) as unknown as Promise<Response>;
		},
		async stream(path, signal) {
			const context = await authorised(path, 'GET');
			return client.undici.request(context.getUrl(), {method: 'GET', headers: context.getHeaders(), dispatcher: context.getDispatcher() as never, signal});
		},
		async failure(response, what) {
			const message = statusMessage(await response.text().catch(() => ''));
			return new ClusterError(`${what}: HTTP ${response.status}${message ? `: ${message}` : ''}`, {status: response.status});
		},
	};
}

/** The object at this path, undefined when there is none (404), or an error that says what was asked. */
export async function readObject<T>(rest: KubeRest, path: string, what: string): Promise<T | undefined> {
	const response = await rest.fetch(path);
	if (response.status === 404) {
		return undefined;
	}

	if (!response.ok) {
		throw await rest.failure(response, what);
	}

	return (await response.json()) as T;
}

/** Creates the object in its collection, or replaces the one of that name when it is there already (409). */
export async function createOrReplace(rest: KubeRest, collection: string, name: string, body: unknown, what: string): Promise<void> {
	const created = await rest.fetch(collection, {method: 'POST', body});
	if (created.ok) {
		return;
	}

	if (created.status !== 409) {
		throw await rest.failure(created, `creating ${what}`);
	}

	const replaced = await rest.fetch(`${collection}/${encodeURIComponent(name)}`, {method: 'PUT', body});
	if (!replaced.ok) {
		throw await rest.failure(replaced, `replacing ${what}`);
	}
}
