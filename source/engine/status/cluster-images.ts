// Which images the local cluster has, so that an image the pods cannot pull (or may not pull) is
// diagnosed against what was really loaded: kind's nodes are asked through crictl (as kind does),
// minikube through its own Docker (docker-env) or `minikube image ls`.
import {kindNodes, parseCrictlImages} from '../../adapters/kind.js';
import {parseDockerEnv} from '../../adapters/minikube.js';
import type {System} from '../../adapters/system.js';
import type {LocalImages} from '../../diagnose/pod.js';
import type {LoadTarget} from '../images/actions.js';
import type {ClusterTarget} from '../cluster-target.js';
import {loadTargetOf} from '../images/target.js';

/** Every name a pod may use for the same image: docker.io/library/x:1 is also docker.io/x:1 and x:1. */
export function imageNames(references: readonly string[]): Set<string> {
	const names = new Set<string>();
	for (const reference of references) {
		names.add(reference);
		const short = reference.replace(/^docker\.io\//, '');
		names.add(short);
		names.add(short.replace(/^library\//, ''));
	}

	return names;
}

export type ClusterImages = () => Promise<LocalImages | undefined>;

/** The same, for the cluster a command talks to, as `load` finds it. */
export function clusterImagesOf(system: System, cluster: ClusterTarget): ClusterImages | undefined {
	return clusterImages(system, loadTargetOf(cluster)?.target);
}

/** Each kind node's `crictl images`, as kind checks them; an image counts when every node has it. */
async function kindImages(system: System, kind: string, cluster: string): Promise<LocalImages | undefined> {
	const {nodes} = await kindNodes(system, kind, cluster, 15_000);
	if (nodes.length === 0) {
		return undefined;
	}

	// dockerode loads only when a pod waits for an image.
	const {dockerClient, execIn} = await import('../../adapters/images.js');
	const docker = await dockerClient(system.env, 15_000);
	const listed = await Promise.all(
		nodes.map(async node => {
			const answer = await execIn(docker, node, ['crictl', 'images', '-o', 'json']).catch(() => undefined);
			return answer?.exitCode === 0 ? parseCrictlImages(answer.stdout) : undefined;
		}),
	);
	if (listed.some(images => images === undefined)) {
		return undefined;
	}

	// A pod may land on any node.
	const [first = [], ...others] = listed as string[][];
	const everywhere = first.filter(reference => others.every(images => images.includes(reference)));
	return {cluster: `kind cluster "${cluster}"`, images: imageNames(everywhere), loadCommand: `kind load docker-image IMAGE --name ${cluster}`};
}

/** minikube's own Docker (with the docker runtime), else `minikube image ls`. */
async function minikubeImages(system: System, minikube: string, profile: string): Promise<LocalImages | undefined> {
	const found = (references: readonly string[]) => ({
		cluster: `minikube profile "${profile}"`,
		images: imageNames(references),
		loadCommand: `minikube -p ${profile} image load IMAGE`,
	});
	const environment = await system.run(minikube, ['-p', profile, 'docker-env', '--shell', 'none'], {timeoutMs: 30_000});
	const dockerEnv = environment.exitCode === 0 ? parseDockerEnv(environment.stdout) : undefined;
	if (dockerEnv) {
		const {dockerClient, imageTags} = await import('../../adapters/images.js');
		return found(await imageTags(await dockerClient(dockerEnv, 15_000)));
	}

	const listed = await system.run(minikube, ['-p', profile, 'image', 'ls'], {timeoutMs: 60_000});
	return listed.exitCode === 0
		? found(
				listed.stdout
					.split('\n')
					.map(line => line.trim())
					.filter(Boolean),
			)
		: undefined;
}

/** How to list a kind cluster's or minikube profile's images; undefined for other clusters (they pull from registries). */
export function clusterImages(system: System, target: LoadTarget | undefined): ClusterImages | undefined {
	if (target?.type !== 'kind' && target?.type !== 'minikube') {
		return undefined;
	}

	return async () => {
		const tool = await system.which(target.type);
		if (!tool) {
			return undefined;
		}

		return target.type === 'kind' ? kindImages(system, tool, target.cluster) : minikubeImages(system, tool, target.profile);
	};
}
