// The rendered chart as objects, with the pod templates and containers the checks walk.

export type K8sObject = {
	readonly apiVersion?: string;
	readonly kind?: string;
	readonly metadata?: {
		readonly name?: string;
		readonly namespace?: string;
		readonly labels?: Record<string, string>;
		readonly annotations?: Record<string, string>;
	};
	readonly [key: string]: unknown;
};

export type Probe = {
	readonly httpGet?: {readonly port?: number | string; readonly path?: string};
	readonly tcpSocket?: {readonly port?: number | string};
	readonly grpc?: {readonly port?: number};
	readonly exec?: unknown;
	readonly timeoutSeconds?: number;
};

export type EnvVar = {
	readonly name: string;
	readonly value?: string;
	readonly valueFrom?: {
		readonly configMapKeyRef?: {readonly name?: string; readonly key?: string; readonly optional?: boolean};
		readonly secretKeyRef?: {readonly name?: string; readonly key?: string; readonly optional?: boolean};
	};
};

export type SecurityContext = {
	readonly runAsNonRoot?: boolean;
	readonly runAsUser?: number;
	readonly privileged?: boolean;
	readonly allowPrivilegeEscalation?: boolean;
	readonly readOnlyRootFilesystem?: boolean;
	readonly capabilities?: {readonly add?: readonly string[]; readonly drop?: readonly string[]};
	readonly seccompProfile?: {readonly type?: string};
};

export type Container = {
	readonly name: string;
	readonly image?: string;
	readonly imagePullPolicy?: string;
	readonly ports?: ReadonlyArray<{readonly name?: string; readonly containerPort: number}>;
	readonly env?: readonly EnvVar[];
	readonly envFrom?: ReadonlyArray<{
		readonly configMapRef?: {readonly name?: string; readonly optional?: boolean};
		readonly secretRef?: {readonly name?: string; readonly optional?: boolean};
	}>;
	readonly livenessProbe?: Probe;
	readonly readinessProbe?: Probe;
	readonly startupProbe?: Probe;
	readonly resources?: {readonly limits?: Record<string, unknown>; readonly requests?: Record<string, unknown>};
	readonly securityContext?: SecurityContext;
};

export type Volume = {
	readonly name: string;
	readonly configMap?: {readonly name?: string; readonly optional?: boolean};
	readonly secret?: {readonly secretName?: string; readonly optional?: boolean};
	readonly persistentVolumeClaim?: {readonly claimName?: string};
	readonly hostPath?: unknown;
};

export type PodSpec = {
	readonly containers?: readonly Container[];
	readonly initContainers?: readonly Container[];
	readonly volumes?: readonly Volume[];
	readonly serviceAccountName?: string;
	readonly securityContext?: SecurityContext;
	readonly hostNetwork?: boolean;
	readonly hostPID?: boolean;
	readonly hostIPC?: boolean;
};

export type Workload = {
	readonly object: K8sObject;
	readonly ref: string;
	readonly labels: Readonly<Record<string, string>>;
	readonly spec: PodSpec;
	/** A Helm hook (a test pod): not part of the running app. */
	readonly hook: boolean;
	readonly claimTemplates: readonly string[];
};

export const refOf = (object: K8sObject) => `${object.kind ?? '?'}/${object.metadata?.name ?? '?'}`;

export function workloadsOf(objects: readonly K8sObject[]): Workload[] {
	return objects.flatMap(object => {
		const spec = object['spec'] as Record<string, unknown> | undefined;
		const hook = Boolean(object.metadata?.annotations?.['helm.sh/hook']);
		switch (object.kind) {
			case 'Pod': {
				return [{object, ref: refOf(object), labels: object.metadata?.labels ?? {}, spec: (spec ?? {}) as PodSpec, hook, claimTemplates: []}];
			}

			case 'Deployment':
			case 'StatefulSet':
			case 'DaemonSet':
			case 'ReplicaSet':
			case 'Job': {
				const template = spec?.['template'] as {metadata?: {labels?: Record<string, string>}; spec?: PodSpec} | undefined;
				const claims = ((spec?.['volumeClaimTemplates'] ?? []) as Array<{metadata?: {name?: string}}>).map(claim => claim.metadata?.name ?? '');
				return [{object, ref: refOf(object), labels: template?.metadata?.labels ?? {}, spec: template?.spec ?? {}, hook, claimTemplates: claims}];
			}

			case 'CronJob': {
				const template = (spec?.['jobTemplate'] as {spec?: {template?: {metadata?: {labels?: Record<string, string>}; spec?: PodSpec}}} | undefined)?.spec
					?.template;
				return [{object, ref: refOf(object), labels: template?.metadata?.labels ?? {}, spec: template?.spec ?? {}, hook, claimTemplates: []}];
			}

			default: {
				return [];
			}
		}
	});
}

/** A Secret's values, decoded: data is base64, stringData is as written. */
export function secretValues(object: K8sObject): Map<string, string> {
	const values = new Map<string, string>();
	for (const [key, value] of Object.entries((object['data'] ?? {}) as Record<string, unknown>)) {
		values.set(key, Buffer.from(String(value), 'base64').toString('utf8'));
	}

	for (const [key, value] of Object.entries((object['stringData'] ?? {}) as Record<string, unknown>)) {
		values.set(key, String(value));
	}

	return values;
}

export function configMapValues(object: K8sObject): Map<string, string> {
	return new Map(
		[...Object.entries((object['data'] ?? {}) as Record<string, unknown>), ...Object.entries((object['binaryData'] ?? {}) as Record<string, unknown>)].map(
			([key, value]) => [key, String(value)],
		),
	);
}
