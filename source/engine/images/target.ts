// Where `load` puts the images: a flag names it, or the cluster the command talks to tells.
import type {System} from '../../adapters/system.js';
import {resolveClusterTarget, type ClusterChoice, type ClusterTarget} from '../cluster-target.js';
import type {LoadTarget} from './actions.js';

export type TargetFlags = {
	readonly kind?: string | undefined;
	readonly minikube?: string | undefined;
	readonly registry?: string | undefined;
};

export type ResolvedTarget = {readonly target: LoadTarget | undefined; readonly why: string};

/** Where the images go: --kind, --minikube or --registry, else the cluster's own nodes when it is kind or minikube. */
export function resolveLoadTarget(flags: TargetFlags, cluster: ClusterTarget | undefined, unreachable?: string): ResolvedTarget {
	if (flags.kind) {
		return {target: {type: 'kind', cluster: flags.kind}, why: '--kind'};
	}

	if (flags.minikube) {
		return {target: {type: 'minikube', profile: flags.minikube}, why: '--minikube'};
	}

	if (flags.registry) {
		return {target: {type: 'registry', registry: flags.registry.replace(/\/$/, '')}, why: '--registry'};
	}

	if (!cluster) {
		return {target: undefined, why: unreachable ?? 'there is no kubeconfig, so no cluster'};
	}

	return (
		loadTargetOf(cluster) ?? {
			target: undefined,
			why: `the context "${cluster.context}" is neither minikube nor kind, so its nodes cannot be loaded directly; push to a registry it pulls from: --registry HOST/NAMESPACE`,
		}
	);
}

/** The nodes of the target's cluster, when they take images from this machine (kind, minikube). */
export function loadTargetOf(cluster: ClusterTarget): ResolvedTarget | undefined {
	const why = `the context "${cluster.context}"`;
	return cluster.local?.type === 'kind'
		? {target: {type: 'kind', cluster: cluster.local.name}, why}
		: cluster.local?.type === 'minikube'
			? {target: {type: 'minikube', profile: cluster.local.profile}, why}
			: undefined;
}

/**
 * For load: where the images go, and the cluster behind it (kind-NAME for --kind, the profile for
 * --minikube, the command's own context otherwise), resolved once; a cluster that cannot be resolved is said.
 */
export async function resolveImagesTarget(
	system: System,
	flags: TargetFlags,
	choice: ClusterChoice,
): Promise<ResolvedTarget & {readonly cluster: ClusterTarget | undefined}> {
	if (flags.registry) {
		return {...resolveLoadTarget(flags, undefined), cluster: undefined};
	}

	let cluster: ClusterTarget | undefined;
	let unreachable: string | undefined;
	try {
		cluster = await resolveClusterTarget(system, {...choice, kind: flags.kind, minikube: flags.minikube});
	} catch (error) {
		unreachable = error instanceof Error ? error.message : String(error);
	}

	return {...resolveLoadTarget(flags, cluster, unreachable), cluster};
}
