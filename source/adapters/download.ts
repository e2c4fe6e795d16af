// Downloads with Node's fetch: streamed to a file and hashed on the way, an idle timeout, retries
// with backoff on transient faults, and HTTPS_PROXY / HTTP_PROXY / NO_PROXY honoured.
import {createHash} from 'node:crypto';
import {once} from 'node:events';
import {createWriteStream} from 'node:fs';
import type {Env} from './system.js';

export type DownloadFault = 'not-found' | 'http' | 'timeout' | 'connection' | 'truncated' | 'aborted';

export class DownloadError extends Error {
	override name = 'DownloadError';
	readonly fault: DownloadFault;
	readonly url: string;
	readonly status: number | undefined;

	constructor(fault: DownloadFault, url: string, message: string, status?: number) {
		super(message);
		this.fault = fault;
		this.url = url;
		this.status = status;
	}

	get transient(): boolean {
		return this.fault === 'timeout' || this.fault === 'connection' || this.fault === 'truncated'
			|| (this.fault === 'http' && (this.status === 429 || (this.status ?? 0) >= 500));
	}
}

export type DownloadProgress = {
	readonly received: number;
	readonly total: number | undefined;
	readonly bytesPerSecond: number;
	readonly attempt: number;
};

export type DownloadOptions = {
	readonly env: Env;
	/** No byte for this long (connecting included) counts as a timeout. */
	readonly idleTimeoutMs: number;
	readonly attempts: number;
	readonly signal?: AbortSignal | undefined;
	readonly onProgress?: ((progress: DownloadProgress) => void) | undefined;
	readonly onRetry?: ((error: DownloadError, attempt: number, delayMs: number) => void) | undefined;
	/** Backoff before retry n is base * 2^(n-1), with jitter. */
	readonly backoffBaseMs?: number;
};

type FetchLike = (url: string, init: {signal: AbortSignal; redirect: 'follow'}) => Promise<Response>;

const proxyKeys = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'];

let proxied: Promise<FetchLike> | undefined;
async function fetchFor(env: Env): Promise<FetchLike> {
	const httpsProxy = env['HTTPS_PROXY'] ?? env['https_proxy'];
	const httpProxy = env['HTTP_PROXY'] ?? env['http_proxy'];
	if (!proxyKeys.some(key => env[key])) {
		return globalThis.fetch;
	}

	// undici's own fetch with its EnvHttpProxyAgent: Node's fetch reads proxy variables only from Node 24.5 on, and only when asked.
	proxied ??= import('undici').then(module => {
		// undici is CommonJS: bundled, its exports sit on the default export.
		const {EnvHttpProxyAgent, fetch} = (module as unknown as {default?: typeof module}).default ?? module;
		const dispatcher = new EnvHttpProxyAgent({httpProxy, httpsProxy, noProxy: env['NO_PROXY'] ?? env['no_proxy']});
		return async (url, init) => fetch(url, {...init, dispatcher}) as unknown as Promise<Response>;
	});
	return proxied;
}

function classify(error: unknown, url: string, timedOut: boolean, aborted: boolean): DownloadError {
	if (error instanceof DownloadError) {
		return error;
	}

	if (aborted) {
		return new DownloadError('aborted', url, 'the download was cancelled');
	}

	if (timedOut) {
		return new DownloadError('timeout', url, `${url} sent nothing for too long`);
	}

	const cause = (error as {cause?: {code?: string; message?: string}}).cause;
	const detail = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
	return new DownloadError('connection', url, `the connection to ${new URL(url).host} failed (${detail})`);
}

