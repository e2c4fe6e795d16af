// List, then watch from that resourceVersion, as kubectl's reflector does: pages of 500, bookmarks,
// 410 Gone lists again, any other failure is said as what it is and retried with backoff.
import type {KubernetesObject} from '@kubernetes/client-node';
import {ClusterError, statusMessage, type KubeRest} from './kube-rest.js';
import {eachLine} from './lines.js';

/** A watch is restarted when nothing (not even a bookmark) has arrived for this long. */
const watchIdleMs = 90_000;

/** What is kept of each object as it arrives (the caller's trimming rule). */
export type Keep = <T extends KubernetesObject>(object: T) => T;

export type Listed = {readonly items: KubernetesObject[]; readonly resourceVersion: string};

export type ListWatchHandlers = {
	upsert(object: KubernetesObject): void;
	remove(object: KubernetesObject): void;
	/** The watch dropped (or the server said why it ended it) and is restarted after delayMs. */
	reconnecting(reason: string, delayMs: number): void;
	connected(): void;
};

type WatchEvent = {type: string; object: KubernetesObject & {code?: number; reason?: string; message?: string}};

// In pages of 500, as kubectl does: each page is parsed and trimmed before the next arrives, so
// thousands of pods never sit in memory as one huge response.
export async function listAll(rest: KubeRest, path: string, labelSelector: string | undefined, keep: Keep): Promise<Listed> {
	const items: KubernetesObject[] = [];
	let token: string | undefined;
	let resourceVersion = '';
	do {
		const parameters = new URLSearchParams({limit: '500', ...(labelSelector ? {labelSelector} : {}), ...(token ? {continue: token} : {})});
		const response = await rest.fetch(`${path}?${parameters.toString()}`);
		if (!response.ok) {
			const message = statusMessage(await response.text().catch(() => ''));
			throw new ClusterError(`${path} answered HTTP ${response.status}${message ? `: ${message}` : ''}`, {status: response.status});
		}

		const body = (await response.json()) as {items?: KubernetesObject[]; metadata?: {resourceVersion?: string; continue?: string}};
		for (const item of body.items ?? []) {
			items.push(keep(item));
		}

		// The first page's version: an API server serves every page from that snapshot, so the watch
		// resumes from it and misses nothing that changed while the later pages were fetched.
		resourceVersion ||= body.metadata?.resourceVersion ?? '';
		token = body.metadata?.continue || undefined;
	} while (token);

	return {items, resourceVersion};
}

/** A watch ERROR event's Status, in words: the code and the server's message. */
export function watchError(object: WatchEvent['object']): {readonly gone: boolean; readonly reason: string} {
	const code = object.code;
	const words = object.message ?? object.reason ?? 'the watch reported an error';
	return {gone: code === 410, reason: code === undefined ? words : `HTTP ${code}: ${words}`};
}

// One watch request, its events handed over line by line. Resolves with undefined when the server ends
// it, or with the reason it failed (an abort by the caller is not a failure).
async function streamWatch(
	rest: KubeRest,
	url: string,
	signal: AbortSignal,
	onStart: () => void,
	onEvent: (event: WatchEvent) => void,
): Promise<string | undefined> {
	const idle = new AbortController();
	let timer: NodeJS.Timeout | undefined;
	const touch = () => {
		clearTimeout(timer);
		timer = setTimeout(() => idle.abort(), watchIdleMs);
		timer.unref();
	};

	try {
		touch();
		const response = await rest.stream(url, AbortSignal.any([signal, idle.signal]));
		if (response.statusCode !== 200) {
			const text = await response.body.text().catch(() => '');
			return `HTTP ${response.statusCode}${statusMessage(text) ? `: ${statusMessage(text)}` : ''}`;
		}

		onStart();
		await eachLine(
			response.body,
			line => {
				let event: WatchEvent;
				try {
					event = JSON.parse(line) as WatchEvent;
				} catch {
					return;
				}

				onEvent(event);
			},
			touch,
		);
		return undefined;
	} catch (error) {
		if (signal.aborted) {
			return undefined;
		}

		return idle.signal.aborted ? `nothing arrived for ${watchIdleMs / 1000} s` : error instanceof Error ? error.message : String(error);
	} finally {
		clearTimeout(timer);
	}
}

