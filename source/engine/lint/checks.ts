// Pure checks of a rendered chart: what helm lint does not catch, said as what will happen at deploy time.
import {configMapValues, refOf, secretValues, workloadsOf, type Container, type K8sObject, type Probe, type Workload} from './objects.js';

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
};

const secretKeyPattern = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIALS?)/i;
const placeholderPatterns: ReadonlyArray<[RegExp, string]> = [
	[/^(change[-_ ]?me|changeit|replace[-_ ]?me|placeholder|todo|tbd|xxx+|secret|password|example|dummy|test)$/i, 'a placeholder word'],
	[/your[-_ ]?(api[-_ ]?)?(key|secret|token|password)[-_ ]?here|^your[-_ ]/i, 'a "your-…-here" placeholder'],
	[/^<[^>]*>$|\$\{[^}]+\}|^\{\{.*\}\}$/, 'an unfilled <…> or ${…} placeholder'],
	[/\.\.\.$|…$/, 'a truncated value ending in "..."'],
];

export function placeholderReason(value: string): string | undefined {
	const trimmed = value.trim();
	if (trimmed === '') {
		return undefined;
	}

	return placeholderPatterns.find(([pattern]) => pattern.test(trimmed))?.[1];
}

/** stringData written through b64enc: base64 text that decodes to printable text. */
export function looksDoubleEncoded(value: string): boolean {
	if (value.length < 8 || value.length % 4 !== 0 || !/^[A-Za-z\d+/]+={0,2}$/.test(value)) {
		return false;
	}

	const decoded = Buffer.from(value, 'base64').toString('utf8');
	return decoded.length >= 4 && /^[\u0020-\u007E]+$/.test(decoded) && Buffer.from(decoded, 'utf8').toString('base64') === value;
}

/** postgresql://user:PASSWORD@host/db -> PASSWORD (URL-decoded). */
export function passwordInUrl(url: string): string | undefined {
	try {
		const parsed = new URL(url);
		return /^postgres(ql)?:$/.test(parsed.protocol) && parsed.password ? decodeURIComponent(parsed.password) : undefined;
	} catch {
		return undefined;
	}
}

const allContainers = (workload: Workload): Container[] => [...(workload.spec.initContainers ?? []), ...(workload.spec.containers ?? [])];

type Index = {
	readonly configMaps: Map<string, Map<string, string>>;
	readonly secrets: Map<string, Map<string, string>>;
	readonly serviceAccounts: Set<string>;
	readonly claims: Set<string>;
};

function indexObjects(objects: readonly K8sObject[]): Index {
	const named = (kind: string) => objects.filter(object => object.kind === kind && object.metadata?.name);
	return {
		configMaps: new Map(named('ConfigMap').map(object => [object.metadata?.name ?? '', configMapValues(object)])),
		secrets: new Map(named('Secret').map(object => [object.metadata?.name ?? '', secretValues(object)])),
		serviceAccounts: new Set(['default', ...named('ServiceAccount').map(object => object.metadata?.name ?? '')]),
		claims: new Set(named('PersistentVolumeClaim').map(object => object.metadata?.name ?? '')),
	};
}

