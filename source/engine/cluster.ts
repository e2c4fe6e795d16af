// Reaching the cluster of the command's target, with one way of saying why it cannot be reached.
import {connectCluster, ClusterError, type Cluster} from '../adapters/cluster.js';
import type {System} from '../adapters/system.js';
import {resolveClusterTarget, type ClusterChoice, type ClusterTarget} from './cluster-target.js';
import {slimObject} from './status/slim.js';

export type {Cluster} from '../adapters/cluster.js';
export type {ClusterChoice, ClusterTarget} from './cluster-target.js';
export {resolveClusterTarget} from './cluster-target.js';

const words = (error: unknown) =>
	error instanceof ClusterError ? error.message : `the cluster could not be reached: ${error instanceof Error ? error.message : String(error)}`;

/** Throws an Error whose message is for the person: what is wrong with the kubeconfig or the context. */
export async function connect(target: ClusterTarget, options: {readonly selector?: string | undefined} = {}): Promise<Cluster> {
	try {
		// The status engine's trimming: deploy's rollout and the status screen read only what it keeps.
		return await connectCluster(target, {selector: options.selector, keep: slimObject});
	} catch (error) {
		throw new Error(words(error), {cause: error});
	}
}

/** The target of a command's choice, then its cluster; throws with words for the person. */
export async function resolveAndConnect(
	system: System,
	choice: ClusterChoice,
	options: {readonly selector?: string | undefined} = {},
): Promise<{readonly target: ClusterTarget; readonly cluster: Cluster}> {
	let target: ClusterTarget;
	try {
		target = await resolveClusterTarget(system, choice);
	} catch (error) {
		throw new Error(words(error), {cause: error});
	}

	return {target, cluster: await connect(target, options)};
}