async function attemptDownload(url: string, file: string | undefined, options: DownloadOptions, attempt: number): Promise<{bytes: number; sha256: string; text: string | undefined}> {
	const fetchImpl = await fetchFor(options.env);
	const controller = new AbortController();
	let timedOut = false;
	let timer: NodeJS.Timeout | undefined;
	const arm = () => {
		clearTimeout(timer);
		timer = setTimeout(() => {
			timedOut = true;
			controller.abort();
		}, options.idleTimeoutMs);
	};

	const onAbort = () => controller.abort();
	options.signal?.addEventListener('abort', onAbort);
	const out = file ? createWriteStream(file) : undefined;
	// A disk error (ENOSPC, EIO) is kept and thrown from the loop; after a destroy, late ones are moot.
	let diskError: Error | undefined;
	out?.on('error', error => {
		diskError ??= error;
	});
	const chunks: Buffer[] = [];
	let received = 0;
	let total: number | undefined;
	try {
		arm();
		const response = await fetchImpl(url, {signal: controller.signal, redirect: 'follow'});
		if (response.status === 404) {
			throw new DownloadError('not-found', url, `${url} does not exist (HTTP 404)`, 404);
		}

		if (!response.ok || !response.body) {
			throw new DownloadError('http', url, `${url} answered HTTP ${response.status}`, response.status);
		}

		const length = Number(response.headers.get('content-length'));
		total = Number.isFinite(length) && length > 0 ? length : undefined;
		const hash = createHash('sha256');
		const started = performance.now();
		for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
			arm();
			hash.update(chunk);
			received += chunk.byteLength;
			if (out) {
				if (diskError) {
					throw diskError;
				}

				if (!out.write(chunk)) {
					await Promise.race([once(out, 'drain'), once(out, 'error')]);
				}
			} else {
				chunks.push(Buffer.from(chunk));
			}

			const seconds = (performance.now() - started) / 1000;
			options.onProgress?.({received, total, bytesPerSecond: seconds > 0 ? received / seconds : 0, attempt});
		}

		if (total !== undefined && received < total) {
			throw new DownloadError('truncated', url, `${url} stopped after ${received} of ${total} bytes`);
		}

		if (out) {
			out.end();
			await once(out, 'close');
			if (diskError) {
				throw diskError;
			}
		}

		return {bytes: received, sha256: hash.digest('hex'), text: out ? undefined : Buffer.concat(chunks).toString('utf8')};
	} catch (error) {
		out?.destroy();
		if (error === diskError && diskError) {
			throw diskError;
		}

		const classified = classify(error, url, timedOut, options.signal?.aborted ?? false);
		// A body cut short under a Content-Length arrives from fetch as a socket error mid-body.
		throw classified.fault === 'connection' && total !== undefined && received < total
			? new DownloadError('truncated', url, `${url} stopped after ${received} of ${total} bytes`)
			: classified;
	} finally {
		clearTimeout(timer);
		options.signal?.removeEventListener('abort', onAbort);
	}
}

async function withRetries<T>(url: string, options: DownloadOptions, run: (attempt: number) => Promise<T>): Promise<T> {
	for (let attempt = 1; ; attempt++) {
		try {
			return await run(attempt);
		} catch (error) {
			const failure = error instanceof DownloadError ? error : classify(error, url, false, false);
			if (!failure.transient || attempt >= options.attempts || options.signal?.aborted) {
				throw failure;
			}

			const base = options.backoffBaseMs ?? 500;
			const delayMs = Math.round(base * (2 ** (attempt - 1)) * (0.75 + (Math.random() / 2)));
			options.onRetry?.(failure, attempt, delayMs);
			await new Promise(resolve => setTimeout(resolve, delayMs));
		}
	}
}

/** Streams url into file while hashing it; retried from the start on transient faults. */
export async function downloadFile(url: string, file: string, options: DownloadOptions): Promise<{bytes: number; sha256: string}> {
	return withRetries(url, options, async attempt => attemptDownload(url, file, options, attempt));
}

/** A small text file (a checksum list). */
export async function fetchText(url: string, options: Omit<DownloadOptions, 'onProgress'>): Promise<string> {
	return withRetries(url, options, async attempt => (await attemptDownload(url, undefined, options, attempt)).text ?? '');
}