function checkReferences(workload: Workload, index: Index, context: LintContext): Finding[] {
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

function checkProbes(workload: Workload): Finding[] {
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

function checkServices(objects: readonly K8sObject[], workloads: readonly Workload[]): Finding[] {
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

function imageTag(image: string): string | undefined {
	const withoutDigest = image.split('@')[0] ?? image;
	const lastSlash = withoutDigest.lastIndexOf('/');
	const colon = withoutDigest.indexOf(':', lastSlash + 1);
	return colon === -1 ? undefined : withoutDigest.slice(colon + 1);
}

function checkImages(workload: Workload, context: LintContext): Finding[] {
	return allContainers(workload).flatMap(container => {
		const findings: Finding[] = [];
		const image = container.image ?? '';
		if (image.includes('@sha256:')) {
			return findings;
		}

		const tag = imageTag(image);
		if (!tag || tag === 'latest') {
			findings.push({
				severity: 'error',
				rule: 'image',
				object: workload.ref,
				container: container.name,
				message: `image ${image || '(none)'} has ${tag ? 'the tag latest' : 'no tag (so latest)'}: a rebuilt image never rolls out, and pods may keep running the old one`,
				fix: 'Use an exact tag: a version or the commit (todo-deploy build tags images by content).',
			});
		}

		const policy = container.imagePullPolicy ?? (!tag || tag === 'latest' ? 'Always' : 'IfNotPresent');
		if (context.target === 'local' && policy === 'Always') {
			findings.push({
				severity: 'error',
				rule: 'image',
				object: workload.ref,
				container: container.name,
				message: `imagePullPolicy ${container.imagePullPolicy ? 'Always' : 'defaults to Always for latest'}: an image loaded into minikube or kind is in no registry, so the pod fails with ErrImagePull`,
				fix: 'Use imagePullPolicy: IfNotPresent (and an exact tag) for images loaded into the cluster.',
			});
		}

		if (context.target === 'registry' && policy === 'Never') {
			findings.push({
				severity: 'error',
				rule: 'image',
				object: workload.ref,
				container: container.name,
				message: 'imagePullPolicy Never on a registry target: the node never pulls the image, so the pod fails with ErrImageNeverPull',
				fix: 'Use imagePullPolicy: IfNotPresent.',
			});
		}

		return findings;
	});
}

function checkSecrets(objects: readonly K8sObject[], workloads: readonly Workload[], index: Index): Finding[] {
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

	// The database's password and the password inside the app's DATABASE_URL must be the same.
	const resolve = (container: Container, name: string): string | undefined => {
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
	};

	const containers = workloads.filter(workload => !workload.hook).flatMap(workload => allContainers(workload).map(container => ({workload, container})));
	const databasePasswords = containers.flatMap(({workload, container}) => {
		const value = resolve(container, 'POSTGRES_PASSWORD');
		return value === undefined ? [] : [{workload, value}];
	});
	for (const {workload, container} of containers) {
		const url = resolve(container, 'DATABASE_URL');
		const inUrl = url === undefined ? undefined : passwordInUrl(url);
		const database = databasePasswords.find(entry => entry.workload !== workload);
		if (inUrl !== undefined && database && database.value !== inUrl) {
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

function checkSecurity(workload: Workload): Finding[] {
	if (workload.hook) {
		return [];
	}

	const pod = workload.spec.securityContext ?? {};
	const findings: Finding[] = [];
	const restricted = (container: string | undefined, what: string, fix: string) =>
		findings.push({
			severity: 'warning',
			rule: 'restricted',
			object: workload.ref,
			container,
			message: `${what}: a namespace enforcing the "restricted" Pod Security Standard rejects the pod`,
			fix,
		});
	if (workload.spec.hostNetwork || workload.spec.hostPID || workload.spec.hostIPC) {
		restricted(undefined, 'the pod shares the host network, PID or IPC namespace', 'Remove hostNetwork, hostPID and hostIPC.');
	}

	if ((workload.spec.volumes ?? []).some(volume => volume.hostPath)) {
		restricted(undefined, 'a hostPath volume', 'Use an emptyDir or a PersistentVolumeClaim.');
	}

	for (const container of allContainers(workload)) {
		const own = container.securityContext ?? {};
		if (!(own.runAsNonRoot ?? pod.runAsNonRoot) || (own.runAsUser ?? pod.runAsUser) === 0) {
			restricted(container.name, 'it may run as root (runAsNonRoot is not true)', 'Set runAsNonRoot: true and a non-zero runAsUser.');
		}

		if (own.privileged) {
			restricted(container.name, 'it is privileged', 'Remove privileged: true.');
		}

		if (own.allowPrivilegeEscalation !== false) {
			restricted(container.name, 'allowPrivilegeEscalation is not false', 'Set allowPrivilegeEscalation: false.');
		}

		if (!(own.capabilities?.drop ?? []).includes('ALL')) {
			restricted(container.name, 'capabilities are not dropped (drop: [ALL])', 'Set capabilities.drop: ["ALL"].');
		}

		const seccomp = own.seccompProfile?.type ?? pod.seccompProfile?.type;
		if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') {
			restricted(container.name, 'no seccomp profile (RuntimeDefault)', 'Set seccompProfile.type: RuntimeDefault on the pod.');
		}

		if (own.readOnlyRootFilesystem !== true) {
			findings.push({
				severity: 'warning',
				rule: 'hardening',
				object: workload.ref,
				container: container.name,
				message: "the root filesystem is writable: a compromised process can change the image's files",
				fix: 'Set readOnlyRootFilesystem: true and mount an emptyDir where the app writes (/tmp, caches).',
			});
		}

		const limits = container.resources?.limits ?? {};
		if (limits['memory'] === undefined || limits['cpu'] === undefined) {
			findings.push({
				severity: 'warning',
				rule: 'resources',
				object: workload.ref,
				container: container.name,
				message: `no ${limits['memory'] === undefined ? 'memory' : 'CPU'} limit: one leaking pod can starve the node (and minikube's small VM first)`,
				fix: 'Set resources.limits for cpu and memory (and requests).',
			});
		}
	}

	return findings;
}

export function lintObjects(objects: readonly K8sObject[], context: LintContext): Finding[] {
	const index = indexObjects(objects);
	const workloads = workloadsOf(objects);
	return [
		...workloads.flatMap(workload => checkReferences(workload, index, context)),
		...checkServices(objects, workloads),
		...workloads.flatMap(workload => checkProbes(workload)),
		...workloads.flatMap(workload => checkImages(workload, context)),
		...checkSecrets(objects, workloads, index),
		...workloads.flatMap(workload => checkSecurity(workload)),
	];
}
