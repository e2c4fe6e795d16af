// Reaching the cluster of a kube context, with one way of saying why it cannot be reached.
import {connectCluster, ClusterError, type Cluster, type ClusterTarget} from '../adapters/cluster.js';
import type {System} from '../adapters/system.js';
import {slimObject} from './status/slim.js';

export type {Cluster, ClusterTarget} from '../adapters/cluster.js';

/** Throws an Error whose message is for the person: what is wrong with the kubeconfig or the context. */
export async function connect(system: System, target: ClusterTarget): Promise<Cluster> {
	try {
		// The status engine's trimming: deploy's rollout and the status screen read only what it keeps.
		return await connectCluster(system, target, {keep: slimObject});
	} catch (error) {
		throw new Error(
			error instanceof ClusterError ? error.message : `the cluster could not be reached: ${error instanceof Error ? error.message : String(error)}`,
			{cause: error},
		);
	}
}
