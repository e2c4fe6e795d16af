// What a Helm release really made, read from its manifest: its workloads (each with its own pod
// selector), its Services and everything else. The rollout watch, the status screen, verify and the
// held addresses follow these, whatever labels the chart gives its pods (a project's own chart may
// label them `app: backend` and nothing else).
import {loadAll} from 'js-yaml';
import type {KubernetesObject} from '@kubernetes/client-node';
import type {Scope} from '../../adapters/cluster.js';

type Requirement = {readonly key: string; readonly operator: string; readonly values?: readonly string[]};

/** A label selector as Kubernetes writes it (matchLabels, matchExpressions). */
export type LabelSelector = {readonly matchLabels?: Readonly<Record<string, string>>; readonly matchExpressions?: readonly Requirement[]};

export type ReleaseWorkload = {readonly kind: 'Deployment' | 'StatefulSet' | 'DaemonSet'; readonly name: string; readonly selector: LabelSelector};

export type ReleaseScope = {
	readonly release: string;
	readonly workloads: readonly ReleaseWorkload[];
	/** The Services the release made, by name. */
	readonly services: readonly string[];
	/** Everything the manifest holds, as "Kind/name", in its order. */
	readonly made: readonly string[];
};

const podKinds = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

/** A manifest past this size is not a chart's: it is not parsed (and the release falls back to its instance label). */
export const manifestLimitBytes = 8 * 1024 * 1024;

/** The release's scope from its manifest (helm get manifest's text). Throws on YAML that does not parse. */
export function scopeOfManifest(release: string, manifest: string): ReleaseScope {
	if (manifest.length > manifestLimitBytes) {
		throw new Error(`the release's manifest is over ${manifestLimitBytes / 1024 / 1024} MiB`);
	}

	const objects = loadAll(manifest).filter(
		(document): document is {kind: string; metadata?: {name?: string}; spec?: {selector?: LabelSelector}} =>
			document !== null && typeof document === 'object' && typeof (document as {kind?: unknown}).kind === 'string',
	);
	const workloads: ReleaseWorkload[] = [];
	const services: string[] = [];
	const made: string[] = [];
	for (const object of objects) {
		const name = object.metadata?.name ?? '';
		made.push(`${object.kind}/${name}`);
		if (podKinds.has(object.kind) && object.spec?.selector) {
			workloads.push({kind: object.kind as ReleaseWorkload['kind'], name, selector: object.spec.selector});
		} else if (object.kind === 'Service') {
			services.push(name);
		}
	}

	return {release, workloads, services, made};
}

/** Whether labels satisfy a selector, as the API server decides (an empty selector matches nothing here: no workload has one). */
export function selects(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
	const pairs = Object.entries(selector.matchLabels ?? {});
	const expressions = selector.matchExpressions ?? [];
	if (pairs.length === 0 && expressions.length === 0) {
		return false;
	}

	return (
		pairs.every(([key, value]) => labels[key] === value) &&
		expressions.every(({key, operator, values = []}) => {
			const has = Object.hasOwn(labels, key);
			switch (operator) {
				case 'In': {
					return has && values.includes(labels[key] ?? '');
				}

				case 'NotIn': {
					return !has || !values.includes(labels[key] ?? '');
				}

				case 'Exists': {
					return has;
				}

				case 'DoesNotExist': {
					return !has;
				}

				default: {
					return false;
				}
			}
		})
	);
}

/**
 * What a Cluster follows for the release: the labels every workload's selector shares go to the server
 * (so a shared namespace's other pods are not sent at all), and each pod is then kept only when one of
 * the release's workloads selects it; the Deployments and StatefulSets are the release's own, by name.
 */
export function podScopeOf(scope: ReleaseScope): Scope {
	const [first, ...rest] = scope.workloads.map(workload => Object.entries(workload.selector.matchLabels ?? {}));
	const shared = (first ?? []).filter(([key, value]) => rest.every(pairs => pairs.some(([otherKey, other]) => otherKey === key && other === value)));
	const names = new Set(scope.workloads.map(workload => `${workload.kind}/${workload.name}`));
	const labelsOf = (object: KubernetesObject) => object.metadata?.labels ?? {};
	return {
		selector: shared.length > 0 ? shared.map(([key, value]) => `${key}=${value}`).join(',') : undefined,
		owns(kind, object) {
			if (kind === 'pods') {
				return scope.workloads.some(workload => selects(workload.selector, labelsOf(object)));
			}

			return names.has(`${kind === 'deployments' ? 'Deployment' : 'StatefulSet'}/${object.metadata?.name ?? ''}`);
		},
	};
}

/** The scope of a release whose manifest could not be read: the label todo-deploy's chart (and most charts) give every object. */
export const instanceScope = (release: string): Scope => ({selector: `app.kubernetes.io/instance=${release}`});
