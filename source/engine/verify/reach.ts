// How verify reaches a Service of the release from this machine: the address given, minikube's
// service URL, or kubectl port-forward (stopped when verify ends).
import {minikubeServiceUrl, portForward, type Forward} from '../../adapters/port-forward.js';
import type {System} from '../../adapters/system.js';

export type Reached = {readonly url: string; readonly via: string; readonly stop: () => void};

export async function reachService(
	system: System,
	where: {
		readonly service: string;
		readonly namespace: string;
		readonly port: number;
		readonly context: string | undefined;
		readonly minikubeProfile: string | undefined;
		readonly url: string | undefined;
	},
): Promise<Reached> {
	if (where.url) {
		return {url: where.url, via: '--url', stop() {}};
	}

	if (where.minikubeProfile) {
		const url = await minikubeServiceUrl(system, {profile: where.minikubeProfile, namespace: where.namespace, service: where.service});
		if (url) {
			return {url, via: `minikube service ${where.service} --url`, stop() {}};
		}
	}

	const forward: Forward = await portForward(system, {
		namespace: where.namespace,
		target: `service/${where.service}`,
		port: where.port,
		context: where.context,
		timeoutMs: 20_000,
	});
	return {url: forward.url, via: `kubectl port-forward service/${where.service}`, stop: () => forward.stop()};
}
