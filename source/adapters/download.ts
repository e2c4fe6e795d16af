// Downloads with Node's fetch: streamed to a file and hashed on the way, an idle timeout, retries
// with backoff on transient faults, and HTTPS_PROXY / HTTP_PROXY / NO_PROXY honoured.
import {createHash} from 'node:crypto';
import {closeSync, existsSync, openSync, writeSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {Worker} from 'node:worker_threads';
import type {SinkMessage, SinkReply} from './download-worker.js';
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
		return (
			this.fault === 'timeout' ||
			this.fault === 'connection' ||
			this.fault === 'truncated' ||
			(this.fault === 'http' && (this.status === 429 || (this.status ?? 0) >= 500))
		);
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

// Hashing and writing run on a worker thread (download-worker.ts), so the main thread only reads the
// network: on this 2-core machine that doubles loopback throughput. Bundled, the worker is its own
// entry (dist/download-worker.js) beside the chunk that starts it; from source, the .ts beside this file.
const workerFile = new URL(`./download-worker.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`, import.meta.url);

type Sink = {
	write(chunk: Uint8Array): Promise<void>;
	finish(): Promise<string>;
	/** Stops the worker; once this resolves it can no longer create or write the file. */
	destroy(): Promise<void>;
};

/**
 * A fault on this machine (the disk, the worker that writes): said as what it is, never as a network
 * fault, and never retried.
 */
export class LocalDownloadError extends Error {
	override name = 'LocalDownloadError';
	readonly code: string | undefined;
	constructor(message: string, code?: string) {
		super(message);
		this.code = code;
	}
}

/** The sink on this thread, when the worker's file is not where this module was bundled: slower, never wrong. */
function threadSink(file: string): Sink {
	const hash = createHash('sha256');
	let fd: number | undefined;
	const local = (error: unknown) =>
		new LocalDownloadError(
			`cannot write the download to ${file}: ${error instanceof Error ? error.message : String(error)}`,
			(error as NodeJS.ErrnoException).code,
		);
	try {
		fd = openSync(file, 'w', 0o600);
	} catch (error) {
		throw local(error);
	}

	const close = () => {
		if (fd !== undefined) {
			closeSync(fd);
			fd = undefined;
		}
	};

	return {
		async write(chunk) {
			try {
				hash.update(chunk);
				for (let offset = 0; offset < chunk.byteLength;) {
					offset += writeSync(fd!, chunk, offset);
				}
			} catch (error) {
				close();
				throw local(error);
			}
		},
		async finish() {
			close();
			return hash.digest('hex');
		},
		async destroy() {
			close();
		},
	};
}

/** At most this much written but not yet on disk; past it, reading waits. */
const sinkWindowBytes = 32 * 1024 * 1024;

function fileSink(file: string): Sink {
	if (!existsSync(fileURLToPath(workerFile))) {
		return threadSink(file);
	}

	const worker = new Worker(workerFile, {workerData: {file}});
	worker.unref();
	let inFlight = 0;
	let failure: Error | undefined;
	let waiting: (() => void) | undefined;
	let finished: ((sha256: string) => void) | undefined;
	let failed: ((error: Error) => void) | undefined;
	const wake = () => {
		const resume = waiting;
		waiting = undefined;
		resume?.();
	};

	worker.on('message', (message: SinkReply) => {
		if (message.type === 'ack') {
			inFlight -= message.bytes;
			if (inFlight < sinkWindowBytes / 2) {
				wake();
			}
		} else if (message.type === 'done') {
			finished?.(message.sha256);
		} else {
			failure = new LocalDownloadError(`cannot write the download to ${file}: ${message.message}`, message.code);
			failed?.(failure);
			wake();
		}
	});
	worker.on('error', error => {
		failure ??= new LocalDownloadError(`the download's writer (${fileURLToPath(workerFile)}) stopped: ${error.message}`, (error as NodeJS.ErrnoException).code);
		failed?.(failure);
		wake();
	});
	// Chunks go to the worker in batches of about 1 MiB: one message per 64 kB chunk costs more than the copy.
	let batch: Uint8Array[] = [];
	let batchBytes = 0;
	const send = () => {
		if (batchBytes === 0) {
			return;
		}

		const chunk = batch.length === 1 && batch[0] ? batch[0] : Buffer.concat(batch, batchBytes);
		batch = [];
		batchBytes = 0;
		worker.postMessage({type: 'chunk', chunk} satisfies SinkMessage);
	};

	return {
		async write(chunk) {
			if (failure) {
				throw failure;
			}

			inFlight += chunk.byteLength;
			batch.push(chunk);
			batchBytes += chunk.byteLength;
			if (batchBytes >= 1024 * 1024) {
				send();
			}

			if (inFlight >= sinkWindowBytes) {
				await new Promise<void>(resolve => {
					waiting = resolve;
				});
				// Set by the worker's message while this waited (TypeScript cannot see the callback).
				// eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
				if (failure) {
					throw failure;
				}
			}
		},
		async finish() {
			if (failure) {
				throw failure;
			}

			const result = new Promise<string>((resolve, reject) => {
				finished = resolve;
				failed = reject;
			});
			send();
			worker.postMessage({type: 'end'} satisfies SinkMessage);
			try {
				return await result;
			} finally {
				await worker.terminate();
			}
		},
		async destroy() {
			await worker.terminate();
		},
	};
}

async function attemptDownload(
	url: string,
	file: string | undefined,
	options: DownloadOptions,
	attempt: number,
): Promise<{bytes: number; sha256: string; text: string | undefined}> {
	const fetchImpl = await fetchFor(options.env);
	const controller = new AbortController();
	let timedOut = false;
	// One watchdog timer instead of re-arming a timeout for every 64 kB chunk.
	let lastActivity = performance.now();
	const timer = setInterval(
		() => {
			if (performance.now() - lastActivity > options.idleTimeoutMs) {
				timedOut = true;
				controller.abort();
			}
		},
		Math.max(10, Math.min(1000, options.idleTimeoutMs / 4)),
	);
	const arm = () => {
		lastActivity = performance.now();
	};

	const onAbort = () => controller.abort();
	options.signal?.addEventListener('abort', onAbort);
	let sink: Sink | undefined;
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
		sink = file ? fileSink(file) : undefined;
		const started = performance.now();
		const reader = response.body.getReader();
		for (;;) {
			const {done, value: chunk} = await reader.read();
			if (done) {
				break;
			}

			arm();
			received += chunk.byteLength;
			if (sink) {
				await sink.write(chunk);
			} else {
				chunks.push(Buffer.from(chunk));
			}

			const seconds = (performance.now() - started) / 1000;
			options.onProgress?.({received, total, bytesPerSecond: seconds > 0 ? received / seconds : 0, attempt});
		}

		if (total !== undefined && received < total) {
			throw new DownloadError('truncated', url, `${url} stopped after ${received} of ${total} bytes`);
		}

		if (sink) {
			return {bytes: received, sha256: await sink.finish(), text: undefined};
		}

		const body = Buffer.concat(chunks);
		return {bytes: received, sha256: createHash('sha256').update(body).digest('hex'), text: body.toString('utf8')};
	} catch (error) {
		await sink?.destroy();
		if (error instanceof LocalDownloadError) {
			throw error;
		}

		const classified = classify(error, url, timedOut, options.signal?.aborted ?? false);
		// A body cut short under a Content-Length arrives from fetch as a socket error mid-body.
		throw classified.fault === 'connection' && total !== undefined && received < total
			? new DownloadError('truncated', url, `${url} stopped after ${received} of ${total} bytes`)
			: classified;
	} finally {
		clearInterval(timer);
		options.signal?.removeEventListener('abort', onAbort);
	}
}

