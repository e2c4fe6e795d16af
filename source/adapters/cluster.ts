// One namespace of the cluster, as the commands use it: a snapshot and watches of pods, events,
// Deployments, StatefulSets and Services; logs and pod deletion; the namespace and todo-deploy's Secret.
// The requests are kube-rest's, the list-watch loop kube-watch's; what is kept of each object is the
// caller's rule (the status screen keeps only what it shows).
import type {CoreV1Event, KubernetesObject, V1Deployment, V1Pod, V1Service, V1StatefulSet} from '@kubernetes/client-node';
import {gunzipSync} from 'node:zlib';
import {ClusterError, createOrReplace, openKubeRest, readObject, type KubeRest} from './kube-rest.js';
import {listAll, listWatch, type Keep} from './kube-watch.js';
import {eachLine} from './lines.js';
import type {ClusterTarget} from '../engine/cluster-target.js';

export {ClusterError} from './kube-rest.js';
export type {Keep} from './kube-watch.js';

export type Snapshot = {
	readonly pods: readonly V1Pod[];
	readonly events: readonly CoreV1Event[];
	readonly deployments: readonly V1Deployment[];
	readonly statefulSets: readonly V1StatefulSet[];
	/** Every Service of the namespace (what a host name in the app's settings can resolve to). */
	readonly services: readonly V1Service[];
	/** The optional lists the user may not make (HTTP 403): each left empty, with the server's words. */
	readonly forbidden: readonly Forbidden[];
};

export type Forbidden = {readonly kind: WatchKind; readonly message: string};

/** The pods are needed; without the rest (a Role that grants list on pods only) their parts stay empty. */
const optionalKinds: ReadonlySet<WatchKind> = new Set(['events', 'deployments', 'statefulsets', 'services']);

export type WatchKind = 'pods' | 'events' | 'deployments' | 'statefulsets' | 'services';

/**
 * Which pods and workloads a Cluster follows: a label selector the server applies, then (when given)
 * a finer test applied here to each pod, Deployment and StatefulSet. Events and Services are all kept.
 */
export type Scope = {
	readonly selector?: string | undefined;
	readonly owns?: ((kind: 'pods' | 'deployments' | 'statefulsets', object: KubernetesObject) => boolean) | undefined;
};

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
	/** The names of the PersistentVolumeClaims with these labels (a StatefulSet's data). */
	claims(selector: string): Promise<string[]>;
	deleteClaim(name: string): Promise<boolean>;
	/**
	 * What a Service's port leads to now: its Ready pods (not terminating), newest first, each with the
	 * container port that Service port targets; undefined when there is no such Service or port.
	 */
	serviceBackends(service: string, port: number): Promise<ServiceBackends | undefined>;
	/** The namespace's Services with these labels (all of them without). */
	services(selector?: string): Promise<V1Service[]>;
	/** The same namespace, following other pods and workloads. */
	within(scope: Scope): Cluster;
	/**
	 * The manifest of a Helm release's newest revision, read from Helm's own storage (its Secrets), as
	 * `helm get manifest` gives it; undefined when Helm stores no such release here.
	 */
	releaseManifest(release: string): Promise<string | undefined>;
	/**
	 * What the current user may do, as `kubectl auth can-i` asks it (one SelfSubjectAccessReview each);
	 * undefined for each when the server has no authorization API to ask.
	 */
	mayI(asks: readonly AccessAsk[]): Promise<ReadonlyArray<boolean | undefined>>;
	/**
	 * Every rule the current user holds in the namespace (this one unless another is named), as
	 * `kubectl auth can-i --list` asks it (one SelfSubjectRulesReview); undefined when the server has no
	 * authorization API to ask.
	 */
	rules(namespace?: string): Promise<RulesReview | undefined>;
	/** The coordination.k8s.io Lease of this name, undefined when there is none. */
	readLease(name: string): Promise<Lease | undefined>;
	/** Creates the Lease; undefined when one of that name exists (409). */
	createLease(lease: Lease): Promise<Lease | undefined>;
	/** Replaces the Lease at its resourceVersion; undefined when it changed since it was read (409). */
	replaceLease(lease: Lease): Promise<Lease | undefined>;
	deleteLease(name: string): Promise<void>;
	/** Creates a Secret through the API unless one of that name exists: false then (409), and it is left as it is. */
	createSecret(name: string, values: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): Promise<boolean>;
	/** Creates or replaces a Secret through the API (never a command line or a file). */
	applySecret(name: string, values: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): Promise<void>;
};

