// A simulated Kubernetes API server on loopback: discovery, CRUD, patch (merge, JSON, apply), watch
// with resourceVersions, bookmarks and 410 Gone, pod logs, and fault injection. Faithful enough for
// the real kubectl and helm; the tests start it, and `npm run sim` runs it on its own.
import {randomUUID} from 'node:crypto';
import {writeFileSync} from 'node:fs';
import http from 'node:http';
import type {AddressInfo, Socket} from 'node:net';
import {load} from 'js-yaml';
import {decodeProtobufObject} from './protobuf.js';
import {upgradeToPortForward} from './portforward.js';

type Json = Record<string, unknown>;

export type ResourceType = {
	readonly group: string;
	readonly version: string;
	readonly resource: string;
	readonly kind: string;
	readonly namespaced: boolean;
	readonly shortNames?: readonly string[];
	readonly subresources?: readonly string[];
	readonly categories?: readonly string[];
};

const verbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export const resourceTypes: readonly ResourceType[] = [
	{group: '', version: 'v1', resource: 'namespaces', kind: 'Namespace', namespaced: false, shortNames: ['ns'], subresources: ['status']},
	{group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true, categories: ['all'], shortNames: ['po'], subresources: ['status', 'log']},
	{group: '', version: 'v1', resource: 'events', kind: 'Event', namespaced: true, shortNames: ['ev']},
	{group: '', version: 'v1', resource: 'services', kind: 'Service', namespaced: true, categories: ['all'], shortNames: ['svc'], subresources: ['status']},
	{group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap', namespaced: true, shortNames: ['cm']},
	{group: '', version: 'v1', resource: 'secrets', kind: 'Secret', namespaced: true},
	{group: '', version: 'v1', resource: 'serviceaccounts', kind: 'ServiceAccount', namespaced: true, shortNames: ['sa']},
	{
		group: '',
		version: 'v1',
		resource: 'persistentvolumeclaims',
		kind: 'PersistentVolumeClaim',
		namespaced: true,
		shortNames: ['pvc'],
		subresources: ['status'],
	},
	{group: '', version: 'v1', resource: 'endpoints', kind: 'Endpoints', namespaced: true, shortNames: ['ep']},
	{group: '', version: 'v1', resource: 'nodes', kind: 'Node', namespaced: false, shortNames: ['no'], subresources: ['status']},
	{
		group: 'apps',
		version: 'v1',
		resource: 'deployments',
		kind: 'Deployment',
		namespaced: true,
		categories: ['all'],
		shortNames: ['deploy'],
		subresources: ['status', 'scale'],
	},
	{
		group: 'apps',
		version: 'v1',
		resource: 'replicasets',
		kind: 'ReplicaSet',
		namespaced: true,
		categories: ['all'],
		shortNames: ['rs'],
		subresources: ['status'],
	},
	{
		group: 'apps',
		version: 'v1',
		resource: 'statefulsets',
		kind: 'StatefulSet',
		namespaced: true,
		categories: ['all'],
		shortNames: ['sts'],
		subresources: ['status'],
	},
	{group: 'networking.k8s.io', version: 'v1', resource: 'networkpolicies', kind: 'NetworkPolicy', namespaced: true, shortNames: ['netpol']},
	{group: 'networking.k8s.io', version: 'v1', resource: 'ingresses', kind: 'Ingress', namespaced: true, shortNames: ['ing'], subresources: ['status']},
	{
		group: 'policy',
		version: 'v1',
		resource: 'poddisruptionbudgets',
		kind: 'PodDisruptionBudget',
		namespaced: true,
		shortNames: ['pdb'],
		subresources: ['status'],
	},
	{
		group: 'autoscaling',
		version: 'v2',
		resource: 'horizontalpodautoscalers',
		kind: 'HorizontalPodAutoscaler',
		namespaced: true,
		shortNames: ['hpa'],
		subresources: ['status'],
	},
	{group: 'batch', version: 'v1', resource: 'jobs', kind: 'Job', namespaced: true, categories: ['all'], subresources: ['status']},
	{group: 'coordination.k8s.io', version: 'v1', resource: 'leases', kind: 'Lease', namespaced: true},
];

const groupVersion = (type: ResourceType) => (type.group ? `${type.group}/${type.version}` : type.version);

export type WatchEvent = {readonly type: 'ADDED' | 'MODIFIED' | 'DELETED'; readonly object: Json; readonly resourceVersion: number};

export type Faults = {
	/** Answer every request after this many ms. */
	delayMs?: number;
	/** Answer this share of requests (watches included) with 500. */
	errorRate?: number;
	/** Close every watch after this many ms. */
	dropWatchesAfterMs?: number;
	/** Watches that ask for a resourceVersion older than this get 410 Gone. */
	compactedBefore?: number;
	/** Every watch answers HTTP 200, then one ERROR event with this Status (403 after a token expired, 500), and ends. */
	watchError?: {readonly code: number; readonly reason: string; readonly message: string};
	/**
	 * Authorize as RBAC does for a user bound to one Role in one namespace: every request not allowed by
	 * a rule is refused with the 403 Status a real API server gives (discovery and /version stay open).
	 */
	role?: {
		readonly user: string;
		readonly namespace: string;
		readonly rules: ReadonlyArray<{readonly apiGroups: readonly string[]; readonly resources: readonly string[]; readonly verbs: readonly string[]}>;
	};
	/** Holds a request until the promise it returns settles (two clients made to interleave as the test needs). */
	hold?: (method: string, path: string) => Promise<void> | undefined;
};

export type SimulatedCluster = {
	readonly url: string;
	readonly kubeconfigPath: string;
	readonly requests: string[];
	readonly faults: Faults;
	/** Create or replace an object as a controller would (no admission), and tell the watchers. */
	put(object: Json): Json;
	remove(kind: string, namespace: string | undefined, name: string): void;
	get(kind: string, namespace: string | undefined, name: string): Json | undefined;
	list(kind: string, namespace?: string): Json[];
	setLogs(namespace: string, pod: string, container: string, lines: readonly string[]): void;
	/** What answers a port-forward to the pod's port: a server on this loopback port (undefined: refused, as a port nothing listens on). */
	servePort(namespace: string, pod: string, port: number, localPort: number | undefined): void;
	/** Drop every open watch now, as an API server restart would. */
	dropWatches(): void;
	/** Ends every open watch with an ERROR event of this Status; new watches get it too until faults.watchError is cleared. */
	failWatches(error: NonNullable<Faults['watchError']>): void;
	/** Every change, as it is stored (for a simulated controller). */
	subscribe(listener: (event: WatchEvent) => void): () => void;
	readonly resourceVersion: number;
	close(): Promise<void>;
};

function typeOfKind(kind: string): ResourceType {
	const type = resourceTypes.find(candidate => candidate.kind === kind);
	if (!type) {
		throw new Error(`the simulator does not know kind ${kind}`);
	}

	return type;
}

function status(code: number, reason: string, message: string, details?: Json): Json {
	return {kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? {details} : {}), code};
}