async function withRetries<T>(options: DownloadOptions, run: (attempt: number) => Promise<T>): Promise<T> {
	for (let attempt = 1; ; attempt++) {
		try {
			return await run(attempt);
		} catch (error) {
			// Only network faults are retried; a disk error or a bug is not made better by trying again.
			if (!(error instanceof DownloadError) || !error.transient || attempt >= options.attempts || options.signal?.aborted) {
				throw error;
			}

			const failure = error;

			const base = options.backoffBaseMs ?? 500;
			const delayMs = Math.round(base * 2 ** (attempt - 1) * (0.75 + Math.random() / 2));
			options.onRetry?.(failure, attempt, delayMs);
			await new Promise(resolve => setTimeout(resolve, delayMs));
		}
	}
}

/** Streams url into file while hashing it; retried from the start on transient faults. */
export async function downloadFile(url: string, file: string, options: DownloadOptions): Promise<{bytes: number; sha256: string}> {
	return withRetries(options, async attempt => attemptDownload(url, file, options, attempt));
}

/** A small text file (a checksum list). */
export async function fetchText(url: string, options: Omit<DownloadOptions, 'onProgress'>): Promise<string> {
	return withRetries(options, async attempt => (await attemptDownload(url, undefined, options, attempt)).text ?? '');
}
