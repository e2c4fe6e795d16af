// What deploy will do in the cluster, asked of the API before anything is written (one
// SelfSubjectAccessReview per verb and resource, as `kubectl auth can-i` asks): the Secrets (helm's
// storage and todo-deploy's own), the pods it watches, each kind the chart makes, and the namespace
// when it must be created. What is missing is named with the Role rule that grants it.
import {loadAll} from 'js-yaml';
import type {AccessAsk, Cluster, ResourceRule} from '../../adapters/cluster.js';

/** The plural resource of the kinds charts make; any other kind is its lowercase plural, as the API names nearly all. */
const resources: Readonly<Record<string, string>> = {
	Ingress: 'ingresses',
	NetworkPolicy: 'networkpolicies',
	PodDisruptionBudget: 'poddisruptionbudgets',
	HorizontalPodAutoscaler: 'horizontalpodautoscalers',
	StorageClass: 'storageclasses',
	IngressClass: 'ingressclasses',
	PriorityClass: 'priorityclasses',
};

/** Kinds that live outside any namespace: asked cluster-wide. */
const clusterScoped = new Set([
	'Namespace',
	'ClusterRole',
	'ClusterRoleBinding',
	'PersistentVolume',
	'StorageClass',
	'CustomResourceDefinition',
	'IngressClass',
	'PriorityClass',
	'ValidatingWebhookConfiguration',
	'MutatingWebhookConfiguration',
]);

/** Helm reads, writes and deletes its release Secrets; deploy writes its own; an upgrade patches what changed and deletes what went. */
const secretVerbs = ['get', 'list', 'create', 'update', 'delete'];
const chartVerbs = ['get', 'create', 'patch', 'delete'];

export function resourceOfKind(apiVersion: string, kind: string): {readonly group: string; readonly resource: string} {
	const group = apiVersion.includes('/') ? (apiVersion.split('/')[0] ?? '') : '';
	return {group, resource: resources[kind] ?? `${kind.toLowerCase()}s`};
}

/** Every verb and resource a deploy of this manifest into the namespace needs. */
export function accessNeeded(manifest: string, namespace: string, options: {readonly createNamespace: boolean}): AccessAsk[] {
	const objects = loadAll(manifest).filter(
		(document): document is {apiVersion?: unknown; kind: string} =>
			document !== null && typeof document === 'object' && typeof (document as {kind?: unknown}).kind === 'string',
	);
	return accessForKinds(
		objects.map(object => ({apiVersion: String(object.apiVersion ?? 'v1'), kind: object.kind})),
		namespace,
		options,
	);
}

type KindOf = {readonly apiVersion: string; readonly kind: string};

/** The asks for objects of these kinds, with the Secrets deploy writes and the pods it watches. */
function accessForKinds(objects: readonly KindOf[], namespace: string, options: {readonly createNamespace: boolean}): AccessAsk[] {
	const asks: AccessAsk[] = [
		...secretVerbs.map(verb => ({verb, group: '', resource: 'secrets', namespace})),
		...['list', 'watch'].map(verb => ({verb, group: '', resource: 'pods', namespace})),
		...(options.createNamespace ? [{verb: 'create', group: '', resource: 'namespaces'}] : []),
	];
	const seen = new Set(asks.map(ask => `${ask.verb} ${ask.group}/${ask.resource}`));
	for (const object of objects) {
		const {group, resource} = resourceOfKind(object.apiVersion, object.kind);
		for (const verb of chartVerbs) {
			const key = `${verb} ${group}/${resource}`;
			if (!seen.has(key)) {
				seen.add(key);
				asks.push({verb, group, resource, ...(clusterScoped.has(object.kind) ? {} : {namespace})});
			}
		}
	}

	return asks;
}

export type AccessCheck = {
	/** What is not allowed, a resource each, as "deployments.apps (create, patch, delete)". */
	readonly missing: readonly string[];
	/** The Role rules that would grant it, one per API group. */
	readonly rules: readonly string[];
	/** Some of it is cluster-wide (a namespace to create, a ClusterRole): a Role cannot grant that. */
	readonly clusterWide: boolean;
};

/** Asks the API; undefined when it has no authorization API to ask (then helm finds out as it goes). */
export async function checkAccess(cluster: Pick<Cluster, 'mayI'>, asks: readonly AccessAsk[]): Promise<AccessCheck | undefined> {
	const answers = await cluster.mayI(asks);
	return answers.some(answer => answer === undefined) ? undefined : deniedAccess(asks, answers);
}

/** Whether the rules grant the ask on every object of the resource (a rule limited to names does not). */
export function rulesAllow(rules: readonly ResourceRule[], ask: AccessAsk): boolean {
	const has = (values: readonly string[] | undefined, value: string) => (values ?? []).includes(value) || (values ?? []).includes('*');
	return rules.some(
		rule => (rule.resourceNames ?? []).length === 0 && has(rule.apiGroups, ask.group) && has(rule.resources, ask.resource) && has(rule.verbs, ask.verb),
	);
}

/** The kinds todo-deploy's own chart makes (a test keeps this beside charts/todo-app/templates). */
export const ownChartKinds: readonly KindOf[] = [
	{apiVersion: 'v1', kind: 'ConfigMap'},
	{apiVersion: 'v1', kind: 'Secret'},
	{apiVersion: 'v1', kind: 'Service'},
	{apiVersion: 'v1', kind: 'ServiceAccount'},
	{apiVersion: 'v1', kind: 'Pod'},
	{apiVersion: 'apps/v1', kind: 'Deployment'},
	{apiVersion: 'apps/v1', kind: 'StatefulSet'},
	{apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler'},
	{apiVersion: 'networking.k8s.io/v1', kind: 'Ingress'},
	{apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy'},
	{apiVersion: 'policy/v1', kind: 'PodDisruptionBudget'},
];

/** What a deploy of todo-deploy's own chart into the namespace needs, as accessNeeded gives it for the rendered chart. */
export function ownChartNeeds(namespace: string): AccessAsk[] {
	return accessForKinds(ownChartKinds, namespace, {createNamespace: false});
}

/** What is missing among the asks, given each one's answer. */
export function deniedAccess(asks: readonly AccessAsk[], answers: ReadonlyArray<boolean | undefined>): AccessCheck {
	const denied = asks.filter((_ask, index) => answers[index] === false);
	const name = (ask: AccessAsk) => (ask.group ? `${ask.resource}.${ask.group}` : ask.resource);
	const groups = [...new Set(denied.map(ask => ask.group))];
	const rules = groups.map(group => {
		const inGroup = denied.filter(ask => ask.group === group);
		const quoted = (values: readonly string[]) => [...new Set(values)].map(value => `"${value}"`).join(', ');
		return `rule: {apiGroups: ["${group}"], resources: [${quoted(inGroup.map(ask => ask.resource))}], verbs: [${quoted(inGroup.map(ask => ask.verb))}]}`;
	});
	const byResource = new Map<string, string[]>();
	for (const ask of denied) {
		byResource.set(name(ask), [...(byResource.get(name(ask)) ?? []), ask.verb]);
	}

	return {
		missing: [...byResource].map(([resource, verbs]) => `${resource} (${verbs.join(', ')})`),
		rules,
		clusterWide: denied.some(ask => ask.namespace === undefined),
	};
}
