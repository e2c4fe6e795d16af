// A kind cluster todo-deploy creates maps the browser's addresses itself, as kind's ingress guide does
// (extraPortMappings): 127.0.0.1:PORT on this machine leads to the side's NodePort in the node, so the
// app stays reachable with todo-deploy closed. todo-deploy's chart gives each side a fixed NodePort for
// that; a port a node publishes this way is the app's own address, not a port another process took.
import type {KindPortMapping} from '../../adapters/kind-registry.js';
import type {Env} from '../../adapters/system.js';
import type {LocalCluster} from '../cluster-target.js';
import type {Addresses, BrowserSide} from './addresses.js';

/** The NodePort each side's Service gets in todo-deploy's chart (charts/todo-app: frontend.service.nodePort, backend.nodePort). */
export const nodePorts: Readonly<Record<BrowserSide, number>> = {frontend: 30_080, backend: 30_081};

export type PortMapping = {readonly side: BrowserSide; readonly containerPort: number; readonly hostPort: number};

/** What a new kind cluster's control-plane node publishes: each held address's port, to its side's NodePort. */
export function kindMappingsFor(addresses: Addresses): PortMapping[] {
	return (Object.entries(addresses) as Array<[BrowserSide, number]>).map(([side, hostPort]) => ({side, containerPort: nodePorts[side], hostPort}));
}

/** kind's config lines for them, under a node (`- role: control-plane`). */
export function extraPortMappingsYaml(mappings: readonly PortMapping[]): string[] {
	return mappings.length === 0
		? []
		: [
				'  extraPortMappings:',
				...mappings.flatMap(mapping => [
					`  # The ${mapping.side}'s NodePort, at http://localhost:${mapping.hostPort} on this machine.`,
					`  - containerPort: ${mapping.containerPort}`,
					`    hostPort: ${mapping.hostPort}`,
					'    listenAddress: "127.0.0.1"',
					'    protocol: TCP',
				]),
			];
}

/** The ports kind nodes publish here (of one cluster, or all); none when Docker does not answer in time. */
export async function publishedByKind(env: Env, cluster?: string): Promise<KindPortMapping[]> {
	// Docker's client is loaded only here: the fit and the config lines above stay light.
	const [{openDocker}, {kindPortMappings}] = await Promise.all([import('../../adapters/docker.js'), import('../../adapters/kind-registry.js')]);
	const opened = await openDocker(env, 2000);
	return opened.ok ? kindPortMappings(opened.docker, cluster).catch(() => []) : [];
}

const loopbackOrAny = new Set(['', '0.0.0.0', '127.0.0.1', '::', '::1', 'localhost']);

/** The mapping that serves this local port from inside a node, on an address the browser's localhost reaches. */
export function mappingOf(mappings: readonly KindPortMapping[], hostPort: number): KindPortMapping | undefined {
	return mappings.find(mapping => mapping.hostPort === hostPort && loopbackOrAny.has(mapping.hostIp));
}

/** A kind node publishes this port of this machine to the side's NodePort: the address is the app's own. */
export function publishesNodePort(mappings: readonly KindPortMapping[], side: BrowserSide, hostPort: number): boolean {
	return mappingOf(mappings, hostPort)?.containerPort === nodePorts[side];
}

/**
 * What keeps the frontend's address answering after a run: the kind node's port mapping (it stays),
 * or todo-deploy holding it (the live screen, todo-deploy open); on minikube, only that.
 */
export type AddressReach = 'kind-mapping' | 'held' | 'held-minikube';

export async function addressReach(env: Env, local: LocalCluster | undefined, addresses: Addresses): Promise<AddressReach> {
	if (local?.type === 'minikube') {
		return 'held-minikube';
	}

	const port = addresses.frontend;
	if (local?.type !== 'kind' || port === undefined) {
		return 'held';
	}

	return publishesNodePort(await publishedByKind(env, local.name), 'frontend', port) ? 'kind-mapping' : 'held';
}
