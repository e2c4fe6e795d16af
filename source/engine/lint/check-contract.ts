// Does each pod get what its code reads? The chart against the app's contract: a setting the code
// needs that the pod does not get (by env, or a ConfigMap or Secret it takes whole) is found here, with
// what the code would do instead; at runtime it is silent.
import type {EnvUse, ServiceContract, Side} from '../project/contract.js';
import type {AppContract} from '../project/read-contract.js';
import {allContainers, type Finding, type Index} from './finding.js';
import type {Container, Workload} from './objects.js';

const sideWords: Readonly<Record<Side, RegExp>> = {
	backend: /(backend|api|server)/i,
	frontend: /(frontend|web|ui|next|client)/i,
};

/** The workload that runs a side: by its component label or name, else by the port the app listens on. */
export function workloadOf(side: Side, workloads: readonly Workload[], service: ServiceContract): Workload | undefined {
	const running = workloads.filter(workload => !workload.hook);
	const named = running.find(workload => sideWords[side].test(workload.labels['app.kubernetes.io/component'] ?? workload.ref));
	return named ?? running.find(workload => allContainers(workload).some(container => container.ports?.some(port => port.containerPort === service.port)));
}

/** The names a container gets: its env, and every key of what it takes whole (an outside Secret gives any name). */
function namesOf(container: Container, index: Index, external: ReadonlySet<string>): {names: Set<string>; anyFrom: string | undefined} {
	const names = new Set((container.env ?? []).map(variable => variable.name));
	let anyFrom: string | undefined;
	for (const source of container.envFrom ?? []) {
		const configMap = source.configMapRef?.name;
		const secret = source.secretRef?.name;
		for (const key of (configMap ? index.configMaps.get(configMap)?.keys() : undefined) ?? []) {
			names.add(key);
		}

		for (const key of (secret ? index.secrets.get(secret)?.keys() : undefined) ?? []) {
			names.add(key);
		}

		if (secret && !index.secrets.has(secret) && external.has(secret)) {
			anyFrom = `Secret ${secret}`;
		}
	}

	return {names, anyFrom};
}

const instead = (entry: EnvUse): string => {
	switch (entry.kind) {
		case 'secret': {
			return entry.required ? 'it will not start' : 'the code runs on its built-in development fallback, which anyone can read in the source';
		}

		case 'database-url': {
			return entry.fallback ? `the code falls back to ${entry.fallback}, so the data stays inside the pod and is lost on restart` : 'it will not start';
		}

		case 'service-url': {
			return entry.fallback ? `the code falls back to ${entry.fallback}, which inside a pod is the pod itself` : 'the code has no address for it';
		}

		default: {
			return entry.fallback ? `the code falls back to ${entry.fallback}` : 'the code has no value for it';
		}
	}
};

/** An address that, inside a pod, is the pod itself. */
const onThisHost = (address: string) => /^\w+:\/\/(localhost|127(?:\.\d{1,3}){3}|0\.0\.0\.0|\[::1?\])(?::\d+)?(?:\/|$)/i.test(address);

export function checkContract(contract: AppContract | undefined, workloads: readonly Workload[], index: Index, external: ReadonlySet<string>): Finding[] {
	if (!contract) {
		return [];
	}

	const findings: Finding[] = [];
	for (const side of ['backend', 'frontend'] as const) {
		const service = contract[side];
		const workload = service ? workloadOf(side, workloads, service) : undefined;
		const container = workload?.spec.containers?.[0];
		if (!service || !workload || !container) {
			continue;
		}

		// The image's own start command, read from its Dockerfile: a warning, as the image is not built yet.
		for (const problem of service.startProblems ?? []) {
			findings.push({severity: 'warning', rule: 'start', object: workload.ref, container: container.name, message: problem.message, fix: problem.fix});
		}

		const {names, anyFrom} = namesOf(container, index, external);
		// Baked in at build time: the pod's environment does not reach it.
		const needed = service.env.filter(entry => entry.kind !== 'build-time' && (entry.kind !== 'plain' || entry.required));
		for (const entry of needed) {
			if (names.has(entry.name) || anyFrom) {
				continue;
			}

			// A service address that falls back to a public one (a hosted API's own URL) works from a pod as it is.
			if (entry.kind === 'service-url' && entry.fallback && !onThisHost(entry.fallback)) {
				continue;
			}

			const serious = entry.required || entry.kind === 'secret' || entry.kind === 'database-url';
			findings.push({
				severity: serious ? 'error' : 'warning',
				rule: 'contract',
				object: workload.ref,
				container: container.name,
				message: `the ${side} reads ${entry.name} (${entry.from[0] ?? 'its code'}), and the pod does not get it: ${instead(entry)}`,
				fix: `Give the container ${entry.name} (${entry.kind === 'secret' || entry.kind === 'database-url' ? 'from the Secret' : 'in its env or ConfigMap'}), or deploy todo-deploy's chart fitted to the app: --chart builtin.`,
			});
		}
	}

	return findings;
}
