// Values that change nothing, and secrets that values cannot change: the chart is rendered a second
// time with a distinct marker in every probe setting and secret value, and the two renders compared.
import {secretValues, type K8sObject} from './objects.js';
import {looksDoubleEncoded, type Finding} from './checks.js';

type Leaf = {readonly path: readonly string[]; readonly value: unknown};

const isMap = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

function leaves(value: unknown, path: readonly string[] = []): Leaf[] {
	if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
		return Object.entries(value as Record<string, unknown>).flatMap(([key, child]) => leaves(child, [...path, key]));
	}

	return [{path, value}];
}

const secretValueKey = /(password|passwd|secret|api[-_]?key|token)$/i;
const notASecretValue = /existing|name|ref|file|path/i;
// secretEnv maps a variable to a key of the Secret: names, not values.

export type SentinelPlan = {
	readonly overrides: Record<string, unknown>;
	readonly probes: ReadonlyArray<{readonly path: string; readonly marker: number}>;
	readonly secrets: ReadonlyArray<{readonly path: string; readonly marker: string}>;
};

/** except: values given with --set, which win over any marker file and so cannot be marked. */
export function planSentinels(values: unknown, except: ReadonlySet<string> = new Set()): SentinelPlan {
	const overrides: Record<string, unknown> = {};
	const set = (path: readonly string[], value: unknown) => {
		let node = overrides;
		for (const key of path.slice(0, -1)) {
			node[key] ??= {};
			node = node[key] as Record<string, unknown>;
		}

		node[path.at(-1) ?? ''] = value;
	};

	// With an existing Secret the chart makes none: its secret values are not read, by design.
	const secretsSection = isMap(values) && isMap(values['secrets']) ? values['secrets'] : {};
	const existingSecret = typeof secretsSection['existingSecret'] === 'string' && secretsSection['existingSecret'] !== '';
	const probes: Array<{path: string; marker: number}> = [];
	const secrets: Array<{path: string; marker: string}> = [];
	for (const leaf of leaves(values)) {
		if (except.has(leaf.path.join('.'))) {
			continue;
		}

		const key = leaf.path.at(-1) ?? '';
		if (typeof leaf.value === 'number' && leaf.path.some(segment => /probe/i.test(segment))) {
			const marker = 7301 + probes.length;
			probes.push({path: leaf.path.join('.'), marker});
			set(leaf.path, marker);
		} else if (
			typeof leaf.value === 'string' &&
			secretValueKey.test(key) &&
			!notASecretValue.test(key) &&
			!leaf.path.includes('secretEnv') &&
			!(existingSecret && leaf.path[0] === 'secrets')
		) {
			const marker = `tdlint${secrets.length}q7Xv9mW2`;
			secrets.push({path: leaf.path.join('.'), marker});
			set(leaf.path, marker);
		}
	}

	return {overrides, probes, secrets};
}

function scalars(value: unknown, numbers: Set<number>, strings: string[]): void {
	if (Array.isArray(value)) {
		for (const item of value) {
			scalars(item, numbers, strings);
		}
	} else if (value !== null && typeof value === 'object') {
		for (const child of Object.values(value)) {
			scalars(child, numbers, strings);
		}
	} else if (typeof value === 'number') {
		numbers.add(value);
	} else if (typeof value === 'string') {
		strings.push(value);
	}
}

const secretKey = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY)/i;

export function analyseSentinels(plan: SentinelPlan, first: readonly K8sObject[], second: readonly K8sObject[]): Finding[] {
	const numbers = new Set<number>();
	const strings: string[] = [];
	scalars(second, numbers, strings);
	for (const object of second.filter(item => item.kind === 'Secret')) {
		strings.push(...secretValues(object).values());
	}

	// A value written through b64enc into stringData is used, only wrongly (the secrets check says so).
	strings.push(...strings.filter(looksDoubleEncoded).map(text => Buffer.from(text, 'base64').toString('utf8')));

	const findings: Finding[] = [];
	for (const probe of plan.probes) {
		if (!numbers.has(probe.marker)) {
			findings.push({
				severity: 'warning',
				rule: 'values',
				object: `values ${probe.path}`,
				message:
					"no template uses this value: the probe keeps Kubernetes' default (timeoutSeconds 1, periodSeconds 10, failureThreshold 3), whatever values say",
				fix: `Wire .Values.${probe.path} into the probe in the template.`,
			});
		}
	}

	for (const secret of plan.secrets) {
		if (!strings.some(text => text.includes(secret.marker))) {
			findings.push({
				severity: 'warning',
				rule: 'values',
				object: `values ${secret.path}`,
				message: 'no template uses this secret value: setting it (or --set) changes nothing',
				fix: `Use .Values.${secret.path} in the Secret template.`,
			});
		}
	}

	// A generated secret differs between the two renders; one taken from values changes with the marker.
	{
		for (const before of first.filter(item => item.kind === 'Secret')) {
			const after = second.find(item => item.kind === 'Secret' && item.metadata?.name === before.metadata?.name);
			if (!after) {
				continue;
			}

			const afterValues = secretValues(after);
			for (const [key, value] of secretValues(before)) {
				if (secretKey.test(key) && value !== '' && afterValues.get(key) === value) {
					findings.push({
						severity: 'error',
						rule: 'secrets',
						object: `Secret/${before.metadata?.name ?? '?'}`,
						message: `${key} is hard-coded in the template: values and --set cannot change it, so every install shares the same known secret`,
						fix: 'Take it from .Values (empty by default), or generate it once (randAlphaNum with lookup to keep it on upgrades).',
					});
				}
			}
		}
	}

	return findings;
}