export type Lease = {
	readonly metadata: {readonly name: string; readonly resourceVersion?: string; readonly annotations?: Readonly<Record<string, string>>};
	readonly spec: {readonly holderIdentity: string; readonly leaseDurationSeconds: number; readonly acquireTime: string; readonly renewTime: string};
};

/** A rule of a SelfSubjectRulesReview's answer (what RBAC grants the user in one namespace). */
export type ResourceRule = {
	readonly verbs: readonly string[];
	readonly apiGroups?: readonly string[] | undefined;
	readonly resources?: readonly string[] | undefined;
	readonly resourceNames?: readonly string[] | undefined;
};

/** A SelfSubjectRulesReview's answer: incomplete when an authorizer (a webhook) could not list its rules. */
export type RulesReview = {
	readonly rules: readonly ResourceRule[];
	readonly incomplete: boolean;
	readonly evaluationError?: string | undefined;
};

/** One verb on one resource (its API group, "" for the core group), in the namespace (none: cluster-wide). */
export type AccessAsk = {readonly verb: string; readonly group: string; readonly resource: string; readonly namespace?: string | undefined};

export type ServiceBackends = {
	readonly ready: ReadonlyArray<{readonly pod: string; readonly port: number}>;
	/** Pods the Service selects that are not ready, or going away: why nothing answers, when nothing does. */
	readonly waiting: ReadonlyArray<{readonly pod: string; readonly why: string}>;
};

const everything: Keep = object => object;

/** A Service and the pods behind it, as kube-proxy would pick them. */
function serviceObjects(rest: KubeRest, namespace: string) {
	const base = `/api/v1/namespaces/${encodeURIComponent(namespace)}`;
	return {
		async services(selector?: string): Promise<V1Service[]> {
			const query = selector ? `?${new URLSearchParams({labelSelector: selector}).toString()}` : '';
			const list = await readObject<{items?: V1Service[]}>(rest, `${base}/services${query}`, `listing the Services in ${namespace}`);
			return list?.items ?? [];
		},
		async serviceBackends(name: string, port: number): Promise<ServiceBackends | undefined> {
			const service = await readObject<V1Service>(rest, `${base}/services/${encodeURIComponent(name)}`, `reading the Service ${name}`);
			const wanted = service?.spec?.ports?.find(entry => entry.port === port) ?? (service?.spec?.ports?.length === 1 ? service.spec.ports[0] : undefined);
			const selector = service?.spec?.selector;
			if (!wanted || !selector) {
				return undefined;
			}

			const labelSelector = Object.entries(selector)
				.map(([key, value]) => `${key}=${value}`)
				.join(',');
			const list = await readObject<{items?: V1Pod[]}>(rest, `${base}/pods?${new URLSearchParams({labelSelector}).toString()}`, `listing the pods of ${name}`);
			const target = wanted.targetPort ?? wanted.port;
			const portOf = (pod: V1Pod) =>
				typeof target === 'number' || /^\d+$/.test(target)
					? Number(target)
					: pod.spec?.containers.flatMap(container => container.ports ?? []).find(declared => declared.name === target)?.containerPort;
			const pods = [...(list?.items ?? [])].sort((a, b) =>
				String(b.metadata?.creationTimestamp ?? '').localeCompare(String(a.metadata?.creationTimestamp ?? '')),
			);
			const ready: Array<{pod: string; port: number}> = [];
			const waiting: Array<{pod: string; why: string}> = [];
			for (const pod of pods) {
				const podName = pod.metadata?.name ?? '';
				const isReady = pod.status?.conditions?.some(condition => condition.type === 'Ready' && condition.status === 'True') ?? false;
				const containerPort = portOf(pod);
				if (pod.metadata?.deletionTimestamp) {
					waiting.push({pod: podName, why: 'terminating'});
				} else if (!isReady) {
					waiting.push({pod: podName, why: 'not ready yet'});
				} else if (containerPort === undefined) {
					waiting.push({pod: podName, why: `declares no port named ${String(target)}`});
				} else {
					ready.push({pod: podName, port: containerPort});
				}
			}

			return {ready, waiting};
		},
	};
}

