// Secrets: placeholders, double encoding, secrets where they do not belong, and passwords that disagree.
import {workloadOf} from './check-contract.js';
import type {AppContract} from '../project/read-contract.js';
import {configMapValues, refOf, secretValues, type Container, type K8sObject, type Workload} from './objects.js';
import {allContainers, type Finding, type Index} from './finding.js';
import {looksDoubleEncoded, passwordInUrl, placeholderReason, secretKeyPattern} from './secret-values.js';

export function checkSecrets(objects: readonly K8sObject[], workloads: readonly Workload[], index: Index, contract?: AppContract): Finding[] {
	const findings: Finding[] = [];
	for (const secret of objects.filter(object => object.kind === 'Secret')) {
		for (const [key, value] of secretValues(secret)) {
			const reason = placeholderReason(value);
			if (reason) {
				findings.push({
					severity: 'error',
					rule: 'secrets',
					object: refOf(secret),
					message: `${key} is ${reason}: the app starts with a credential that does not work (the chatbot or login fails at the first request)`,
					fix: `Give the real value at deploy time (todo-deploy collects it from the environment, a .env file or a prompt); never ship a default.`,
				});
			}
		}

		for (const [key, value] of Object.entries((secret['stringData'] ?? {}) as Record<string, unknown>)) {
			if (typeof value === 'string' && looksDoubleEncoded(value)) {
				findings.push({
					severity: 'error',
					rule: 'secrets',
					object: refOf(secret),
					message: `stringData ${key} holds base64 text: stringData is stored as written, so the pod sees the encoded text, not the secret`,
					fix: 'Drop b64enc under stringData (or use data: with b64enc).',
				});
			}
		}
	}

	for (const configMap of objects.filter(object => object.kind === 'ConfigMap')) {
		for (const [key, value] of configMapValues(configMap)) {
			if (secretKeyPattern.test(key) || passwordInUrl(value)) {
				findings.push({
					severity: 'error',
					rule: 'secrets',
					object: refOf(configMap),
					message: `${key} looks like a secret in a ConfigMap: anyone who can read the namespace's ConfigMaps can read it, and it shows in logs and diffs`,
					fix: 'Move it into a Secret and read it with secretKeyRef.',
				});
			}
		}
	}

	for (const workload of workloads) {
		for (const container of allContainers(workload)) {
			for (const variable of container.env ?? []) {
				if (variable.value !== undefined && (secretKeyPattern.test(variable.name) || passwordInUrl(variable.value)) && variable.value !== '') {
					findings.push({
						severity: 'error',
						rule: 'secrets',
						object: workload.ref,
						container: container.name,
						message: `env ${variable.name} is a secret written in plain text in the pod spec: it shows in kubectl describe and in the Helm release history`,
						fix: 'Read it from a Secret with valueFrom.secretKeyRef.',
					});
				}
			}
		}
	}

	findings.push(...checkDatabasePasswords(workloads, index, contract));
	return findings;
}

// The database's password and the password inside the app's DATABASE_URL must be the same.
function checkDatabasePasswords(workloads: readonly Workload[], index: Index, contract?: AppContract): Finding[] {
	const findings: Finding[] = [];
	const containers = workloads.filter(workload => !workload.hook).flatMap(workload => allContainers(workload).map(container => ({workload, container})));
	const databasePasswords = containers.flatMap(({workload, container}) => {
		const value = resolveEnv(index, container, 'POSTGRES_PASSWORD');
		return value === undefined ? [] : [{workload, value}];
	});
	// The frontend's pod, when the app's code says which it is and that code never reads DATABASE_URL: a
	// wrong password there breaks nothing, but the database password sits in a pod that has no use for it.
	const frontend = contract?.frontend ? workloadOf('frontend', workloads, contract.frontend) : undefined;
	const frontendReadsIt = contract?.frontend?.env.some(entry => entry.name === 'DATABASE_URL') ?? true;
	for (const {workload, container} of containers) {
		const url = resolveEnv(index, container, 'DATABASE_URL');
		const inUrl = url === undefined ? undefined : passwordInUrl(url);
		const database = databasePasswords.find(entry => entry.workload !== workload);
		if (inUrl !== undefined && workload === frontend && !frontendReadsIt) {
			findings.push({
				severity: 'warning',
				rule: 'secrets',
				object: workload.ref,
				container: container.name,
				message:
					"gets DATABASE_URL, with the database password in it, but the frontend's code never reads it: the password sits in a pod that has no use for it",
				fix: 'Give the frontend only what its code reads (todo-deploy discover lists it): take DATABASE_URL out of its env or envFrom.',
			});
		} else if (inUrl !== undefined && database && database.value !== inUrl) {
			findings.push({
				severity: 'error',
				rule: 'secrets',
				object: workload.ref,
				container: container.name,
				message: `the password in DATABASE_URL differs from POSTGRES_PASSWORD of ${database.workload.ref}: the app fails with "password authentication failed" and never becomes ready`,
				fix: 'Build DATABASE_URL from the same value as the database password (one secret value, used twice).',
			});
		}
	}

	return findings;
}

function resolveEnv(index: Index, container: Container, name: string): string | undefined {
	const variable = (container.env ?? []).find(entry => entry.name === name);
	if (variable?.value !== undefined) {
		return variable.value;
	}

	const fromSecret = variable?.valueFrom?.secretKeyRef;
	if (fromSecret?.name && fromSecret.key) {
		return index.secrets.get(fromSecret.name)?.get(fromSecret.key);
	}

	for (const source of container.envFrom ?? []) {
		const values = source.secretRef?.name
			? index.secrets.get(source.secretRef.name)
			: source.configMapRef?.name
				? index.configMaps.get(source.configMapRef.name)
				: undefined;
		if (values?.has(name)) {
			return values.get(name);
		}
	}

	return undefined;
}
