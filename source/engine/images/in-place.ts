// Building where the cluster runs. minikube with the docker runtime has its own Docker engine (what
// `minikube docker-env` points at); an image built there is already where the kubelet looks, so a
// changed line costs a cached build and nothing travels. Where that engine cannot build (another
// runtime, an engine too old, a profile that does not answer), the image is built here and copied,
// and the reason is said.
import {readFile} from 'node:fs/promises';
import {copyImage, dockerClient, inspectImage, type DockerClient} from '../../adapters/images.js';
import {parseDockerEnv} from '../../adapters/minikube.js';
import type {Env, System} from '../../adapters/system.js';
import {messageOf} from '../errors.js';
import {readDockerfile} from '../project/dockerfile.js';

/** An engine the cluster's nodes use directly: what is built there needs no transfer. */
export type InPlace = {
	readonly docker: DockerClient;
	/** DOCKER_HOST and the rest, for tools that read the engine from the environment (Trivy). */
	readonly env: Readonly<Record<string, string>>;
	/** 'minikube profile "todo"' */
	readonly where: string;
	/** Base images being copied in this run, so two builds on one base copy it once. */
	readonly copies: Map<string, Promise<number>>;
};

/** What `minikube docker-env` answered: the engine's environment, or its output saying why there is none. */
export type DockerEnvAnswer = {readonly env: Record<string, string>} | {readonly env: undefined; readonly output: string};

/** copy: why not in place, and docker-env's answer when it was asked (the copy uses it rather than asking again). */
export type InPlaceChoice =
	{readonly type: 'in-place'; readonly inPlace: InPlace} | {readonly type: 'copy'; readonly why: string; readonly dockerEnv?: DockerEnvAnswer | undefined};

/** The Docker API version minikube's engine must speak to be built on (Docker 19.03, multi-stage and build args as the chart's images use them). */
const minimumApi = [1, 40] as const;

function apiAtLeast(version: string | undefined): boolean {
	const [major = 0, minor = 0] = (version ?? '').split('.').map(Number);
	return major > minimumApi[0] || (major === minimumApi[0] && minor >= minimumApi[1]);
}

/** minikube's docker-env, or why there is none (a profile that is not running says so). */
export async function minikubeDockerEnv(system: System, minikube: string, profile: string): Promise<DockerEnvAnswer> {
	const result = await system.run(minikube, ['-p', profile, 'docker-env', '--shell', 'none'], {timeoutMs: 30_000});
	const env = result.exitCode === 0 ? parseDockerEnv(result.stdout) : undefined;
	return env ? {env} : {env: undefined, output: `${result.stdout}\n${result.stderr}`.trim()};
}

/** Can the images be built straight in minikube's Docker? */
export async function minikubeBuildEngine(system: System, profile: string): Promise<InPlaceChoice> {
	const minikube = await system.which('minikube');
	if (!minikube) {
		return {type: 'copy', why: 'minikube is not installed'};
	}

	const answer = await minikubeDockerEnv(system, minikube, profile);
	if (!answer.env) {
		const last = answer.output.split('\n').at(-1) ?? '';
		return {
			type: 'copy',
			dockerEnv: answer,
			why: /only compatible with the "docker" runtime|containerd|cri-o/i.test(answer.output)
				? `minikube "${profile}" does not run Docker as its container runtime`
				: `minikube -p ${profile} docker-env gave no engine${last ? ` (${last})` : ''}`,
		};
	}

	try {
		const docker = await dockerClient(answer.env as Env, 5000);
		const version = (await docker.version()) as {ApiVersion?: string; Version?: string};
		if (!apiAtLeast(version.ApiVersion)) {
			return {
				type: 'copy',
				dockerEnv: answer,
				why: `minikube "${profile}"'s Docker ${version.Version ?? '?'} (API ${version.ApiVersion ?? '?'}) is older than todo-deploy builds on`,
			};
		}

		// The timeout was for the question; a build may take minutes.
		return {
			type: 'in-place',
			inPlace: {docker: await dockerClient(answer.env as Env), env: answer.env, where: `minikube profile "${profile}"`, copies: new Map()},
		};
	} catch (error) {
		return {type: 'copy', dockerEnv: answer, why: `minikube "${profile}"'s Docker did not answer: ${messageOf(error)}`};
	}
}

/** The images a Dockerfile starts FROM, without its own stages and references built from ARGs. */
export function baseImagesOf(dockerfile: string): string[] {
	const stages = new Set<string>();
	const bases: string[] = [];
	for (const {image, stage} of readDockerfile(dockerfile).froms) {
		if (!stages.has(image.toLowerCase()) && !image.includes('$') && image !== 'scratch' && image !== '' && !bases.includes(image)) {
			bases.push(image);
		}

		if (stage) {
			stages.add(stage.toLowerCase());
		}
	}

	return bases;
}

/**
 * Base images minikube's Docker lacks and this machine has are copied across once, so the first build
 * there needs no network (minikube's engine sits behind the same proxy, often without its settings).
 * What neither has is left to the build, which pulls it. Returns the bytes sent.
 */
export async function shareBaseImages(
	local: DockerClient | undefined,
	inPlace: InPlace,
	dockerfilePath: string,
	tell: (detail: string) => void,
): Promise<number> {
	if (!local) {
		return 0;
	}

	const text = await readFile(dockerfilePath, 'utf8').catch(() => '');
	const copies = baseImagesOf(text).map(async base => {
		const earlier = inPlace.copies.get(base);
		if (earlier) {
			await earlier;
			return 0;
		}

		const copy = (async () => {
			if ((await inspectImage(inPlace.docker, base)) || !(await inspectImage(local, base).catch(() => undefined))) {
				return 0;
			}

			tell(`copying the base image ${base} into ${inPlace.where}'s Docker (once)`);
			return copyImage(local, inPlace.docker, base);
		})();
		inPlace.copies.set(base, copy);
		return copy;
	});
	return (await Promise.all(copies)).reduce((sum, bytes) => sum + bytes, 0);
}
