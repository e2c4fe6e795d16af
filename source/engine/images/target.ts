// Where `load` puts the images: a flag names it, or the current kube context tells.
import {classifyLocalContext, loadKubeconfig} from '../../adapters/kube.js';
import type {System} from '../../adapters/system.js';
import type {LoadTarget} from './actions.js';

export type TargetFlags = {
	readonly kind?: string | undefined;
	readonly minikube?: string | undefined;
	readonly registry?: string | undefined;
	readonly context?: string | undefined;
};

export type ResolvedTarget = {readonly target: LoadTarget | undefined; readonly why: string};

export async function resolveLoadTarget(system: System, flags: TargetFlags): Promise<ResolvedTarget> {
	if (flags.kind) {
		return {target: {type: 'kind', cluster: flags.kind}, why: '--kind'};
	}

	if (flags.minikube) {
		return {target: {type: 'minikube', profile: flags.minikube}, why: '--minikube'};
	}

	if (flags.registry) {
		return {target: {type: 'registry', registry: flags.registry.replace(/\/$/, '')}, why: '--registry'};
	}

	const loaded = await loadKubeconfig(system);
	if (loaded.type !== 'loaded') {
		return {
			target: undefined,
			why: loaded.type === 'broken' ? `the kubeconfig ${loaded.file} is broken (${loaded.message})` : 'there is no kubeconfig, so no cluster',
		};
	}

	const contextName = flags.context ?? loaded.config.getCurrentContext();
	const context = loaded.config.getContextObject(contextName);
	if (!context) {
		return {target: undefined, why: contextName ? `the context "${contextName}" is not in the kubeconfig` : 'the kubeconfig has no current context'};
	}

	const kind = classifyLocalContext(context.name, context.cluster);
	if (kind === 'kind') {
		return {target: {type: 'kind', cluster: context.name.replace(/^kind-/, '')}, why: `the context "${context.name}"`};
	}

	if (kind === 'minikube') {
		return {target: {type: 'minikube', profile: context.name}, why: `the context "${context.name}"`};
	}

	return {
		target: undefined,
		why: `the context "${context.name}" is neither minikube nor kind, so its nodes cannot be loaded directly; push to a registry it pulls from: --registry HOST/NAMESPACE`,
	};
}
