// The Kubernetes API for the status screen: lists, watches that recover, logs, pod deletion, Secrets
// and the namespace. The kubeconfig, credentials and TLS are client-node's (KubeConfig and its request
// context); the requests are undici's, on plain JSON. Loaded only when a command talks to a cluster.
import type {CoreV1Event, KubernetesObject, V1Container, V1Deployment, V1Pod, V1StatefulSet} from '@kubernetes/client-node';
import type {System} from './system.js';
import {loadKubeconfig} from './kube.js';
import {eachLine} from './lines.js';

// Only the kubeconfig and request parts of client-node (about 2.5 MB bundled), not the index with every
// generated API model (15 MB of code that costs 64 MiB of memory and a third of a second to load).
const importClient = async () => {
	const [config, http, undici] = await Promise.all([import('@kubernetes/client-node/dist/config.js'), import('@kubernetes/client-node/dist/gen/http/http.js'), import('undici')]);
	// undici is CommonJS: bundled, its exports sit on the default export.
	return {KubeConfig: config.KubeConfig, RequestContext: http.RequestContext, HttpMethod: http.HttpMethod, undici: (undici as unknown as {default?: typeof undici}).default ?? undici};
};

/** A watch is restarted when nothing (not even a bookmark) has arrived for this long. */
const watchIdleMs = 90_000;

export type ClusterTarget = {readonly context?: string | undefined; readonly namespace: string; readonly selector?: string | undefined};

export type Snapshot = {
	readonly pods: readonly V1Pod[];
	readonly events: readonly CoreV1Event[];
	readonly deployments: readonly V1Deployment[];
	readonly statefulSets: readonly V1StatefulSet[];
};

export type WatchKind = 'pods' | 'events' | 'deployments' | 'statefulsets';

export type WatchHandlers = {
	upsert(kind: WatchKind, object: KubernetesObject): void;
	remove(kind: WatchKind, object: KubernetesObject): void;
	/** The watch dropped and is being restarted after delayMs. */
	reconnecting(kind: WatchKind, reason: string, delayMs: number): void;
	connected(kind: WatchKind): void;
};

export type Cluster = {
	readonly context: string;
	readonly server: string;
	snapshot(): Promise<Snapshot>;
	/** Starts watching (from the last snapshot's versions, when there was one); returns the function that stops every watch. */
	watch(handlers: WatchHandlers): () => void;
	logs(pod: string, container: string, options: {previous: boolean; tailLines: number}): Promise<string>;
	/** Streams new log lines until the returned function is called. */
	followLogs(pod: string, container: string, onLine: (line: string) => void, onEnd: (error: string | undefined) => void): () => void;
	deletePod(pod: string): Promise<void>;
	/** Creates the namespace unless it exists; true when it was created. */
	ensureNamespace(): Promise<boolean>;
	/** The Secret's values as text, or undefined when there is no such Secret. */
	readSecret(name: string): Promise<Record<string, string> | undefined>;
	/** Deletes a Secret; false when there was none. */
	deleteSecret(name: string): Promise<boolean>;
	/** The namespace's labels, or undefined when there is no such namespace. */
	namespaceLabels(): Promise<Record<string, string> | undefined>;
	/** Deletes the namespace and everything in it. */
	deleteNamespace(): Promise<void>;
	/** Creates or replaces a Secret through the API (never a command line or a file). */
	applySecret(name: string, values: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): Promise<void>;
};

type WatchEvent = {type: string; object: KubernetesObject & {code?: number}};

/** The message of a Kubernetes Status object, or the text itself when it is not one. */
function statusMessage(text: string): string {
	try {
		return (JSON.parse(text) as {message?: string}).message ?? text;
	} catch {
		return text;
	}
}

export class ClusterError extends Error {
	override name = 'ClusterError';
}