/** Whether one of the Role's rules grants the verb on the resource (a Role binds only in its own namespace). */
function roleAllows(
	role: NonNullable<Faults['role']>,
	asked: {readonly namespace: string | undefined; readonly group: string; readonly resource: string; readonly verb: string},
): boolean {
	return (
		asked.namespace === role.namespace &&
		role.rules.some(
			rule =>
				(rule.apiGroups.includes(asked.group) || rule.apiGroups.includes('*')) &&
				(rule.resources.includes(asked.resource) || rule.resources.includes('*')) &&
				(rule.verbs.includes(asked.verb) || rule.verbs.includes('*')),
		)
	);
}

/** RBAC's answer for one request (the verb from the method, the namespace a Role applies in), as a Status, or undefined when a rule allows it. */
function forbidden(
	role: NonNullable<Faults['role']>,
	request: {method: string; watching: boolean; type: ResourceType; namespace: string | undefined; name: string | undefined; subresource: string | undefined},
): Json | undefined {
	const {method, watching, type, name, subresource} = request;
	// A request for a namespace object applies in that namespace, as the API server's RequestInfo has it.
	const namespace = type.kind === 'Namespace' ? name : request.namespace;
	const verb =
		method === 'GET'
			? name
				? 'get'
				: watching
					? 'watch'
					: 'list'
			: (({POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: name ? 'delete' : 'deletecollection'} as Record<string, string>)[method] ??
				method.toLowerCase());
	const resource = subresource ? `${type.resource}/${subresource}` : type.resource;
	if (roleAllows(role, {namespace, group: type.group, resource, verb})) {
		return undefined;
	}

	const what = `${type.resource}${type.group ? `.${type.group}` : ''}${name ? ` "${name}"` : ''}`;
	const where = namespace ? ` in the namespace "${namespace}"` : ' at the cluster scope';
	return status(403, 'Forbidden', `${what} is forbidden: User "${role.user}" cannot ${verb} resource "${resource}" in API group "${type.group}"${where}`, {
		...(name ? {name} : {}),
		...(type.group ? {group: type.group} : {}),
		kind: type.resource,
	});
}

