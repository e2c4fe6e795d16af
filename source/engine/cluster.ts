// Reaching the cluster of the command's target, with one way of saying why it cannot be reached, and
// following a Helm release's own pods (found from its manifest, whatever labels its chart uses).
import {connectCluster, ClusterError, type Cluster} from '../adapters/cluster.js';
import type {System} from '../adapters/system.js';
import {resolveClusterTarget, type ClusterChoice, type ClusterTarget} from './cluster-target.js';
import {instanceScope, podScopeOf, scopeOfManifest, type ReleaseScope} from './deploy/release-scope.js';
import {slimObject} from './status/slim.js';

export type {Cluster} from '../adapters/cluster.js';
export type {ClusterChoice, ClusterTarget} from './cluster-target.js';
export {resolveClusterTarget} from './cluster-target.js';

/** The pods a command follows: a Helm release's own, the ones with these labels, or (neither) the whole namespace. */
export type PodChoice = {readonly release?: string | undefined; readonly selector?: string | undefined};

const words = (error: unknown) =>
	error instanceof ClusterError ? error.message : `the cluster could not be reached: ${error instanceof Error ? error.message : String(error)}`;

/**
 * What the release made, from the manifest Helm stored for it; undefined when there is no such release
 * here, or its storage cannot be read (a Role without get on Secrets): then why, in words.
 */
export async function readReleaseScope(
	cluster: Pick<Cluster, 'releaseManifest'>,
	release: string,
): Promise<{readonly scope: ReleaseScope | undefined; readonly why?: string}> {
	try {
		const manifest = await cluster.releaseManifest(release);
		return manifest === undefined ? {scope: undefined, why: `Helm stores no release ${release} here`} : {scope: scopeOfManifest(release, manifest)};
	} catch (error) {
		return {scope: undefined, why: `its manifest could not be read (${error instanceof Error ? error.message : String(error)})`};
	}
}

/** The cluster following the release's own workloads; by its instance label when its manifest cannot be read. */
export async function followRelease(cluster: Cluster, release: string): Promise<{readonly cluster: Cluster; readonly scope: ReleaseScope | undefined}> {
	const {scope} = await readReleaseScope(cluster, release);
	return {cluster: cluster.within(scope ? podScopeOf(scope) : instanceScope(release)), scope};
}

/** Throws an Error whose message is for the person: what is wrong with the kubeconfig or the context. */
export async function connect(target: ClusterTarget, pods: PodChoice = {}): Promise<Cluster> {
	let cluster: Cluster;
	try {
		// The status engine's trimming: deploy's rollout and the status screen read only what it keeps.
		cluster = await connectCluster(target, {scope: {selector: pods.selector}, keep: slimObject});
	} catch (error) {
		throw new Error(words(error), {cause: error});
	}

	return pods.release ? (await followRelease(cluster, pods.release)).cluster : cluster;
}

/** The target of a command's choice, then its cluster; throws with words for the person. */
export async function resolveAndConnect(
	system: System,
	choice: ClusterChoice,
	pods: PodChoice = {},
): Promise<{readonly target: ClusterTarget; readonly cluster: Cluster}> {
	let target: ClusterTarget;
	try {
		target = await resolveClusterTarget(system, choice);
	} catch (error) {
		throw new Error(words(error), {cause: error});
	}

	return {target, cluster: await connect(target, pods)};
}