export async function connectCluster(system: System, target: ClusterTarget): Promise<Cluster> {
	const loaded = await loadKubeconfig(system);
	if (loaded.type === 'none') {
		throw new ClusterError(`no kubeconfig (looked in ${loaded.files.join(', ')}): start a cluster first (todo-deploy doctor says how)`);
	}

	if (loaded.type === 'broken') {
		throw new ClusterError(`the kubeconfig ${loaded.file} cannot be read: ${loaded.message}`);
	}

	const client = await importClient();
	const kc = new client.KubeConfig();
	// kubectl talks plain HTTP to an http:// server (kubectl proxy serves one); client-node refuses it unless
	// skipTLSVerify is set, which changes nothing else when there is no TLS.
	const clusters = loaded.config.getClusters().map(entry => (entry.server.startsWith('http:') ? {...entry, skipTLSVerify: true} : entry));
	kc.loadFromOptions({clusters, users: loaded.config.getUsers(), contexts: loaded.config.getContexts(), currentContext: target.context ?? loaded.config.getCurrentContext()});
	if (target.context && !kc.getContextObject(target.context)) {
		throw new ClusterError(`no context "${target.context}" in the kubeconfig (it has ${kc.getContexts().map(context => context.name).join(', ') || 'none'})`);
	}

	const {namespace} = target;
	const labelSelector = target.selector;
	const paths: Record<WatchKind, string> = {
		pods: `/api/v1/namespaces/${namespace}/pods`,
		events: `/api/v1/namespaces/${namespace}/events`,
		deployments: `/apis/apps/v1/namespaces/${namespace}/deployments`,
		statefulsets: `/apis/apps/v1/namespaces/${namespace}/statefulsets`,
	};
	const server = kc.getCurrentCluster()?.server ?? '';
	const query = (kind: WatchKind) => (kind !== 'events' && labelSelector ? `?labelSelector=${encodeURIComponent(labelSelector)}` : '');

	// Only what the screen and the diagnosis read is kept: thousands of pods stay small. managedFields
	// (often the largest part), annotations, env, commands, mounts and security settings are dropped.
	const slim = <T extends KubernetesObject>(object: T): T => {
		if (!object.metadata) {
			return object;
		}

		const {managedFields: _managed, annotations: _annotations, ...metadata} = object.metadata;
		if (object.kind !== 'Pod' && !('spec' in object && (object as V1Pod).spec?.containers)) {
			return {...object, metadata};
		}

		const pod = object as V1Pod;
		const container = (entry: V1Container): V1Container => ({name: entry.name, image: entry.image, ports: entry.ports, resources: entry.resources, livenessProbe: entry.livenessProbe, readinessProbe: entry.readinessProbe, startupProbe: entry.startupProbe});
		const spec = pod.spec ? {
			containers: pod.spec.containers.map(entry => container(entry)),
			...(pod.spec.initContainers ? {initContainers: pod.spec.initContainers.map(entry => container(entry))} : {}),
			nodeName: pod.spec.nodeName,
			terminationGracePeriodSeconds: pod.spec.terminationGracePeriodSeconds,
			...(pod.spec.volumes ? {volumes: pod.spec.volumes.filter(volume => volume.persistentVolumeClaim).map(volume => ({name: volume.name, persistentVolumeClaim: volume.persistentVolumeClaim}))} : {}),
		} : undefined;
		return {...object, metadata, ...(spec ? {spec} : {})} as T;
	};

	// Plain JSON, not client-node's typed objects: the screen needs only the fields, and a second,
	// typed copy of every object (as the informer keeps) doubles the memory for thousands of pods.
	// A GET with the kubeconfig's credentials and TLS settings, through undici as client-node does.
	const authorisedFetch = async (url: string, signal: AbortSignal, method: 'GET' | 'POST' | 'PUT' | 'DELETE' = 'GET', body?: unknown) => {
		const context = new client.RequestContext(url, client.HttpMethod[method]);
		await kc.applySecurityAuthentication(context);
		const {fetch} = client.undici;
		const headers = body === undefined ? context.getHeaders() : {...context.getHeaders(), 'content-type': 'application/json'};
		return fetch(context.getUrl(), {method, headers, body: body === undefined ? undefined : JSON.stringify(body), dispatcher: context.getDispatcher() as never, signal});
	};

	const failure = async (response: {status: number; text(): Promise<string>}, what: string) => {
		const message = statusMessage(await response.text().catch(() => ''));
		return new ClusterError(`${what}: HTTP ${response.status}${message ? `: ${message}` : ''}`);
	};

	// In pages of 500, as kubectl does: each page's text is parsed and slimmed before the next arrives,
	// so thousands of pods never sit in memory as one huge response.
	const list = async (kind: WatchKind): Promise<{items: KubernetesObject[]; resourceVersion: string}> => {
		const items: KubernetesObject[] = [];
		let token: string | undefined;
		let resourceVersion = '';
		do {
			const separator = query(kind) ? '&' : '?';
			const page = `${server}${paths[kind]}${query(kind)}${separator}limit=500${token ? `&continue=${encodeURIComponent(token)}` : ''}`;
			const response = await authorisedFetch(page, AbortSignal.timeout(30_000));
			if (!response.ok) {
				throw new ClusterError(`${paths[kind]} answered HTTP ${response.status}`);
			}

			const body = await response.json() as {items?: KubernetesObject[]; metadata?: {resourceVersion?: string; continue?: string}};
			for (const item of body.items ?? []) {
				items.push(slim(item));
			}

			// The first page's version: an API server serves every page from that snapshot, so the watch
			// resumes from it and misses nothing that changed while the later pages were fetched.
			resourceVersion ||= body.metadata?.resourceVersion ?? '';
			token = body.metadata?.continue || undefined;
		} while (token);

		return {items, resourceVersion};
	};

	// One watch request, its events handed over line by line as they arrive. Resolves with undefined when
	// the server ends it, or with the reason it failed (an abort by the caller is not a failure).
	const streamWatch = async (url: string, signal: AbortSignal, onStart: () => void, onEvent: (event: WatchEvent) => void): Promise<string | undefined> => {
		const context = new client.RequestContext(url, client.HttpMethod.GET);
		await kc.applySecurityAuthentication(context);
		const idle = new AbortController();
		let timer: NodeJS.Timeout | undefined;
		const touch = () => {
			clearTimeout(timer);
			timer = setTimeout(() => idle.abort(), watchIdleMs);
			timer.unref();
		};

		try {
			touch();
			const response = await client.undici.request(context.getUrl(), {method: 'GET', headers: context.getHeaders(), dispatcher: context.getDispatcher() as never, signal: AbortSignal.any([signal, idle.signal])});
			if (response.statusCode !== 200) {
				const text = await response.body.text().catch(() => '');
				return `HTTP ${response.statusCode}${statusMessage(text) ? `: ${statusMessage(text)}` : ''}`;
			}

			onStart();
			await eachLine(response.body, line => {
				let event: WatchEvent;
				try {
					event = JSON.parse(line) as WatchEvent;
				} catch {
					return;
				}

				onEvent(event);
			}, touch);
			return undefined;
		} catch (error) {
			if (signal.aborted) {
				return undefined;
			}

			return idle.signal.aborted ? `nothing arrived for ${watchIdleMs / 1000} s` : error instanceof Error ? error.message : String(error);
		} finally {
			clearTimeout(timer);
		}
	};

	// A watch started after a snapshot resumes from the snapshot's versions instead of listing everything again.
	const resumeFrom = new Map<WatchKind, {resourceVersion: string; names: readonly string[]}>();
	const podPath = (name: string) => `${server}/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}`;
	const secretPath = (name?: string) => `${server}/api/v1/namespaces/${namespace}/secrets${name ? `/${encodeURIComponent(name)}` : ''}`;
	return {
		context: kc.getCurrentContext(),
		server: server || '?',
		async ensureNamespace() {
			const found = await authorisedFetch(`${server}/api/v1/namespaces/${namespace}`, AbortSignal.timeout(30_000));
			if (found.ok) {
				return false;
			}

			if (found.status !== 404) {
				throw await failure(found, `reading the namespace ${namespace}`);
			}

			const created = await authorisedFetch(`${server}/api/v1/namespaces`, AbortSignal.timeout(30_000), 'POST', {apiVersion: 'v1', kind: 'Namespace', metadata: {name: namespace, labels: {'app.kubernetes.io/managed-by': 'todo-deploy'}}});
			if (!created.ok && created.status !== 409) {
				throw await failure(created, `creating the namespace ${namespace}`);
			}

			return created.ok;
		},
		async deleteSecret(name) {
			const response = await authorisedFetch(secretPath(name), AbortSignal.timeout(30_000), 'DELETE');
			if (response.status === 404) {
				return false;
			}

			if (!response.ok) {
				throw await failure(response, `deleting the Secret ${name}`);
			}

			return true;
		},
		async namespaceLabels() {
			const response = await authorisedFetch(`${server}/api/v1/namespaces/${namespace}`, AbortSignal.timeout(30_000));
			if (response.status === 404) {
				return undefined;
			}

			if (!response.ok) {
				throw await failure(response, `reading the namespace ${namespace}`);
			}

			return ((await response.json()) as {metadata?: {labels?: Record<string, string>}}).metadata?.labels ?? {};
		},
		async deleteNamespace() {
			const response = await authorisedFetch(`${server}/api/v1/namespaces/${namespace}`, AbortSignal.timeout(30_000), 'DELETE');
			if (!response.ok && response.status !== 404) {
				throw await failure(response, `deleting the namespace ${namespace}`);
			}
		},
		async readSecret(name) {
			const response = await authorisedFetch(secretPath(name), AbortSignal.timeout(30_000));
			if (response.status === 404) {
				return undefined;
			}

			if (!response.ok) {
				throw await failure(response, `reading the Secret ${name}`);
			}

			const secret = await response.json() as {data?: Record<string, string>};
			return Object.fromEntries(Object.entries(secret.data ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64').toString('utf8')]));
		},
		async applySecret(name, values, labels) {
			const body = {apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: {name, namespace, labels}, data: Object.fromEntries(Object.entries(values).map(([key, value]) => [key, Buffer.from(value, 'utf8').toString('base64')]))};
			const created = await authorisedFetch(secretPath(), AbortSignal.timeout(30_000), 'POST', body);
			if (created.ok) {
				return;
			}

			if (created.status !== 409) {
				throw await failure(created, `creating the Secret ${name}`);
			}

			const replaced = await authorisedFetch(secretPath(name), AbortSignal.timeout(30_000), 'PUT', body);
			if (!replaced.ok) {
				throw await failure(replaced, `replacing the Secret ${name}`);
			}
		},
		async snapshot() {
			const [pods, events, deployments, statefulSets] = await Promise.all((['pods', 'events', 'deployments', 'statefulsets'] as const).map(async kind => {
				const listed = await list(kind);
				resumeFrom.set(kind, {resourceVersion: listed.resourceVersion, names: listed.items.map(item => item.metadata?.name ?? '')});
				return listed.items;
			}));
			return {pods: pods as V1Pod[], events: events as CoreV1Event[], deployments: deployments as V1Deployment[], statefulSets: statefulSets as V1StatefulSet[]};
		},
		watch(handlers) {
			const stops = (Object.keys(paths) as WatchKind[]).map(kind => {
				let stopped = false;
				const resume = resumeFrom.get(kind);
				resumeFrom.delete(kind);
				let resourceVersion = resume?.resourceVersion ?? '';
				let attempt = 0;
				let request: AbortController | undefined;
				const known = new Set<string>(resume?.names);
				const nameOf = (object: KubernetesObject) => object.metadata?.name ?? '';

				const retry = (reason: string) => {
					if (stopped) {
						return;
					}

					attempt++;
					const delayMs = Math.min(30_000, 500 * (2 ** Math.min(attempt - 1, 6)));
					handlers.reconnecting(kind, reason, delayMs);
					setTimeout(() => void run(), delayMs).unref();
				};

				const onEvent = ({type, object}: WatchEvent) => {
					attempt = 0;
					if (type === 'ERROR') {
						// 410 Gone: the history moved on; list again.
						resourceVersion = '';
						return;
					}

					resourceVersion = object.metadata?.resourceVersion ?? resourceVersion;
					if (type === 'DELETED') {
						known.delete(nameOf(object));
						handlers.remove(kind, object);
					} else if (type === 'ADDED' || type === 'MODIFIED') {
						known.add(nameOf(object));
						handlers.upsert(kind, slim(object));
					}
				};

				// List when there is no resourceVersion to resume from (first time, or 410 Gone), then watch from it.
				const run = async (): Promise<void> => {
					if (stopped) {
						return;
					}

					try {
						if (!resourceVersion) {
							const listed = await list(kind);
							const names = new Set(listed.items.map(nameOf));
							for (const name of known) {
								if (!names.has(name)) {
									known.delete(name);
									handlers.remove(kind, {metadata: {name}});
								}
							}

							for (const item of listed.items) {
								known.add(nameOf(item));
								handlers.upsert(kind, item);
							}

							resourceVersion = listed.resourceVersion;
						}

						const started = Date.now();
						// The server ends the watch after 5 to 10 minutes, as kubectl's reflector asks, and it resumes from there.
						const parameters = new URLSearchParams({watch: 'true', resourceVersion, allowWatchBookmarks: 'true', timeoutSeconds: String(300 + Math.floor(Math.random() * 300))});
						if (kind !== 'events' && labelSelector) {
							parameters.set('labelSelector', labelSelector);
						}

						request = new AbortController();
						const failed = await streamWatch(`${server}${paths[kind]}?${parameters.toString()}`, request.signal, () => handlers.connected(kind), onEvent);
						if (stopped) {
							return;
						}

						// A normal close (the server's timeout) resumes at once; a failure, or a close right after the start, backs off.
						if (failed !== undefined || Date.now() - started < 1000) {
							retry(failed ?? 'the watch closed');
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
			});
			return () => {
				for (const stop of stops) {
					stop();
				}
			};
		},
		async logs(pod, container, options) {
			const parameters = new URLSearchParams({container, previous: String(options.previous), tailLines: String(options.tailLines)});
			const response = await authorisedFetch(`${podPath(pod)}/log?${parameters.toString()}`, AbortSignal.timeout(30_000));
			if (!response.ok) {
				throw await failure(response, `reading the logs of ${pod}/${container}`);
			}

			return response.text();
		},
		followLogs(pod, container, onLine, onEnd) {
			// Our own request (not client-node's Log), so that stopping it is an abort we handle.
			const controller = new AbortController();
			void (async () => {
				try {
					const url = `${podPath(pod)}/log?container=${encodeURIComponent(container)}&follow=true&tailLines=20`;
					const response = await authorisedFetch(url, controller.signal);
					if (!response.ok || !response.body) {
						onEnd(`HTTP ${response.status}`);
						return;
					}

					await eachLine(response.body, onLine);
					onEnd(undefined);
				} catch (error) {
					onEnd(controller.signal.aborted ? undefined : error instanceof Error ? error.message : String(error));
				}
			})();
			return () => {
				controller.abort();
			};
		},
		async deletePod(pod) {
			const response = await authorisedFetch(podPath(pod), AbortSignal.timeout(30_000), 'DELETE');
			if (!response.ok) {
				throw await failure(response, `deleting the pod ${pod}`);
			}
		},
	};
}