const secretBody = (name: string, namespace: string, values: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>) => ({
	apiVersion: 'v1',
	kind: 'Secret',
	type: 'Opaque',
	metadata: {name, namespace, labels},
	data: Object.fromEntries(Object.entries(values).map(([key, value]) => [key, Buffer.from(value, 'utf8').toString('base64')])),
});

/** The namespace and its Secrets: what deploy writes and down removes. */
function namespaceObjects(rest: KubeRest, namespace: string) {
	const namespacePath = `/api/v1/namespaces/${encodeURIComponent(namespace)}`;
	const secretPath = (name?: string) => `${namespacePath}/secrets${name ? `/${encodeURIComponent(name)}` : ''}`;
	const read = async <T>(path: string, what: string): Promise<T | undefined> => readObject<T>(rest, path, what);

	const remove = async (path: string, what: string): Promise<boolean> => {
		const response = await rest.fetch(path, {method: 'DELETE'});
		if (!response.ok && response.status !== 404) {
			throw await rest.failure(response, what);
		}

		return response.ok;
	};

	return {
		async ensureNamespace() {
			// A namespace the user may not read (a Role without get on it) exists: a Role is bound inside one.
			const found = await read(namespacePath, `reading the namespace ${namespace}`).catch((error: unknown) =>
				error instanceof ClusterError && error.status === 403 ? true : Promise.reject(error),
			);
			if (found) {
				return false;
			}

			const created = await rest.fetch('/api/v1/namespaces', {
				method: 'POST',
				body: {apiVersion: 'v1', kind: 'Namespace', metadata: {name: namespace, labels: {'app.kubernetes.io/managed-by': 'todo-deploy'}}},
			});
			if (!created.ok && created.status !== 409) {
				throw await rest.failure(created, `creating the namespace ${namespace}`);
			}

			return created.ok;
		},
		async namespaceLabels() {
			const found = await read<{metadata?: {labels?: Record<string, string>}}>(namespacePath, `reading the namespace ${namespace}`);
			return found ? (found.metadata?.labels ?? {}) : undefined;
		},
		async deleteNamespace() {
			await remove(namespacePath, `deleting the namespace ${namespace}`);
		},
		async readSecret(name: string) {
			const secret = await read<{data?: Record<string, string>}>(secretPath(name), `reading the Secret ${name}`);
			return secret
				? Object.fromEntries(Object.entries(secret.data ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64').toString('utf8')]))
				: undefined;
		},
		async releaseManifest(release: string) {
			const list = await read<{items?: Array<{metadata?: {labels?: Record<string, string>}; data?: {release?: string}}>}>(
				`${secretPath()}?${new URLSearchParams({labelSelector: `owner=helm,name=${release}`}).toString()}`,
				`listing the Helm release ${release}`,
			);
			const newest = (list?.items ?? []).sort((a, b) => Number(b.metadata?.labels?.['version'] ?? 0) - Number(a.metadata?.labels?.['version'] ?? 0))[0];
			return newest?.data?.release === undefined ? undefined : decodeHelmRelease(newest.data.release).manifest;
		},
		async deleteSecret(name: string) {
			return remove(secretPath(name), `deleting the Secret ${name}`);
		},
		async claims(selector: string) {
			const list = await read<{items?: Array<{metadata?: {name?: string}}>}>(
				`${namespacePath}/persistentvolumeclaims?${new URLSearchParams({labelSelector: selector}).toString()}`,
				`listing the volume claims in ${namespace}`,
			);
			return (list?.items ?? []).flatMap(item => (item.metadata?.name ? [item.metadata.name] : []));
		},
		async deleteClaim(name: string) {
			return remove(`${namespacePath}/persistentvolumeclaims/${encodeURIComponent(name)}`, `deleting the volume claim ${name}`);
		},
		async createSecret(name: string, values: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>) {
			const created = await rest.fetch(secretPath(), {method: 'POST', body: secretBody(name, namespace, values, labels)});
			if (!created.ok && created.status !== 409) {
				throw await rest.failure(created, `creating the Secret ${name}`);
			}

			return created.ok;
		},
		async applySecret(name: string, values: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>) {
			await createOrReplace(rest, secretPath(), name, secretBody(name, namespace, values, labels), `the Secret ${name}`);
		},
	};
}

/** The release's Lease (engine/deploy/lock.ts), and what the user may do (SelfSubjectAccessReview). */
function coordinationObjects(rest: KubeRest, namespace: string) {
	const leasePath = (name?: string) =>
		`/apis/coordination.k8s.io/v1/namespaces/${encodeURIComponent(namespace)}/leases${name ? `/${encodeURIComponent(name)}` : ''}`;
	return {
		async readLease(name: string) {
			return readObject<Lease>(rest, leasePath(name), `reading the Lease ${name}`);
		},
		async createLease(lease: Lease) {
			const response = await rest.fetch(leasePath(), {method: 'POST', body: {apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', ...lease}});
			if (response.status === 409) {
				return undefined;
			}

			if (!response.ok) {
				throw await rest.failure(response, `creating the Lease ${lease.metadata.name}`);
			}

			return (await response.json()) as Lease;
		},
		async replaceLease(lease: Lease) {
			const response = await rest.fetch(leasePath(lease.metadata.name), {
				method: 'PUT',
				body: {apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', ...lease},
			});
			if (response.status === 409 || response.status === 404) {
				return undefined;
			}

			if (!response.ok) {
				throw await rest.failure(response, `renewing the Lease ${lease.metadata.name}`);
			}

			return (await response.json()) as Lease;
		},
		async deleteLease(name: string) {
			const response = await rest.fetch(leasePath(name), {method: 'DELETE'});
			if (!response.ok && response.status !== 404) {
				throw await rest.failure(response, `deleting the Lease ${name}`);
			}
		},
		async rules(asked = namespace) {
			const response = await rest.fetch('/apis/authorization.k8s.io/v1/selfsubjectrulesreviews', {
				method: 'POST',
				body: {apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: {namespace: asked}},
			});
			if (response.status === 404) {
				return undefined;
			}

			if (!response.ok) {
				throw await rest.failure(response, `asking what is allowed in the namespace ${asked}`);
			}

			const status = ((await response.json()) as {status?: {resourceRules?: RulesReview['rules']; incomplete?: boolean; evaluationError?: string}}).status;
			return {rules: status?.resourceRules ?? [], incomplete: status?.incomplete === true, evaluationError: status?.evaluationError || undefined};
		},
		async mayI(asks: readonly AccessAsk[]) {
			return Promise.all(
				asks.map(async ask => {
					const response = await rest.fetch('/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
						method: 'POST',
						body: {apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: {resourceAttributes: ask}},
					});
					if (response.status === 404) {
						return undefined;
					}

					if (!response.ok) {
						throw await rest.failure(response, `asking whether ${ask.verb} ${ask.resource} is allowed`);
					}

					return ((await response.json()) as {status?: {allowed?: boolean}}).status?.allowed === true;
				}),
			);
		},
	};
}

/** A pod's logs and its deletion. */
function podObjects(rest: KubeRest, namespace: string) {
	const podPath = (name: string) => `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}`;
	return {
		async logs(pod: string, container: string, options: {previous: boolean; tailLines: number}) {
			const parameters = new URLSearchParams({container, previous: String(options.previous), tailLines: String(options.tailLines)});
			const response = await rest.fetch(`${podPath(pod)}/log?${parameters.toString()}`);
			if (!response.ok) {
				throw await rest.failure(response, `reading the logs of ${pod}/${container}`);
			}

			return response.text();
		},
		followLogs(pod: string, container: string, onLine: (line: string) => void, onEnd: (error: string | undefined) => void) {
			const controller = new AbortController();
			void (async () => {
				try {
					const response = await rest.stream(
						`${podPath(pod)}/log?${new URLSearchParams({container, follow: 'true', tailLines: '20'}).toString()}`,
						controller.signal,
					);
					if (response.statusCode !== 200) {
						onEnd(`HTTP ${response.statusCode}`);
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
		async deletePod(pod: string) {
			const response = await rest.fetch(podPath(pod), {method: 'DELETE'});
			if (!response.ok) {
				throw await rest.failure(response, `deleting the pod ${pod}`);
			}
		},
	};
}

/** Helm's stored release (its Secret's `release` value): base64 of gzipped JSON, itself base64 in the Secret. */
export function decodeHelmRelease(data: string): {readonly manifest: string} {
	const stored = Buffer.from(Buffer.from(data, 'base64').toString('utf8'), 'base64');
	const json = stored[0] === 0x1f && stored[1] === 0x8b ? gunzipSync(stored, {maxOutputLength: 64 * 1024 * 1024}) : stored;
	const release = JSON.parse(json.toString('utf8')) as {manifest?: unknown};
	return {manifest: typeof release.manifest === 'string' ? release.manifest : ''};
}

/** The target's namespace; scope: only the pods (and workloads) it names. */
export async function connectCluster(target: ClusterTarget, options: {readonly scope?: Scope | undefined; readonly keep?: Keep} = {}): Promise<Cluster> {
	return clusterOver(await openKubeRest(target), target.namespace, options.scope ?? {}, options.keep ?? everything);
}

function clusterOver(rest: KubeRest, namespace: string, scope: Scope, keep: Keep): Cluster {
	const {selector, owns} = scope;
	const paths: Record<WatchKind, string> = {
		pods: `/api/v1/namespaces/${namespace}/pods`,
		events: `/api/v1/namespaces/${namespace}/events`,
		deployments: `/apis/apps/v1/namespaces/${namespace}/deployments`,
		statefulsets: `/apis/apps/v1/namespaces/${namespace}/statefulsets`,
		services: `/api/v1/namespaces/${namespace}/services`,
	};
	// Events carry no labels of the release: they are all kept, and matched to pods by name. Every
	// Service is kept too: the database an app names may be another release's.
	const selectorOf = (kind: WatchKind) => (kind === 'events' || kind === 'services' ? undefined : selector);
	const kept = (kind: WatchKind, object: KubernetesObject) => !owns || kind === 'events' || kind === 'services' || owns(kind, object);
	// A watch started after a snapshot resumes from the snapshot's versions instead of listing everything again.
	const resumeFrom = new Map<WatchKind, {resourceVersion: string; names: readonly string[]}>();
	let notAllowed = new Set<WatchKind>();
	return {
		context: rest.context,
		server: rest.server,
		...namespaceObjects(rest, namespace),
		...podObjects(rest, namespace),
		...coordinationObjects(rest, namespace),
		...serviceObjects(rest, namespace),
		within: narrower => clusterOver(rest, namespace, narrower, keep),
		async snapshot() {
			const forbidden: Forbidden[] = [];
			const [pods, events, deployments, statefulSets, services] = await Promise.all(
				(Object.keys(paths) as WatchKind[]).map(async kind => {
					const listed = await listAll(rest, paths[kind], selectorOf(kind), keep).catch((error: unknown) => {
						if (error instanceof ClusterError && error.status === 403 && optionalKinds.has(kind)) {
							forbidden.push({kind, message: error.message.replace(/^.*? answered HTTP 403: /, '')});
							return undefined;
						}

						throw error;
					});
					if (!listed) {
						return [];
					}

					const items = listed.items.filter(item => kept(kind, item));
					resumeFrom.set(kind, {resourceVersion: listed.resourceVersion, names: items.map(item => item.metadata?.name ?? '')});
					return items;
				}),
			);
			const order = Object.keys(paths);
			forbidden.sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
			notAllowed = new Set(forbidden.map(entry => entry.kind));
			return {
				pods: pods as V1Pod[],
				events: events as CoreV1Event[],
				deployments: deployments as V1Deployment[],
				statefulSets: statefulSets as V1StatefulSet[],
				services: services as V1Service[],
				forbidden,
			};
		},
		watch(handlers) {
			// What the last snapshot was not allowed to list is not watched either (it would only answer 403 again).
			const watched = (Object.keys(paths) as WatchKind[]).filter(kind => kind === 'pods' || !notAllowed.has(kind));
			const stops = watched.map(kind => {
				const resume = resumeFrom.get(kind);
				resumeFrom.delete(kind);
				return listWatch(
					rest,
					paths[kind],
					{labelSelector: selectorOf(kind), keep, resume},
					{
						// A pod whose labels no longer match is gone from this scope.
						upsert: object => (kept(kind, object) ? handlers.upsert(kind, object) : handlers.remove(kind, object)),
						remove: object => handlers.remove(kind, object),
						reconnecting: (reason, delayMs) => handlers.reconnecting(kind, reason, delayMs),
						connected: () => handlers.connected(kind),
					},
				);
			});
			return () => {
				for (const stop of stops) {
					stop();
				}
			};
		},
	};
}
