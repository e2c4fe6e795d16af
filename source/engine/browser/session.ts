// A release's browser addresses held for as long as a command runs (todo-deploy open, the live status
// screen, the end of up --open): the project's kept ports, the release's Services found in the cluster,
// and this process marked as their holder, so a build meanwhile keeps the same ports.
import type {V1Service} from '@kubernetes/client-node';
import type {Cluster} from '../../adapters/cluster.js';
import {readReleaseScope} from '../cluster.js';
import {instanceScope} from '../deploy/release-scope.js';
import type {System} from '../../adapters/system.js';
import type {ClusterTarget} from '../cluster-target.js';
import type {AppContract} from '../project/read-contract.js';
import {markHolding, recordedAddresses, urlOf, type BrowserSide} from './addresses.js';
import {heldSides, holdAddresses, type HeldAddress} from './hold.js';

export type AddressesHeld = {
	/** Each side's address and its state now. */
	readonly addresses: () => readonly HeldAddress[];
	/** Sides the release has no Service for (not deployed, or a chart that names them otherwise). */
	readonly missing: readonly BrowserSide[];
	stop(): Promise<void>;
};

export type AddressRequest = {
	readonly root: string;
	readonly contract: AppContract;
	readonly release: string;
};

/** The Services the release made (from its manifest), or those with its instance label when the manifest cannot be read. */
export async function releaseServices(cluster: Pick<Cluster, 'services' | 'releaseManifest'>, release: string): Promise<V1Service[]> {
	const {scope} = await readReleaseScope(cluster, release);
	if (!scope) {
		return cluster.services(instanceScope(release).selector);
	}

	const names = new Set(scope.services);
	return (await cluster.services()).filter(service => names.has(service.metadata?.name ?? ''));
}

export async function holdReleaseAddresses(
	system: System,
	cluster: Pick<Cluster, 'services' | 'serviceBackends' | 'releaseManifest'>,
	target: ClusterTarget,
	request: AddressRequest,
	onChange: (addresses: readonly HeldAddress[]) => void,
): Promise<AddressesHeld> {
	const wanted = await recordedAddresses(request.root, request.contract);
	const services = await releaseServices(cluster, request.release);
	const {sides, missing} = heldSides(services, wanted);
	const unmark = await markHolding(request.root);
	const holding = await holdAddresses(system, cluster, target, sides, onChange);
	return {
		addresses: holding.addresses,
		missing,
		async stop() {
			await holding.stop();
			await unmark();
		},
	};
}

/** {"frontend": "http://localhost:3000", …}: what --json and the report give. */
export function urlsOf(addresses: readonly HeldAddress[]): Partial<Record<BrowserSide, string>> {
	return Object.fromEntries(addresses.map(address => [address.side, address.url]));
}

export const everyAddressUp = (addresses: readonly HeldAddress[]) => addresses.length > 0 && addresses.every(address => address.hold.state === 'up');

export {urlOf};