/** Watches one kind from `resume` (a snapshot's version and names), or lists first; returns what stops it. */
export function listWatch(
	rest: KubeRest,
	path: string,
	options: {
		readonly labelSelector: string | undefined;
		readonly keep: Keep;
		readonly resume: {readonly resourceVersion: string; readonly names: readonly string[]} | undefined;
	},
	handlers: ListWatchHandlers,
): () => void {
	let stopped = false;
	let resourceVersion = options.resume?.resourceVersion ?? '';
	let attempt = 0;
	let request: AbortController | undefined;
	// Told by the server how the watch ended: it is said as that, not as "the watch closed".
	let ended: string | undefined;
	const known = new Set<string>(options.resume?.names);
	const nameOf = (object: KubernetesObject) => object.metadata?.name ?? '';

	const retry = (reason: string) => {
		if (stopped) {
			return;
		}

		attempt++;
		const delayMs = Math.min(30_000, 500 * 2 ** Math.min(attempt - 1, 6));
		handlers.reconnecting(reason, delayMs);
		setTimeout(() => void run(), delayMs).unref();
	};

	const onEvent = ({type, object}: WatchEvent) => {
		if (type === 'ERROR') {
			const error = watchError(object);
			if (error.gone) {
				// 410 Gone: the history moved on; list again.
				resourceVersion = '';
			} else {
				ended = error.reason;
			}

			return;
		}

		attempt = 0;
		resourceVersion = object.metadata?.resourceVersion ?? resourceVersion;
		if (type === 'DELETED') {
			known.delete(nameOf(object));
			handlers.remove(object);
		} else if (type === 'ADDED' || type === 'MODIFIED') {
			known.add(nameOf(object));
			handlers.upsert(options.keep(object));
		}
	};

	// List when there is no resourceVersion to resume from (first time, or 410 Gone), then watch from it.
	const run = async (): Promise<void> => {
		if (stopped) {
			return;
		}

		try {
			if (!resourceVersion) {
				const listed = await listAll(rest, path, options.labelSelector, options.keep);
				const names = new Set(listed.items.map(nameOf));
				for (const name of known) {
					if (!names.has(name)) {
						known.delete(name);
						handlers.remove({metadata: {name}});
					}
				}

				for (const item of listed.items) {
					known.add(nameOf(item));
					handlers.upsert(item);
				}

				resourceVersion = listed.resourceVersion;
			}

			const started = Date.now();
			ended = undefined;
			// The server ends the watch after 5 to 10 minutes, as kubectl's reflector asks, and it resumes from there.
			const parameters = new URLSearchParams({
				watch: 'true',
				resourceVersion,
				allowWatchBookmarks: 'true',
				timeoutSeconds: String(300 + Math.floor(Math.random() * 300)),
				...(options.labelSelector ? {labelSelector: options.labelSelector} : {}),
			});
			request = new AbortController();
			const failed = await streamWatch(rest, `${path}?${parameters.toString()}`, request.signal, () => handlers.connected(), onEvent);
			// stopped and ended are set by stop() and the events while the stream ran (TypeScript cannot see those callbacks).
			// eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
			if (stopped) {
				return;
			}

			// A normal close (the server's timeout) resumes at once; a failure, an error event, or a close right after the start, backs off.
			// eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
			if (failed !== undefined || ended !== undefined || (resourceVersion !== '' && Date.now() - started < 1000)) {
				retry(failed ?? ended ?? 'the watch closed');
			} else {
				void run();
			}
		} catch (error) {
			retry(error instanceof Error ? error.message : String(error));
		}
	};

	void run();
	return () => {
		stopped = true;
		request?.abort();
	};
}
