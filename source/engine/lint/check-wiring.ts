// References, Services and probes: what points at nothing, and what no probe reaches.
import {refOf, type Container, type K8sObject, type Probe, type Workload} from './objects.js';
import {allContainers, type Finding, type Index, type LintContext} from './finding.js';

export function checkReferences(workload: Workload, index: Index, context: LintContext): Finding[] {
	const findings: Finding[] = [];
	const external = context.external ?? new Set<string>();
	const missing = (kind: 'ConfigMap' | 'Secret', name: string, container: string | undefined, key?: string): Finding => ({
		severity: 'error',
		rule: 'reference',
		object: workload.ref,
		container,
		message: `${kind} "${name}"${key ? ` has no key "${key}"` : ' is not created by this release'}: the pod will stay in CreateContainerConfigError`,
		fix: key
			? `Add the key "${key}" to ${kind} ${name}, or refer to the key it has.`
			: `Make the reference match the ${kind} the chart creates (check the template's name helper), or create ${name} first.`,
	});
	const lookup = (
		kind: 'ConfigMap' | 'Secret',
		name: string | undefined,
		key: string | undefined,
		optional: boolean | undefined,
		container: string | undefined,
	) => {
		if (!name || optional) {
			return;
		}

		const values = (kind === 'ConfigMap' ? index.configMaps : index.secrets).get(name);
		if (!values) {
			if (external.has(name) && name === context.madeByDeploy) {
				return;
			}

			if (external.has(name)) {
				findings.push({
					severity: 'warning',
					rule: 'reference',
					object: workload.ref,
					container,
					message: `${kind} "${name}" is not part of the release: it must exist in the namespace before the deploy, or the pod stays in CreateContainerConfigError`,
					fix: `Create ${name} first (todo-deploy deploy creates it from your secrets).`,
				});
				return;
			}

			findings.push(missing(kind, name, container));
			return;
		}

		if (key && !values.has(key)) {
			findings.push(missing(kind, name, container, key));
		}
	};

	for (const container of allContainers(workload)) {
		for (const source of container.envFrom ?? []) {
			lookup('ConfigMap', source.configMapRef?.name, undefined, source.configMapRef?.optional, container.name);
			lookup('Secret', source.secretRef?.name, undefined, source.secretRef?.optional, container.name);
		}

		for (const variable of container.env ?? []) {
			const configMapKey = variable.valueFrom?.configMapKeyRef;
			const secretKey = variable.valueFrom?.secretKeyRef;
			lookup('ConfigMap', configMapKey?.name, configMapKey?.key, configMapKey?.optional, container.name);
			lookup('Secret', secretKey?.name, secretKey?.key, secretKey?.optional, container.name);
		}
	}

	for (const volume of workload.spec.volumes ?? []) {
		lookup('ConfigMap', volume.configMap?.name, undefined, volume.configMap?.optional, undefined);
		lookup('Secret', volume.secret?.secretName, undefined, volume.secret?.optional, undefined);
		const claim = volume.persistentVolumeClaim?.claimName;
		if (claim && !index.claims.has(claim) && !workload.claimTemplates.includes(claim)) {
			findings.push({
				severity: 'error',
				rule: 'reference',
				object: workload.ref,
				message: `PersistentVolumeClaim "${claim}" is not created by this release: the pod will stay Pending`,
				fix: `Create the claim in the chart or use a volumeClaimTemplate.`,
			});
		}
	}

	const account = workload.spec.serviceAccountName;
	if (account && !index.serviceAccounts.has(account)) {
		findings.push({
			severity: 'error',
			rule: 'reference',
			object: workload.ref,
			message: `ServiceAccount "${account}" is not created by this release: the ${workload.object.kind ?? 'workload'} cannot create its pods (error looking up service account)`,
			fix: 'Create the ServiceAccount in the chart (serviceAccount.create) or name one that exists.',
		});
	}

	return findings;
}

const portMatches = (container: Container, port: number | string | undefined) =>
	port !== undefined && (container.ports ?? []).some(entry => entry.containerPort === port || (typeof port === 'string' && entry.name === port));

function probePort(probe: Probe): number | string | undefined {
	return probe.httpGet?.port ?? probe.tcpSocket?.port ?? probe.grpc?.port;
}

export function checkProbes(workload: Workload): Finding[] {
	if (workload.hook || workload.object.kind === 'Job' || workload.object.kind === 'CronJob') {
		return [];
	}

	return (workload.spec.containers ?? []).flatMap(container => {
		const findings: Finding[] = [];
		for (const [field, effect] of [
			['readinessProbe', 'Kubernetes sends traffic before the app can answer and never sees it stop answering'],
			['livenessProbe', 'a hung process is never restarted'],
		] as const) {
			const probe = container[field];
			if (!probe) {
				findings.push({
					severity: 'error',
					rule: 'probes',
					object: workload.ref,
					container: container.name,
					message: `no ${field}: ${effect}`,
					fix: `Wire ${field} into the template (from values, with its path, port, delays and timeouts).`,
				});
				continue;
			}

			const port = probePort(probe);
			if (port !== undefined && !portMatches(container, port)) {
				findings.push({
					severity: 'error',
					rule: 'probes',
					object: workload.ref,
					container: container.name,
					message: `${field} checks port ${port}, which the container does not declare: the probe ${field === 'livenessProbe' ? 'fails and the container restarts forever (CrashLoopBackOff)' : 'fails and the pod never becomes ready'}`,
					fix: `Point the probe at a containerPort (${(container.ports ?? []).map(entry => entry.name ?? entry.containerPort).join(', ') || 'none declared'}).`,
				});
			}
		}

		return findings;
	});
}

export function checkServices(objects: readonly K8sObject[], workloads: readonly Workload[]): Finding[] {
	return objects
		.filter(object => object.kind === 'Service')
		.flatMap(service => {
			const spec = (service['spec'] ?? {}) as {
				selector?: Record<string, string>;
				ports?: Array<{port?: number; targetPort?: number | string; name?: string}>;
				type?: string;
				clusterIP?: string;
			};
			const selector = spec.selector;
			if (!selector || Object.keys(selector).length === 0) {
				return [];
			}

			const matching = workloads.filter(workload => !workload.hook && Object.entries(selector).every(([key, value]) => workload.labels[key] === value));
			if (matching.length === 0) {
				return [
					{
						severity: 'error' as const,
						rule: 'service',
						object: refOf(service),
						message: `the selector ${Object.entries(selector)
							.map(([key, value]) => `${key}=${value}`)
							.join(',')} matches no pod template: the Service has no endpoints and every request fails`,
						fix: 'Make the selector equal to the pod template labels of the workload it fronts.',
					},
				];
			}

			return (spec.ports ?? []).flatMap(port => {
				const target = port.targetPort ?? port.port;
				const served = matching.some(workload => (workload.spec.containers ?? []).some(container => portMatches(container, target)));
				return served
					? []
					: [
							{
								severity: 'error' as const,
								rule: 'service',
								object: refOf(service),
								message: `targetPort ${String(target)} is not a port of ${matching.map(workload => workload.ref).join(', ')}: connections are refused`,
								fix: 'Set targetPort to a containerPort number or name of the pods.',
							},
						];
			});
		});
}