function isObject(value: unknown): value is Json {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** RFC 7386 merge patch (strategic merge treated the same: enough for kubectl and helm here). */
function mergePatch(target: unknown, patch: unknown): unknown {
	if (!isObject(patch)) {
		return patch;
	}

	const result: Json = isObject(target) ? {...target} : {};
	for (const [key, value] of Object.entries(patch)) {
		if (key.startsWith('$')) {
			continue;
		}

		if (value === null) {
			delete result[key];
		} else {
			result[key] = mergePatch(result[key], value);
		}
	}

	return result;
}

function jsonPatch(target: Json, operations: Array<{op: string; path: string; value?: unknown}>): Json {
	const document = structuredClone(target);
	for (const operation of operations) {
		const parts = operation.path
			.split('/')
			.slice(1)
			.map(part => part.replaceAll('~1', '/').replaceAll('~0', '~'));
		const last = parts.pop() ?? '';
		let node: unknown = document;
		for (const part of parts) {
			node = Array.isArray(node) ? node[Number(part)] : (node as Json)[part];
		}

		if (Array.isArray(node)) {
			const index = last === '-' ? node.length : Number(last);
			if (operation.op === 'remove') {
				node.splice(index, 1);
			} else if (operation.op === 'add') {
				node.splice(index, 0, operation.value);
			} else {
				node[index] = operation.value;
			}
		} else if (isObject(node)) {
			if (operation.op === 'remove') {
				delete node[last];
			} else {
				node[last] = operation.value;
			}
		}
	}

	return document;
}

function matchesLabels(object: Json, selector: string | null): boolean {
	if (!selector) {
		return true;
	}

	const labels = ((object['metadata'] as Json | undefined)?.['labels'] ?? {}) as Record<string, string>;
	return selector
		.split(',')
		.filter(Boolean)
		.every(term => {
			const notIn = /^(\S+)\s+notin\s+\((.*)\)$/.exec(term);
			const inSet = /^(\S+)\s+in\s+\((.*)\)$/.exec(term);
			if (inSet) {
				return (inSet[2] ?? '')
					.split(',')
					.map(value => value.trim())
					.includes(labels[inSet[1] ?? ''] ?? '\u0000');
			}

			if (notIn) {
				return !(notIn[2] ?? '')
					.split(',')
					.map(value => value.trim())
					.includes(labels[notIn[1] ?? ''] ?? '\u0000');
			}

			const [key = '', value] = term.split(/!=|==|=/);
			if (term.includes('!=')) {
				return labels[key] !== value;
			}

			if (value === undefined) {
				return term.startsWith('!') ? !(term.slice(1) in labels) : key in labels;
			}

			return labels[key] === value;
		});
}

function matchesFields(object: Json, selector: string | null): boolean {
	if (!selector) {
		return true;
	}

	return selector
		.split(',')
		.filter(Boolean)
		.every(term => {
			const negate = term.includes('!=');
			const [path = '', value = ''] = term.split(/!=|==|=/);
			let node: unknown = object;
			for (const part of path.split('.')) {
				node = isObject(node) ? node[part] : undefined;
			}

			return negate ? String(node ?? '') !== value : String(node ?? '') === value;
		});
}

function age(timestamp: unknown, now = Date.now()): string {
	const seconds = Math.max(0, Math.floor((now - new Date(String(timestamp)).getTime()) / 1000));
	if (seconds < 120) {
		return `${seconds}s`;
	}

	if (seconds < 7200) {
		return `${Math.floor(seconds / 60)}m`;
	}

	return seconds < 172_800 ? `${Math.floor(seconds / 3600)}h` : `${Math.floor(seconds / 86_400)}d`;
}

/** The STATUS column as kubectl's server-side printer computes it. */
function podStatus(pod: Json): string {
	const metadata = pod['metadata'] as Json;
	const podState = (pod['status'] ?? {}) as {
		phase?: string;
		reason?: string;
		containerStatuses?: Array<{state?: {waiting?: {reason?: string}; terminated?: {reason?: string; exitCode?: number}}}>;
		initContainerStatuses?: Array<{state?: {waiting?: {reason?: string}; terminated?: {exitCode?: number}}}>;
	};
	if (metadata['deletionTimestamp']) {
		return 'Terminating';
	}

	let reason = podState.reason ?? podState.phase ?? 'Unknown';
	for (const [index, status] of (podState.initContainerStatuses ?? []).entries()) {
		if (status.state?.terminated?.exitCode === 0) {
			continue;
		}

		reason =
			status.state?.waiting?.reason && status.state.waiting.reason !== 'PodInitializing'
				? `Init:${status.state.waiting.reason}`
				: status.state?.terminated
					? `Init:Error`
					: `Init:${index}/${podState.initContainerStatuses?.length ?? 0}`;
		return reason;
	}

	for (const status of podState.containerStatuses ?? []) {
		const waiting = status.state?.waiting?.reason;
		const terminated = status.state?.terminated;
		if (waiting) {
			reason = waiting;
		} else if (terminated?.reason) {
			reason = terminated.reason;
		}
	}

	return reason;
}

function tableOf(type: ResourceType, items: readonly Json[], resourceVersion: number): Json {
	const pods = type.kind === 'Pod';
	const columnDefinitions = [
		{name: 'Name', type: 'string', format: 'name', description: 'Name', priority: 0},
		...(pods
			? [
					{name: 'Ready', type: 'string', format: '', description: 'The number of containers that are ready', priority: 0},
					{name: 'Status', type: 'string', format: '', description: 'The aggregate status of the containers', priority: 0},
					{name: 'Restarts', type: 'string', format: '', description: 'The number of times the containers restarted', priority: 0},
				]
			: []),
		{name: 'Age', type: 'string', format: '', description: 'CreationTimestamp', priority: 0},
	];
	const rows = items.map(object => {
		const metadata = object['metadata'] as Json;
		const statuses = ((object['status'] as Json | undefined)?.['containerStatuses'] ?? []) as Array<{ready?: boolean; restartCount?: number}>;
		const containers = ((object['spec'] as Json | undefined)?.['containers'] ?? []) as unknown[];
		const cells = pods
			? [
					metadata['name'],
					`${statuses.filter(status => status.ready).length}/${containers.length}`,
					podStatus(object),
					String(statuses.reduce((sum, status) => sum + (status.restartCount ?? 0), 0)),
					age(metadata['creationTimestamp']),
				]
			: [metadata['name'], age(metadata['creationTimestamp'])];
		return {cells, object: {kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata}};
	});
	return {kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: {resourceVersion: String(resourceVersion)}, columnDefinitions, rows};
}

export async function startSimulatedCluster(options: {
	readonly kubeconfigPath: string;
	readonly port?: number;
	readonly historyLimit?: number;
}): Promise<SimulatedCluster> {
	const objects = new Map<string, Json>();
	const history: WatchEvent[] = [];
	const historyLimit = options.historyLimit ?? 20_000;
	const logs = new Map<string, readonly string[]>();
	const logFollowers = new Map<string, Set<http.ServerResponse>>();
	const watchers = new Set<{
		type: ResourceType;
		namespace: string | undefined;
		labelSelector: string | null;
		fieldSelector: string | null;
		send(event: WatchEvent): void;
		close(): void;
		fail(error: NonNullable<Faults['watchError']>): void;
	}>();
	const requests: string[] = [];
	const faults: Faults = {};
	let resourceVersion = 1000;

	const listeners = new Set<(event: WatchEvent) => void>();
	const keyOf = (type: ResourceType, namespace: string | undefined, name: string) => `${type.kind}/${type.namespaced ? (namespace ?? '') : ''}/${name}`;

	const record = (type: ResourceType, event: WatchEvent) => {
		history.push(event);
		if (history.length > historyLimit) {
			history.splice(0, history.length - historyLimit);
		}

		for (const listener of listeners) {
			listener(event);
		}

		for (const watcher of watchers) {
			const metadata = event.object['metadata'] as Json;
			if (
				watcher.type === type &&
				(!watcher.namespace || metadata['namespace'] === watcher.namespace) &&
				matchesLabels(event.object, watcher.labelSelector) &&
				matchesFields(event.object, watcher.fieldSelector)
			) {
				watcher.send(event);
			}
		}
	};

	const store = (type: ResourceType, object: Json, eventType: 'ADDED' | 'MODIFIED'): Json => {
		resourceVersion++;
		const metadata = {...(object['metadata'] as Json)};
		metadata['resourceVersion'] = String(resourceVersion);
		metadata['uid'] ??= randomUUID();
		metadata['creationTimestamp'] ??= new Date().toISOString().replace(/\.\d+Z$/, 'Z');
		if (type.kind !== 'Namespace' && type.namespaced) {
			metadata['namespace'] ??= 'default';
		}

		// As an API server does: the generation moves when the spec changes, not the status.
		const before = objects.get(keyOf(type, metadata['namespace'] as string | undefined, String(metadata['name'])));
		if (metadata['generation'] === undefined || (eventType === 'MODIFIED' && JSON.stringify(before?.['spec']) !== JSON.stringify(object['spec']))) {
			metadata['generation'] = Number(metadata['generation'] ?? 0) + 1;
		}

		const stored: Json = {...object, apiVersion: groupVersion(type), kind: type.kind, metadata};
		objects.set(keyOf(type, metadata['namespace'] as string | undefined, String(metadata['name'])), stored);
		record(type, {type: eventType, object: stored, resourceVersion});
		return stored;
	};

	const destroy = (type: ResourceType, namespace: string | undefined, name: string): Json | undefined => {
		const key = keyOf(type, namespace, name);
		const existing = objects.get(key);
		if (!existing) {
			return undefined;
		}

		objects.delete(key);
		resourceVersion++;
		const gone = {...existing, metadata: {...(existing['metadata'] as Json), resourceVersion: String(resourceVersion)}};
		record(type, {type: 'DELETED', object: gone, resourceVersion});
		// Deleting a namespace deletes what is in it.
		if (type.kind === 'Namespace') {
			for (const [otherKey, object] of [...objects]) {
				const metadata = object['metadata'] as Json;
				if (metadata['namespace'] === name) {
					destroy(typeOfKind(String(object['kind'])), name, String(metadata['name']));
					objects.delete(otherKey);
				}
			}
		}

		return gone;
	};

	const listOf = (type: ResourceType, namespace: string | undefined) =>
		[...objects.values()].filter(object => object['kind'] === type.kind && (!namespace || (object['metadata'] as Json)['namespace'] === namespace));

	store(typeOfKind('Namespace'), {metadata: {name: 'default'}, spec: {finalizers: ['kubernetes']}, status: {phase: 'Active'}}, 'ADDED');
	// The namespaces every cluster starts with (kind's local registry is documented in kube-public).
	for (const name of ['kube-system', 'kube-public', 'kube-node-lease']) {
		store(typeOfKind('Namespace'), {metadata: {name}, spec: {finalizers: ['kubernetes']}, status: {phase: 'Active'}}, 'ADDED');
	}

	store(
		typeOfKind('Node'),
		{
			metadata: {name: 'sim-control-plane', labels: {'kubernetes.io/hostname': 'sim-control-plane', 'node-role.kubernetes.io/control-plane': ''}},
			status: {
				conditions: [{type: 'Ready', status: 'True'}],
				allocatable: {cpu: '2', memory: '4Gi', pods: '110'},
				capacity: {cpu: '2', memory: '4Gi', pods: '110'},
				nodeInfo: {kubeletVersion: 'v1.35.0'},
			},
		},
		'ADDED',
	);

	const send = (response: http.ServerResponse, code: number, body: Json) => {
		const text = JSON.stringify(body);
		response.writeHead(code, {'content-type': 'application/json', 'content-length': Buffer.byteLength(text)});
		response.end(text);
	};

	// JSON text; a protobuf body (client-go writes Helm's release Secrets that way) is decoded to JSON first.
	const readBody = async (request: http.IncomingMessage): Promise<string> => {
		const chunks: Buffer[] = [];
		for await (const chunk of request) {
			chunks.push(chunk as Buffer);
		}

		const body = Buffer.concat(chunks);
		return /protobuf/.test(request.headers['content-type'] ?? '') ? JSON.stringify(decodeProtobufObject(body)) : body.toString('utf8');
	};

	const discovery = (request: http.IncomingMessage, response: http.ServerResponse, pathname: string): boolean => {
		// Like an API server without protobuf support: clients fall back to JSON on 406.
		if (/protobuf/.test(request.headers.accept ?? '') && !/json/.test(request.headers.accept ?? '')) {
			send(response, 406, status(406, 'NotAcceptable', 'only application/json is served'));
			return true;
		}

		if (pathname === '/version') {
			send(response, 200, {
				major: '1',
				minor: '35',
				gitVersion: 'v1.35.0',
				gitCommit: '0000000000000000000000000000000000000000',
				gitTreeState: 'clean',
				buildDate: '2026-05-14T00:00:00Z',
				goVersion: 'go1.25.9',
				compiler: 'gc',
				platform: 'linux/amd64',
			});
			return true;
		}

		if (pathname === '/api') {
			send(response, 200, {kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:6443'}]});
			return true;
		}

		// OpenAPI for client-side validation (helm, kubectl apply): every known kind, open to any field.
		const schemaOf = (type: ResourceType) => ({
			type: 'object',
			'x-kubernetes-group-version-kind': [{group: type.group, kind: type.kind, version: type.version}],
			'x-kubernetes-preserve-unknown-fields': true,
		});
		const definitionName = (type: ResourceType) => `io.k8s.api.${type.group ? type.group.split('.')[0] : 'core'}.${type.version}.${type.kind}`;
		if (pathname === '/openapi/v2') {
			send(response, 200, {
				swagger: '2.0',
				info: {title: 'Kubernetes', version: 'v1.35.0'},
				paths: {},
				definitions: Object.fromEntries(resourceTypes.map(type => [definitionName(type), schemaOf(type)])),
			});
			return true;
		}

		if (pathname === '/openapi/v3') {
			const versions = [...new Set(resourceTypes.map(type => (type.group ? `apis/${type.group}/${type.version}` : `api/${type.version}`)))];
			send(response, 200, {paths: Object.fromEntries(versions.map(entry => [entry, {serverRelativeURL: `/openapi/v3/${entry}?hash=0000`}]))});
			return true;
		}

		const openapi = /^\/openapi\/v3\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(pathname);
		if (openapi) {
			const wanted = openapi[1] ?? `${openapi[2] ?? ''}/${openapi[3] ?? ''}`;
			const types = resourceTypes.filter(type => groupVersion(type) === wanted);
			// Each kind's PATCH takes fieldValidation, as a real server's does: clients (helm, kubectl) then leave
			// validation to the server (and ask for it with ?fieldValidation=Strict) instead of fetching OpenAPI v2.
			const paths = Object.fromEntries(
				types.map(type => [
					`/${type.group ? `apis/${type.group}` : 'api'}/${type.version}/${type.namespaced ? 'namespaces/{namespace}/' : ''}${type.resource}/{name}`,
					{
						patch: {
							operationId: `patch${type.kind}`,
							'x-kubernetes-action': 'patch',
							'x-kubernetes-group-version-kind': {group: type.group, kind: type.kind, version: type.version},
							parameters: [{name: 'fieldValidation', in: 'query', schema: {type: 'string', uniqueItems: true}}],
							responses: {200: {description: 'OK'}},
						},
					},
				]),
			);
			send(response, 200, {
				openapi: '3.0.0',
				info: {title: 'Kubernetes', version: 'v1.35.0'},
				paths,
				components: {schemas: Object.fromEntries(types.map(type => [definitionName(type), schemaOf(type)]))},
			});
			return true;
		}

		const groups = [...new Set(resourceTypes.filter(type => type.group).map(type => `${type.group}/${type.version}`))];
		if (pathname === '/apis') {
			send(response, 200, {
				kind: 'APIGroupList',
				apiVersion: 'v1',
				groups: groups.map(entry => {
					const [name = '', version = ''] = entry.split('/');
					return {name, versions: [{groupVersion: entry, version}], preferredVersion: {groupVersion: entry, version}};
				}),
			});
			return true;
		}

		const match = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))\/?$/.exec(pathname);
		if (match) {
			const wanted = match[1] ?? `${match[2] ?? ''}/${match[3] ?? ''}`;
			const types = resourceTypes.filter(type => groupVersion(type) === wanted);
			if (types.length === 0) {
				send(response, 404, status(404, 'NotFound', 'the server could not find the requested resource'));
				return true;
			}

			send(response, 200, {
				kind: 'APIResourceList',
				apiVersion: 'v1',
				groupVersion: wanted,
				resources: types.flatMap(type => [
					{
						name: type.resource,
						singularName: type.kind.toLowerCase(),
						namespaced: type.namespaced,
						kind: type.kind,
						verbs,
						...(type.shortNames ? {shortNames: type.shortNames} : {}),
						...(type.categories ? {categories: type.categories} : {}),
					},
					...(type.subresources ?? []).map(sub => ({
						name: `${type.resource}/${sub}`,
						singularName: '',
						namespaced: type.namespaced,
						kind: sub === 'scale' ? 'Scale' : type.kind,
						verbs: sub === 'log' ? ['get'] : ['get', 'patch', 'update'],
					})),
				]),
			});
			return true;
		}

		return false;
	};

	const handle = async (request: http.IncomingMessage, response: http.ServerResponse) => {
		const url = new URL(request.url ?? '/', 'http://sim');
		const method = request.method ?? 'GET';
		requests.push(`${method} ${url.pathname}${url.search}`);
		if (faults.delayMs) {
			await new Promise(resolve => setTimeout(resolve, faults.delayMs));
		}

		await faults.hold?.(method, url.pathname);

		const watching = url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1';
		// kubectl asks for server-side printing; client-node and helm ask for plain JSON.
		const table = /as=Table/.test(request.headers.accept ?? '');
		// Watches fail too: an API server in trouble refuses new watches, as after a restart.
		if (faults.errorRate && Math.random() < faults.errorRate) {
			send(response, 500, status(500, 'InternalError', 'an error on the server ("injected fault") has prevented the request from succeeding'));
			return;
		}

		if (method === 'GET' && discovery(request, response, url.pathname)) {
			return;
		}

		// What kubectl auth can-i asks: may I do this? Answered from the Role (everything, without one).
		if (method === 'POST' && url.pathname === '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews') {
			const review = JSON.parse(await readBody(request)) as {
				spec?: {resourceAttributes?: {namespace?: string; verb?: string; group?: string; resource?: string; subresource?: string}};
			};
			const asked = review.spec?.resourceAttributes ?? {};
			const resource = asked.subresource ? `${asked.resource ?? ''}/${asked.subresource}` : (asked.resource ?? '');
			const allowed =
				!faults.role || roleAllows(faults.role, {namespace: asked.namespace || undefined, group: asked.group ?? '', resource, verb: asked.verb ?? ''});
			send(response, 201, {
				kind: 'SelfSubjectAccessReview',
				apiVersion: 'authorization.k8s.io/v1',
				metadata: {creationTimestamp: null},
				spec: review.spec ?? {},
				status: allowed
					? {allowed: true, reason: faults.role ? `RBAC: allowed by RoleBinding "dev" of Role "dev" to User "${faults.role.user}"` : ''}
					: {allowed: false},
			});
			return;
		}

		// What kubectl auth can-i --list asks: every rule the user holds in a namespace. RBAC answers the
		// Role's rules where it is bound, beside what system:basic-user gives every signed-in user.
		if (method === 'POST' && url.pathname === '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews') {
			const review = JSON.parse(await readBody(request)) as {spec?: {namespace?: string}};
			const namespace = review.spec?.namespace ?? '';
			const basicUser = [
				{verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews']},
				{verbs: ['create'], apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews']},
			];
			const resourceRules = faults.role
				? [...basicUser, ...(namespace === faults.role.namespace ? faults.role.rules.map(rule => ({...rule})) : [])]
				: [{verbs: ['*'], apiGroups: ['*'], resources: ['*']}];
			send(response, 201, {
				kind: 'SelfSubjectRulesReview',
				apiVersion: 'authorization.k8s.io/v1',
				metadata: {creationTimestamp: null},
				spec: {namespace},
				status: {
					resourceRules,
					nonResourceRules: [
						{
							verbs: ['get'],
							nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'],
						},
					],
					incomplete: false,
				},
			});
			return;
		}

		// /api/v1/namespaces/NS/pods/NAME/log, /apis/apps/v1/deployments, /api/v1/namespaces/NAME ...
		const prefix = /^\/(?:api\/v1|apis\/([^/]+)\/([^/]+))((?:\/[^/]+)*)$/.exec(url.pathname);
		if (!prefix) {
			send(response, 404, status(404, 'NotFound', 'the server could not find the requested resource'));
			return;
		}

		const group = prefix[1] ?? '';
		const version = prefix[2] ?? 'v1';
		const segments = (prefix[3] ?? '')
			.split('/')
			.filter(Boolean)
			.map(segment => decodeURIComponent(segment));
		let namespace: string | undefined;
		let resource: string;
		let name: string | undefined;
		let subresource: string | undefined;
		const namespacedResource =
			segments[0] === 'namespaces' && segments.length >= 3 && resourceTypes.some(candidate => candidate.resource === segments[2] && candidate.namespaced);
		if (namespacedResource) {
			[, namespace, resource = '', name, subresource] = segments;
		} else {
			[resource = '', name, subresource] = segments;
		}

		const type = resourceTypes.find(candidate => candidate.group === group && candidate.version === version && candidate.resource === resource);
		if (!type) {
			send(response, 404, status(404, 'NotFound', `the server could not find the requested resource (${resource})`));
			return;
		}

		const refused = faults.role && forbidden(faults.role, {method, watching, type, namespace, name, subresource});
		if (refused) {
			send(response, 403, refused);
			return;
		}

		if (type.namespaced && namespace && type.kind !== 'Namespace' && !objects.has(keyOf(typeOfKind('Namespace'), undefined, namespace)) && method !== 'GET') {
			send(response, 404, status(404, 'NotFound', `namespaces "${namespace}" not found`, {name: namespace, kind: 'namespaces'}));
			return;
		}

		const notFound = () =>
			send(
				response,
				404,
				status(404, 'NotFound', `${type.resource}${type.group ? `.${type.group}` : ''} "${name ?? ''}" not found`, {
					name,
					group: type.group,
					kind: type.resource,
				}),
			);

		if (!name) {
			if (method === 'GET' && watching) {
				watch(type, namespace, url, request, response, table);
				return;
			}

			if (method === 'GET') {
				const all = listOf(type, namespace).filter(
					object => matchesLabels(object, url.searchParams.get('labelSelector')) && matchesFields(object, url.searchParams.get('fieldSelector')),
				);
				// Pages, as an API server gives them: ?limit=N, then ?continue=TOKEN (here, the offset).
				const limit = Number(url.searchParams.get('limit') ?? 0);
				const offset = Number(Buffer.from(url.searchParams.get('continue') ?? '', 'base64url').toString() || 0);
				const items = limit > 0 ? all.slice(offset, offset + limit) : all;
				const more = limit > 0 && offset + limit < all.length;
				send(
					response,
					200,
					table
						? tableOf(type, items, resourceVersion)
						: {
								kind: `${type.kind}List`,
								apiVersion: groupVersion(type),
								metadata: {
									resourceVersion: String(resourceVersion),
									...(more ? {continue: Buffer.from(String(offset + limit)).toString('base64url'), remainingItemCount: all.length - offset - limit} : {}),
								},
								items,
							},
				);
				return;
			}

			if (method === 'POST') {
				const body = JSON.parse(await readBody(request)) as Json;
				const metadata = {...(body['metadata'] as Json)};
				if (!metadata['name'] && metadata['generateName']) {
					metadata['name'] = `${String(metadata['generateName'])}${randomUUID().slice(0, 5)}`;
				}

				if (type.namespaced) {
					metadata['namespace'] = namespace ?? metadata['namespace'] ?? 'default';
				}

				if (objects.has(keyOf(type, metadata['namespace'] as string | undefined, String(metadata['name'])))) {
					send(
						response,
						409,
						status(409, 'AlreadyExists', `${type.resource} "${String(metadata['name'])}" already exists`, {name: metadata['name'], kind: type.resource}),
					);
					return;
				}

				send(response, 201, store(type, {...body, metadata}, 'ADDED'));
				return;
			}

			if (method === 'DELETE') {
				const items = listOf(type, namespace).filter(object => matchesLabels(object, url.searchParams.get('labelSelector')));
				for (const item of items) {
					destroy(type, namespace, String((item['metadata'] as Json)['name']));
				}

				send(response, 200, {kind: `${type.kind}List`, apiVersion: groupVersion(type), metadata: {}, items});
				return;
			}
		}

		const existing = objects.get(keyOf(type, namespace, name ?? ''));
		if (subresource === 'log') {
			if (!existing) {
				notFound();
				return;
			}

			const containers = ((existing['spec'] as Json | undefined)?.['containers'] ?? []) as Array<{name: string}>;
			const container = url.searchParams.get('container') ?? containers[0]?.name ?? '';
			let lines = [...(logs.get(`${namespace ?? ''}/${name ?? ''}/${container}`) ?? [])];
			const tail = url.searchParams.get('tailLines');
			if (tail) {
				lines = lines.slice(-Number(tail));
			}

			response.writeHead(200, {'content-type': 'text/plain'});
			if (url.searchParams.get('follow') === 'true') {
				// Stays open: lines added later with setLogs are streamed.
				response.write(lines.map(line => `${line}\n`).join(''));
				const key = `${namespace ?? ''}/${name ?? ''}/${container}`;
				const followers = logFollowers.get(key) ?? new Set();
				followers.add(response);
				logFollowers.set(key, followers);
				request.on('close', () => followers.delete(response));
				return;
			}

			response.end(lines.map(line => `${line}\n`).join(''));
			return;
		}

		switch (method) {
			case 'GET': {
				if (existing) {
					send(response, 200, table ? tableOf(type, [existing], resourceVersion) : existing);
				} else {
					notFound();
				}

				return;
			}

			case 'PUT': {
				const body = JSON.parse(await readBody(request)) as Json;
				if (!existing) {
					notFound();
					return;
				}

				const given = (body['metadata'] as Json | undefined)?.['resourceVersion'];
				if (given && given !== (existing['metadata'] as Json)['resourceVersion']) {
					send(
						response,
						409,
						status(
							409,
							'Conflict',
							`Operation cannot be fulfilled on ${type.resource} "${name ?? ''}": the object has been modified; please apply your changes to the latest version and try again`,
							{name, kind: type.resource},
						),
					);
					return;
				}

				const next = subresource === 'status' ? {...existing, status: body['status']} : {...body, status: body['status'] ?? existing['status']};
				send(
					response,
					200,
					store(type, {...next, metadata: {...(existing['metadata'] as Json), ...(body['metadata'] as Json), resourceVersion: undefined}}, 'MODIFIED'),
				);
				return;
			}

			case 'PATCH': {
				const contentType = request.headers['content-type'] ?? '';
				const text = await readBody(request);
				if (contentType.includes('apply-patch')) {
					// Server-side apply: create when absent, otherwise merge what the manager sent.
					const applied = load(text) as Json;
					if (!existing) {
						const metadata = {...(applied['metadata'] as Json), ...(type.namespaced ? {namespace} : {})};
						send(response, 201, store(type, {...applied, metadata}, 'ADDED'));
						return;
					}

					send(response, 200, store(type, mergePatch(existing, applied) as Json, 'MODIFIED'));
					return;
				}

				if (!existing) {
					notFound();
					return;
				}

				const patched = contentType.includes('json-patch')
					? jsonPatch(existing, JSON.parse(text) as Array<{op: string; path: string; value?: unknown}>)
					: (mergePatch(existing, JSON.parse(text)) as Json);
				send(response, 200, store(type, patched, 'MODIFIED'));
				return;
			}

			case 'DELETE': {
				const gone = destroy(type, namespace, name ?? '');
				if (gone) {
					send(
						response,
						200,
						type.kind === 'Pod' || type.kind === 'Namespace'
							? gone
							: {
									kind: 'Status',
									apiVersion: 'v1',
									metadata: {},
									status: 'Success',
									details: {name, kind: type.resource, uid: (gone['metadata'] as Json)['uid']},
								},
					);
				} else {
					notFound();
				}

				return;
			}

			default: {
				send(response, 405, status(405, 'MethodNotAllowed', `${method} is not supported`));
			}
		}
	};

	const watch = (type: ResourceType, namespace: string | undefined, url: URL, request: http.IncomingMessage, response: http.ServerResponse, table: boolean) => {
		const since = Number(url.searchParams.get('resourceVersion') ?? 0);
		const oldest = history[0]?.resourceVersion ?? resourceVersion;
		if (since && (since < oldest - 1 || since < (faults.compactedBefore ?? 0))) {
			// As a real API server does: HTTP 200, then one ERROR event with a 410 Status.
			response.writeHead(200, {'content-type': 'application/json'});
			response.end(`${JSON.stringify({type: 'ERROR', object: status(410, 'Expired', `too old resource version: ${since} (${oldest})`)})}\n`);
			return;
		}

		if (faults.watchError) {
			const {code, reason, message} = faults.watchError;
			response.writeHead(200, {'content-type': 'application/json'});
			response.end(`${JSON.stringify({type: 'ERROR', object: status(code, reason, message)})}\n`);
			return;
		}

		response.writeHead(200, {'content-type': 'application/json', 'transfer-encoding': 'chunked'});
		const labelSelector = url.searchParams.get('labelSelector');
		const fieldSelector = url.searchParams.get('fieldSelector');
		const write = (event: WatchEvent) =>
			response.write(`${JSON.stringify({type: event.type, object: table ? tableOf(type, [event.object], event.resourceVersion) : event.object})}\n`);
		const matches = (object: Json) =>
			object['kind'] === type.kind &&
			(!namespace || (object['metadata'] as Json)['namespace'] === namespace) &&
			matchesLabels(object, labelSelector) &&
			matchesFields(object, fieldSelector);
		if (since) {
			for (const event of history) {
				if (event.resourceVersion > since && matches(event.object)) {
					write(event);
				}
			}
		} else {
			// No resourceVersion: the current objects as ADDED, then changes.
			for (const object of listOf(type, namespace)) {
				if (matches(object)) {
					write({type: 'ADDED', object, resourceVersion});
				}
			}
		}

		const bookmarks =
			url.searchParams.get('allowWatchBookmarks') === 'true'
				? setInterval(() => {
						response.write(
							`${JSON.stringify({type: 'BOOKMARK', object: {kind: type.kind, apiVersion: groupVersion(type), metadata: {resourceVersion: String(resourceVersion), annotations: {'k8s.io/initial-events-end': 'true'}}}})}\n`,
						);
					}, 1000)
				: undefined;
		const timeoutSeconds = Number(url.searchParams.get('timeoutSeconds') ?? 0);
		const timers: NodeJS.Timeout[] = [];
		const watcher = {
			type,
			namespace,
			labelSelector,
			fieldSelector,
			send: write,
			close() {
				clearInterval(bookmarks);
				for (const timer of timers) {
					clearTimeout(timer);
				}

				watchers.delete(watcher);
				response.end();
			},
			fail(error: {readonly code: number; readonly reason: string; readonly message: string}) {
				response.write(`${JSON.stringify({type: 'ERROR', object: status(error.code, error.reason, error.message)})}\n`);
				watcher.close();
			},
		};
		watchers.add(watcher);
		if (timeoutSeconds > 0) {
			timers.push(setTimeout(() => watcher.close(), timeoutSeconds * 1000));
		}

		if (faults.dropWatchesAfterMs) {
			timers.push(setTimeout(() => watcher.close(), faults.dropWatchesAfterMs));
		}

		request.on('close', () => watcher.close());
	};

	const sockets = new Set<Socket>();
	const server = http.createServer((request, response) => {
		handle(request, response).catch((error: unknown) => {
			if (!response.headersSent) {
				send(response, 400, status(400, 'BadRequest', error instanceof Error ? error.message : String(error)));
			}
		});
	});
	// kubectl port-forward: an upgraded connection, not a request (see portforward.ts).
	const portTargets = new Map<string, number>();
	server.on('upgrade', (request: http.IncomingMessage, socket: Socket, head: Buffer) => {
		const url = new URL(request.url ?? '/', 'http://simulator');
		requests.push(`${request.method ?? 'GET'} ${url.pathname}${url.search} (upgrade: ${request.headers.upgrade ?? ''})`);
		const match = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/portforward$/.exec(url.pathname);
		const refuse = (code: number, reason: string, message: string) => {
			const body = JSON.stringify(status(code, reason, message));
			socket.end(
				`HTTP/1.1 ${code} ${http.STATUS_CODES[code] ?? ''}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
			);
		};

		if (!match) {
			refuse(404, 'NotFound', `the server could not find the requested resource (${url.pathname})`);
			return;
		}

		const [, namespace = '', pod = ''] = match.map(part => decodeURIComponent(part));
		if (!objects.get(keyOf(typeOfKind('Pod'), namespace, pod))) {
			refuse(404, 'NotFound', `pods "${pod}" not found`);
			return;
		}

		if (!/^spdy\/3\.1$/i.test(String(request.headers.upgrade ?? '')) || request.method !== 'POST') {
			// As an API server without WebSocket port-forwarding answers kubectl's first try.
			refuse(400, 'BadRequest', 'unable to upgrade connection: this server port-forwards over SPDY/3.1 only');
			return;
		}

		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
		upgradeToPortForward(socket, head, {namespace, pod}, (inNamespace, name, port) => portTargets.get(`${inNamespace}/${name}:${port}`));
	});
	server.on('connection', socket => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>(resolve => server.listen(options.port ?? 0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	// Plain HTTP with no TLS settings, as kubectl reads it (and as `kubectl proxy` serves): every command must take it.
	writeFileSync(
		options.kubeconfigPath,
		[
			'apiVersion: v1',
			'kind: Config',
			'clusters:',
			'- name: sim',
			'  cluster:',
			`    server: ${url}`,
			'users:',
			'- name: sim',
			'  user:',
			'    token: simulated',
			'contexts:',
			'- name: sim',
			'  context:',
			'    cluster: sim',
			'    user: sim',
			'    namespace: default',
			'current-context: sim',
			'',
		].join('\n'),
		{mode: 0o600},
	);

	return {
		url,
		kubeconfigPath: options.kubeconfigPath,
		requests,
		faults,
		put(object) {
			const type = typeOfKind(String(object['kind']));
			const metadata = object['metadata'] as Json;
			const existing = objects.get(keyOf(type, metadata['namespace'] as string | undefined, String(metadata['name'])));
			return store(type, existing ? {...object, metadata: {...(existing['metadata'] as Json), ...metadata}} : object, existing ? 'MODIFIED' : 'ADDED');
		},
		remove(kind, namespace, name) {
			destroy(typeOfKind(kind), namespace, name);
		},
		get(kind, namespace, name) {
			return objects.get(keyOf(typeOfKind(kind), namespace, name));
		},
		list(kind, namespace) {
			return listOf(typeOfKind(kind), namespace);
		},
		servePort(namespace, pod, port, localPort) {
			if (localPort === undefined) {
				portTargets.delete(`${namespace}/${pod}:${port}`);
			} else {
				portTargets.set(`${namespace}/${pod}:${port}`, localPort);
			}
		},
		setLogs(namespace, pod, container, lines) {
			const key = `${namespace}/${pod}/${container}`;
			const before = logs.get(key) ?? [];
			logs.set(key, lines);
			// Followers get the lines added at the end.
			const added = lines.slice(0, before.length).every((line, index) => line === before[index]) ? lines.slice(before.length) : lines;
			for (const follower of logFollowers.get(key) ?? []) {
				follower.write(added.map(line => `${line}\n`).join(''));
			}
		},
		dropWatches() {
			for (const watcher of [...watchers]) {
				watcher.close();
			}
		},
		failWatches(error) {
			faults.watchError = error;
			for (const watcher of [...watchers]) {
				watcher.fail(error);
			}
		},
		subscribe(listener) {
			listeners.add(listener);
			return () => {
				listeners.delete(listener);
			};
		},
		get resourceVersion() {
			return resourceVersion;
		},
		async close() {
			for (const watcher of [...watchers]) {
				watcher.close();
			}

			for (const follower of [...logFollowers.values()].flatMap(set => [...set])) {
				follower.end();
			}

			for (const socket of sockets) {
				socket.destroy();
			}

			await new Promise<void>(resolve => server.close(() => resolve()));
		},
	};
}
