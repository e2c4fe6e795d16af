// The deployed app over HTTP (undici): health endpoints, a smoke test of the todo API, and the load check.
import {Pool, request as undiciRequest} from 'undici';

export type Answer = {
	readonly method: string;
	readonly path: string;
	readonly status: number | undefined;
	readonly body: string;
	readonly ms: number;
	readonly error: string | undefined;
};

const shortBody = (text: string) => (text.length > 400 ? `${text.slice(0, 400)}…` : text);

export async function call(base: string, method: string, path: string, body?: unknown, timeoutMs = 10_000): Promise<Answer> {
	const started = performance.now();
	try {
		const response = await undiciRequest(new URL(path, base), {
			method: method as 'GET',
			headers: body === undefined ? {} : {'content-type': 'application/json'},
			body: body === undefined ? undefined : JSON.stringify(body),
			headersTimeout: timeoutMs,
			bodyTimeout: timeoutMs,
		});
		const text = await response.body.text();
		return {method, path, status: response.statusCode, body: shortBody(text.trim()), ms: performance.now() - started, error: undefined};
	} catch (error) {
		const code = (error as {code?: string}).code;
		return {
			method,
			path,
			status: undefined,
			body: '',
			ms: performance.now() - started,
			error: code ? `${code}: ${error instanceof Error ? error.message : String(error)}` : error instanceof Error ? error.message : String(error),
		};
	}
}

export type SmokeStep = Answer & {readonly name: string; readonly ok: boolean; readonly expected: string};

/** Create, list, update, read back and delete one todo, as a user of the API would. */
export async function smokeTest(base: string, api: string): Promise<SmokeStep[]> {
	const steps: SmokeStep[] = [];
	const record = (name: string, answer: Answer, ok: boolean, expected: string) => {
		steps.push({...answer, name, ok, expected});
		return ok;
	};

	const parse = (text: string): unknown => {
		try {
			return JSON.parse(text) as unknown;
		} catch {
			return undefined;
		}
	};

	const title = `todo-deploy smoke test ${new Date().toISOString()}`;
	const created = await call(base, 'POST', api, {title});
	const todo = parse(created.body) as {id?: number | string; title?: string} | undefined;
	if (
		!record(
			'create',
			created,
			(created.status === 200 || created.status === 201) && todo?.id !== undefined && todo.title === title,
			'201 with the new todo and its id',
		)
	) {
		return steps;
	}

	const item = `${api.replace(/\/$/, '')}/${String(todo?.id)}`;
	const listed = await call(base, 'GET', api);
	const list = parse(listed.body);
	const items = Array.isArray(list) ? list : (list as {items?: unknown[]} | undefined)?.items;
	record(
		'list',
		listed,
		listed.status === 200 && Array.isArray(items) && items.some(entry => (entry as {id?: unknown}).id === todo?.id),
		'200 with the new todo in the list',
	);
	const updated = await call(base, 'PUT', item, {title, completed: true});
	record(
		'update',
		updated,
		updated.status === 200 && (parse(updated.body) as {completed?: boolean} | undefined)?.completed === true,
		'200 with completed: true',
	);
	const removed = await call(base, 'DELETE', item);
	record('delete', removed, removed.status === 200 || removed.status === 204, '204 (or 200)');
	const gone = await call(base, 'GET', item);
	record('gone', gone, gone.status === 404, '404 for the deleted todo');
	return steps;
}

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
	options: {users: number; durationMs: number; onProgress?: (progress: LoadProgress) => void; signal?: AbortSignal | undefined},
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
				pool.dispatch({path, method: 'GET', headersTimeout: 30_000, bodyTimeout: 30_000}, {
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
						fail((error as {code?: string}).code ?? error.message);
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
