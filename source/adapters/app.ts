// The deployed app over HTTP (undici): health endpoints, a smoke test of the todo API, and the load check.
import {Pool, request as undiciRequest} from 'undici';
import {messageOf} from './errors.js';

export type Answer = {
	readonly method: string;
	readonly path: string;
	readonly status: number | undefined;
	readonly body: string;
	readonly ms: number;
	readonly error: string | undefined;
};

const shortBody = (text: string) => (text.length > 400 ? `${text.slice(0, 400)}…` : text);

export type CallOptions = {
	readonly headers?: Readonly<Record<string, string>>;
	/** Send the body as a form (application/x-www-form-urlencoded), as an OAuth2 token endpoint wants it. */
	readonly form?: boolean;
	readonly timeoutMs?: number;
};

export async function call(base: string, method: string, path: string, body?: unknown, options: CallOptions = {}): Promise<Answer> {
	return (await callForData(base, method, path, body, options)).answer;
}

/** The answer, and its whole body parsed as JSON (undefined when it is not JSON): for reading, never for the report. */
export async function callForData(
	base: string,
	method: string,
	path: string,
	body?: unknown,
	options: CallOptions = {},
): Promise<{answer: Answer; data: unknown}> {
	const {answer, text} = await callForText(base, method, path, body, options);
	let data: unknown;
	try {
		data = text === undefined ? undefined : (JSON.parse(text) as unknown);
	} catch {
		data = undefined;
	}

	return {answer, data};
}

/** The answer with its whole body as text and its headers (lower-case names): a page, a script, a CORS answer. */
export async function callForText(
	base: string,
	method: string,
	path: string,
	body?: unknown,
	options: CallOptions = {},
): Promise<{answer: Answer; text: string | undefined; headers: Readonly<Record<string, string>>}> {
	const started = performance.now();
	const timeoutMs = options.timeoutMs ?? 10_000;
	const encoded =
		body === undefined
			? undefined
			: options.form
				? new URLSearchParams(Object.entries(body as Record<string, unknown>).map(([key, value]) => [key, String(value)])).toString()
				: JSON.stringify(body);
	try {
		const response = await undiciRequest(new URL(path, base), {
			method: method as 'GET',
			headers: {
				...(body === undefined ? {} : {'content-type': options.form ? 'application/x-www-form-urlencoded' : 'application/json'}),
				...options.headers,
			},
			body: encoded,
			headersTimeout: timeoutMs,
			bodyTimeout: timeoutMs,
		});
		const text = await response.body.text();
		const headers = Object.fromEntries(
			Object.entries(response.headers).map(([name, value]) => [name.toLowerCase(), Array.isArray(value) ? value.join(', ') : String(value ?? '')]),
		);
		return {
			answer: {method, path, status: response.statusCode, body: shortBody(text.trim()), ms: performance.now() - started, error: undefined},
			text,
			headers,
		};
	} catch (error) {
		const code = (error as {code?: string}).code;
		const timedOut = code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT';
		return {
			answer: {
				method,
				path,
				status: undefined,
				body: '',
				ms: performance.now() - started,
				error: timedOut ? `no answer within ${Math.round(timeoutMs / 1000)} s` : messageOf(error),
			},
			text: undefined,
			headers: {},
		};
	}
}

export type SmokeStep = Answer & {readonly name: string; readonly ok: boolean; readonly expected: string};

export type LoadProgress = {readonly elapsedMs: number; readonly requests: number; readonly errors: number};

/** `users` connections, each sending the next request as soon as the last is answered, for durationMs. */
export type RawLoad = {
	readonly samples: Float64Array;
	readonly count: number;
	readonly errors: number;
	readonly errorKinds: Record<string, number>;
	readonly durationMs: number;
};

export async function loadCheck(
	base: string,
	path: string,
	options: {
		users: number;
		durationMs: number;
		/** Sent with every request: a user's bearer token, for an authenticated read. */
		headers?: Readonly<Record<string, string>>;
		onProgress?: (progress: LoadProgress) => void;
		signal?: AbortSignal | undefined;
	},
): Promise<RawLoad> {
	const pool = new Pool(new URL(base).origin, {connections: options.users, pipelining: 1, keepAliveTimeout: 30_000});
	let samples = new Float64Array(64 * 1024);
	let count = 0;
	let errors = 0;
	const errorKinds: Record<string, number> = {};
	const started = performance.now();
	const deadline = started + options.durationMs;
	const fail = (kind: string) => {
		errors++;
		errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
	};

	const ticker = options.onProgress
		? setInterval(() => options.onProgress?.({elapsedMs: performance.now() - started, requests: count + errors, errors}), 250)
		: undefined;
	const record = (took: number) => {
		if (count === samples.length) {
			const bigger = new Float64Array(samples.length * 2);
			bigger.set(samples);
			samples = bigger;
		}

		samples[count++] = took;
	};

	// Callbacks, not a promise per request: at thousands of requests a second the event loop's own
	// delay would otherwise be counted as the server's. The clock starts when the request is sent on
	// its (kept-alive) connection, as wrk's does.
	const user = async () =>
		new Promise<void>(resolve => {
			const next = () => {
				if (performance.now() >= deadline || options.signal?.aborted) {
					resolve();
					return;
				}

				let sent = performance.now();
				let status = 0;
				pool.dispatch({path, method: 'GET', headers: options.headers, headersTimeout: 30_000, bodyTimeout: 30_000}, {
					onRequestStart() {
						sent = performance.now();
					},
					onResponseStart(_controller: unknown, statusCode: number) {
						status = statusCode;
					},
					onResponseData() {
						// The body is read and dropped.
					},
					onResponseEnd() {
						if (status >= 400) {
							fail(`HTTP ${status}`);
						} else {
							record(performance.now() - sent);
						}

						next();
					},
					onResponseError(_controller: unknown, error: Error) {
						fail(messageOf(error));
						// A refused connection would spin: wait a little before the next try.
						setTimeout(next, 50);
					},
				} as Parameters<Pool['dispatch']>[1]);
			};

			next();
		});

	try {
		await Promise.all(Array.from({length: options.users}, user));
	} finally {
		if (ticker) {
			clearInterval(ticker);
		}

		await pool.close();
	}

	return {samples, count, errors, errorKinds, durationMs: performance.now() - started};
}
