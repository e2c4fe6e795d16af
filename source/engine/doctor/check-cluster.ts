// The kube contexts: every kubeconfig file, which contexts are local, and whether they answer.
import {classifyLocalContext, loadKubeconfig, probeContextVersion} from '../../adapters/kube.js';
import {type KubeContextFacts} from './types.js';
import {defineCheck} from './check.js';
import {accessWords, clusterAccess} from './cluster-access.js';

export const clusterCheck = defineCheck('cluster', 'Kubernetes contexts', 6000, async system => {
	const loaded = await loadKubeconfig(system);
	if (loaded.type === 'none') {
		return {
			status: 'missing',
			summary: 'No kubeconfig yet: no cluster has been set up for this user',
			detail: `Looked in ${loaded.files.join(', ')}.`,
			facts: {kubeconfig: loaded.files, contexts: [], currentContext: undefined, error: undefined},
		};
	}

	if (loaded.type === 'broken') {
		return {
			status: 'fail',
			summary: `The kubeconfig ${loaded.file} cannot be read`,
			detail: loaded.message,
			fix: `Repair or move ${loaded.file} (kubectl config view shows what kubectl makes of it); minikube and kind write a fresh one when they create a cluster.`,
			facts: {kubeconfig: loaded.files, contexts: [], currentContext: undefined, error: loaded.message},
		};
	}

	const {config} = loaded;
	const current = config.getCurrentContext() || undefined;
	const contexts = config.getContexts();
	// Local contexts and the current one are probed at once; remote non-current ones are left alone.
	const probed = await Promise.all(
		contexts.map(async (context): Promise<KubeContextFacts> => {
			const cluster = config.getCluster(context.cluster);
			const local = classifyLocalContext(context.name, context.cluster);
			const isCurrent = context.name === current;
			const base = {name: context.name, cluster: context.cluster, server: cluster?.server, local, current: isCurrent};
			if (!local && !isCurrent) {
				return {...base, reachable: undefined, serverVersion: undefined, error: undefined};
			}

			const probe = await probeContextVersion(config, context.name, 3000);
			return probe.reachable
				? {...base, reachable: true, serverVersion: probe.gitVersion, error: undefined}
				: {...base, reachable: false, serverVersion: undefined, error: probe.error};
		}),
	);
	const facts = {kubeconfig: loaded.files, contexts: probed, currentContext: current, error: undefined};
	if (probed.length === 0) {
		return {status: 'missing', summary: `${loaded.files.join(', ')} has no contexts`, facts};
	}

	const list = probed
		.map(
			context =>
				`${context.current ? '* ' : ''}${context.name}${context.local ? ` (${context.local})` : ''}: ${context.reachable === undefined ? 'not probed (remote)' : context.reachable ? `answers, Kubernetes ${context.serverVersion ?? '?'}` : (context.error ?? 'no answer')}`,
		)
		.join('\n');
	const currentFacts = probed.find(context => context.current);
	const reachableLocal = probed.filter(context => context.local && context.reachable);
	// What the user may do where deploy will write, in the context todo-deploy would use.
	const used = currentFacts?.reachable ? currentFacts : reachableLocal[0];
	const access = used ? await clusterAccess(system, used.name, config.getContextObject(used.name)?.namespace) : undefined;
	const rights = access ? accessWords(access) : undefined;
	const factsWithAccess = {
		...facts,
		access: access?.namespaces.map(entry => ({namespace: entry.namespace, missing: entry.check?.missing, rules: entry.check?.rules, note: entry.note})),
	};
	// A context that answers: its words, with what the user may do there (a warning when deploy may not write).
	const answers = (status: 'ok' | 'warn', summary: string, detail: string) => ({
		status: rights?.blocked ? ('warn' as const) : status,
		summary: `${summary}${rights?.blocked ? `; you may not deploy to the namespace ${access?.namespaces[0]?.namespace ?? ''}` : ''}`,
		detail: [detail, ...(rights?.lines ?? [])].join('\n'),
		...(rights?.fix ? {fix: rights.fix} : {}),
		facts: factsWithAccess,
	});
	if (currentFacts?.local && currentFacts.reachable) {
		return answers('ok', `Current context ${currentFacts.name} (${currentFacts.local}) answers: Kubernetes ${currentFacts.serverVersion ?? '?'}`, list);
	}

	if (reachableLocal.length > 0) {
		return answers(
			'ok',
			`Local context ${reachableLocal[0]?.name ?? ''} answers${current ? `; the current context ${current} is ${currentFacts?.local ? 'not answering' : 'not a local cluster'}` : ''}`,
			list,
		);
	}

	if (currentFacts?.reachable) {
		return answers(
			'warn',
			`Current context ${currentFacts.name} answers, but it is not a local cluster`,
			`${list}\ntodo-deploy deploys to a local cluster unless you choose another context yourself.`,
		);
	}

	return {
		status: 'warn',
		summary: current ? `Current context ${current} does not answer` : 'No context is selected',
		detail: list,
		fix:
			currentFacts?.local === 'minikube'
				? `minikube start -p ${currentFacts.cluster}`
				: currentFacts?.local === 'kind'
					? `docker start ${currentFacts.cluster.replace(/^kind-/, '')}-control-plane`
					: undefined,
		facts,
	};
});
