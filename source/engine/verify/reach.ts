// How verify reaches a Service of the release from this machine: the address given, minikube's
// service URL, or kubectl port-forward (stopped when verify ends).
import {minikubeServiceUrl, portForward, type Forward} from '../../adapters/port-forward.js';
import type {System} from '../../adapters/system.js';
import type {ClusterTarget} from '../cluster-target.js';

export type Reached = {readonly url: string; readonly via: string; readonly stop: () => void};

export async function reachService(
	system: System,
	where: {
		readonly service: string;
		readonly port: number;
		/** The cluster; undefined only when an address is given. */
		readonly cluster: ClusterTarget | undefined;
		readonly url: string | undefined;
	},
): Promise<Reached> {
	if (where.url) {
		return {url: where.url, via: '--url', stop() {}};
	}

	const {cluster} = where;
	if (!cluster) {
		throw new Error('there is no cluster to reach it in: give its address (--url)');
	}

	if (cluster.local?.type === 'minikube') {
		const url = await minikubeServiceUrl(system, {profile: cluster.local.profile, namespace: cluster.namespace, service: where.service});
		if (url) {
			return {url, via: `minikube service ${where.service} --url`, stop() {}};
		}
	}

	const forward: Forward = await portForward(system, {target: cluster, resource: `service/${where.service}`, port: where.port, timeoutMs: 20_000});
	return {url: forward.url, via: `kubectl port-forward service/${where.service}`, stop: () => forward.stop()};
}
