// What lint says of a rendered chart: each finding with its severity, the object, what will happen, the fix.
import type {AppContract} from '../project/read-contract.js';
import {configMapValues, secretValues, type Container, type K8sObject, type Workload} from './objects.js';

export type Severity = 'error' | 'warning';

export type Finding = {
	readonly severity: Severity;
	readonly rule: string;
	readonly object: string;
	readonly container?: string | undefined;
	/** What will happen at deploy time. */
	readonly message: string;
	readonly fix: string;
};

export type LintTarget = 'local' | 'registry';

export type LintContext = {
	readonly target: LintTarget;
	/** Secrets and ConfigMaps that exist outside the release (an existingSecret), by name. */
	readonly external?: ReadonlySet<string>;
	/** The Secret todo-deploy's deploy writes before helm runs: not a finding. */
	readonly madeByDeploy?: string | undefined;
	/** What the app's code reads: each pod must get it. */
	readonly contract?: AppContract | undefined;
};

export const allContainers = (workload: Workload): Container[] => [...(workload.spec.initContainers ?? []), ...(workload.spec.containers ?? [])];

export type Index = {
	readonly configMaps: Map<string, Map<string, string>>;
	readonly secrets: Map<string, Map<string, string>>;
	readonly serviceAccounts: Set<string>;
	readonly claims: Set<string>;
};

export function indexObjects(objects: readonly K8sObject[]): Index {
	const named = (kind: string) => objects.filter(object => object.kind === kind && object.metadata?.name);
	return {
		configMaps: new Map(named('ConfigMap').map(object => [object.metadata?.name ?? '', configMapValues(object)])),
		secrets: new Map(named('Secret').map(object => [object.metadata?.name ?? '', secretValues(object)])),
		serviceAccounts: new Set(['default', ...named('ServiceAccount').map(object => object.metadata?.name ?? '')]),
		claims: new Set(named('PersistentVolumeClaim').map(object => object.metadata?.name ?? '')),
	};
}
