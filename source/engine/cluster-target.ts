// The cluster a command talks to, resolved once at its start (Skaffold's RunContext): the kubeconfig
// files, the context, its server, the namespace, and which kind of local cluster it is. Every adapter
// that talks to the cluster (the API, helm, kubectl, the kind and minikube loaders) takes this target
// and reads nothing of its own: a new cluster-scoped option is its flag and a line here.
import type {KubeConfig} from '@kubernetes/client-node/dist/config.js';
import {classifyLocalContext, loadKubeconfig} from '../adapters/kube.js';
import {ClusterError} from '../adapters/kube-rest.js';
import type {System} from '../adapters/system.js';

export {ClusterError} from '../adapters/kube-rest.js';

/** What the command line says about the cluster (every field a cluster-scoped flag). */
export type ClusterChoice = {
	/** --context: the kube context (default: the kubeconfig's current one). */
	readonly context?: string | undefined;
	readonly namespace: string;
	/** --kubeconfig: this file instead of $KUBECONFIG or ~/.kube/config. */
	readonly kubeconfig?: string | undefined;
	/** --kind NAME: its context is kind-NAME. */
	readonly kind?: string | undefined;
	/** --minikube PROFILE: its context is the profile's name. */
	readonly minikube?: string | undefined;
};

/** The context the choice names: --context, else the one --kind or --minikube implies; undefined: the current one. */
export function chosenContext(choice: ClusterChoice): string | undefined {
	return choice.context ?? (choice.kind ? `kind-${choice.kind}` : choice.minikube);
}

/** A local cluster whose nodes take images from this machine (kind, minikube), or another local one. */
export type LocalCluster =
	| {readonly type: 'kind'; readonly name: string}
	| {readonly type: 'minikube'; readonly profile: string}
	| {readonly type: 'docker-desktop' | 'k3d' | 'rancher-desktop'};

export type ClusterTarget = {
	/** The kubeconfig files read, merged as kubectl merges them. */
	readonly files: readonly string[];
	readonly config: KubeConfig;
	readonly context: string;
	readonly server: string;
	readonly namespace: string;
	readonly local: LocalCluster | undefined;
	/** What helm and kubectl are given to talk to exactly this cluster. */
	readonly helmArgs: readonly string[];
	readonly kubectlArgs: readonly string[];
};

function localCluster(context: string, cluster: string, choice: ClusterChoice): LocalCluster | undefined {
	if (choice.minikube && context === choice.minikube) {
		return {type: 'minikube', profile: choice.minikube};
	}

	const kind = classifyLocalContext(context, cluster);
	switch (kind) {
		case 'kind': {
			return {type: 'kind', name: context.replace(/^kind-/, '')};
		}

		case 'minikube': {
			return {type: 'minikube', profile: context};
		}

		case null: {
			return undefined;
		}

		default: {
			return {type: kind};
		}
	}
}

/** Throws a ClusterError whose message says what is wrong with the kubeconfig or the context, and what to do. */
export async function resolveClusterTarget(system: System, choice: ClusterChoice): Promise<ClusterTarget> {
	const loaded = await loadKubeconfig(system, choice.kubeconfig ? [choice.kubeconfig] : undefined);
	if (loaded.type === 'none') {
		throw new ClusterError(
			choice.kubeconfig
				? `the kubeconfig ${choice.kubeconfig} (--kubeconfig) does not exist`
				: `no kubeconfig (looked in ${loaded.files.join(', ')}): start a cluster first (todo-deploy doctor says how)`,
		);
	}

	if (loaded.type === 'broken') {
		throw new ClusterError(`the kubeconfig ${loaded.file} cannot be read: ${loaded.message}`);
	}

	const {config} = loaded;
	const names = config.getContexts().map(context => context.name);
	const named = chosenContext(choice);
	const name = named ?? config.getCurrentContext();
	if (named && !config.getContextObject(named)) {
		throw new ClusterError(`no context "${named}" in the kubeconfig (it has ${names.join(', ') || 'none'})`);
	}

	const context = name ? config.getContextObject(name) : null;
	if (!context) {
		throw new ClusterError(
			`the kubeconfig has no current context${name ? ` ("${name}" is not one of its contexts)` : ''}: choose one with kubectl config use-context NAME${names.length > 0 ? ` (it has ${names.join(', ')})` : ', or start a cluster (todo-deploy doctor says how)'}`,
		);
	}

	const server = config.getCluster(context.cluster)?.server ?? '';
	if (!server) {
		throw new ClusterError(
			`the context "${context.name}" names no cluster with a server address in the kubeconfig: fix the kubeconfig, or start a cluster (todo-deploy doctor says how)`,
		);
	}

	const file = choice.kubeconfig ? ['--kubeconfig', choice.kubeconfig] : [];
	return {
		files: loaded.files,
		config,
		context: context.name,
		server,
		namespace: choice.namespace,
		local: localCluster(context.name, context.cluster, choice),
		helmArgs: [...file, '--kube-context', context.name],
		kubectlArgs: [...file, '--context', context.name],
	};
}
