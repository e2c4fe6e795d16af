// Putting an image where the cluster finds it: kind's nodes (only those without it), minikube's own
// Docker (or minikube image load), or a registry for a remote cluster.
import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {copyImage, dockerClient, execIn, inspectImage, pushImage, registryAuth, saveImage, type DockerClient} from '../../adapters/images.js';
import {probeRegistry, registryHasImage} from '../../adapters/registry.js';
import {addSecrets} from '../mask.js';
import {kindNodes, parseCrictlImageId, parseKindLoad} from '../../adapters/kind.js';
import {minikubeDockerEnv, type DockerEnvAnswer} from './in-place.js';
import type {System} from '../../adapters/system.js';
import type {ImagePlan, LoadStatus, LoadTarget} from './actions.js';
import {messageOf} from '../errors.js';

/** One image to put somewhere: the Docker it is in, and what to tell as it goes. */
export type LoadJob = {
	readonly system: System;
	readonly docker: DockerClient;
	readonly plan: ImagePlan;
	readonly imageId: string;
	readonly tell: (status: LoadStatus) => void;
	/** Why the image was built here and is sent, rather than built where the cluster runs. */
	readonly why?: string | undefined;
	/** minikube's docker-env, when it was already asked (whether to build in place). */
	readonly dockerEnv?: DockerEnvAnswer | undefined;
};

const notInstalled = (tool: string): LoadStatus => ({type: 'failed', message: `${tool} is not installed.`, fix: `npx todo-deploy install ${tool}`});

/** Into kind's nodes, minikube, or a registry, as the target says. */
export async function loadImage(job: LoadJob, target: LoadTarget): Promise<LoadStatus> {
	switch (target.type) {
		case 'kind': {
			// Through the cluster's local registry: only the layers it lacks travel.
			return target.registry
				? pushToRegistry(job, target.registry, `kind cluster "${target.cluster}"'s local registry ${target.registry}`)
				: loadIntoKind(job, target.cluster);
		}

		case 'minikube': {
			return loadIntoMinikube(job, target.profile);
		}

		case 'registry': {
			return pushToRegistry(job, target.registry);
		}
	}
}

async function loadIntoKind({system, docker, plan, imageId, tell}: LoadJob, cluster: string): Promise<LoadStatus> {
	const started = performance.now();
	const kind = await system.which('kind');
	if (!kind) {
		return notInstalled('kind');
	}

	const {nodes, error} = await kindNodes(system, kind, cluster, 30_000);
	if (nodes.length === 0) {
		return {
			type: 'failed',
			message: `There is no kind cluster "${cluster}"${error ? ` (${error})` : ''}.`,
			fix: `kind create cluster --name ${cluster}, or name another with --kind NAME (kind get clusters lists them)`,
		};
	}

	// As kind does: ask each node's containerd for the image ID; only a node without it needs the image.
	const present = await Promise.all(
		nodes.map(async node => {
			const answer = await execIn(docker, node, ['crictl', 'inspecti', '-o', 'json', `docker.io/library/${plan.ref}`]).catch(() => undefined);
			return answer?.exitCode === 0 && parseCrictlImageId(answer.stdout) === imageId;
		}),
	);
	if (present.every(Boolean)) {
		return {
			type: 'done',
			outcome: 'already-present',
			where: `kind cluster "${cluster}" (${nodes.length} node${nodes.length === 1 ? '' : 's'})`,
			durationMs: performance.now() - started,
			digest: undefined,
		};
	}

	tell({type: 'loading', detail: `kind load docker-image ${plan.ref} --name ${cluster}`});
	const result = await system.run(kind, ['load', 'docker-image', plan.ref, '--name', cluster], {timeoutMs: 15 * 60_000});
	const parsed = parseKindLoad(result.exitCode, `${result.stdout}\n${result.stderr}`);
	if (parsed.type === 'failed') {
		return {
			type: 'failed',
			message: `kind could not load ${plan.ref}: ${parsed.message}`,
			fix: /ctr.*images import|content digest/.test(parsed.output)
				? 'The node could not import the image (often a Docker Desktop containerd image store quirk); turn off "Use containerd for pulling and storing images" in Docker Desktop, or load with: docker save IMAGE | docker exec -i NODE ctr -n k8s.io images import -'
				: undefined,
		};
	}

	const loaded = parsed.type !== 'already-present';
	return {
		type: 'done',
		outcome: loaded ? 'loaded' : 'already-present',
		where: `kind cluster "${cluster}"`,
		durationMs: performance.now() - started,
		digest: undefined,
		// kind load sends the whole image archive to every node that lacks it.
		bytes: loaded ? ((await inspectImage(docker, plan.ref).catch(() => undefined))?.size ?? 0) * present.filter(has => !has).length : 0,
	};
}

/** minikube's GUEST_IMAGE_LOAD when it reads an image of Docker 25 or later (kubernetes/minikube#18021). */
const manifestBug = /unable to calculate manifest: blob sha256:[0-9a-f]+ not found/;

async function loadIntoMinikube({system, docker, plan, imageId, tell, why, dockerEnv}: LoadJob, profile: string): Promise<LoadStatus> {
	const started = performance.now();
	const minikube = await system.which('minikube');
	if (!minikube) {
		return notInstalled('minikube');
	}

	// With the docker runtime, minikube's own Docker answers directly: compare IDs, then stream the image across.
	const answer = dockerEnv ?? (await minikubeDockerEnv(system, minikube, profile));
	if (answer.env) {
		try {
			const inside = await dockerClient(answer.env);
			const there = await inspectImage(inside, plan.ref);
			if (there?.id === imageId) {
				return {type: 'done', outcome: 'already-present', where: `minikube profile "${profile}"`, durationMs: performance.now() - started, digest: undefined};
			}

			tell({type: 'loading', detail: `copying ${plan.ref} into minikube "${profile}"'s Docker`});
			const bytes = await copyImage(docker, inside, plan.ref);
			return {type: 'done', outcome: 'loaded', where: `minikube profile "${profile}"`, durationMs: performance.now() - started, digest: undefined, bytes, why};
		} catch (error) {
			return {
				type: 'failed',
				message: `minikube "${profile}"'s Docker did not take ${plan.ref}: ${messageOf(error)}`,
				fix: `Is the profile running? minikube -p ${profile} status (start it: minikube -p ${profile} start)`,
			};
		}
	}

	if (/not running|does not exist|not found|Profile ".*" not found/i.test(answer.output)) {
		return {
			type: 'failed',
			message: `minikube profile "${profile}" is not running: ${answer.output.split('\n').at(-1) ?? ''}`,
			fix: `minikube -p ${profile} start --driver=docker`,
		};
	}

	// Another container runtime: minikube copies the image itself.
	tell({type: 'loading', detail: `minikube -p ${profile} image load ${plan.ref}`});
	let result = await system.run(minikube, ['-p', profile, 'image', 'load', plan.ref], {timeoutMs: 15 * 60_000});
	let how = why;
	// minikube 1.32 cannot read an image from Docker 25 or later (kubernetes/minikube#18021); from an archive it can.
	if (result.exitCode !== 0 && manifestBug.test(`${result.stderr}\n${result.stdout}`)) {
		tell({type: 'loading', detail: `minikube could not read ${plan.ref} from Docker; sending it as an archive`});
		const dir = await mkdtemp(path.join(os.tmpdir(), 'todo-deploy-image-'));
		try {
			const archive = path.join(dir, 'image.tar');
			await saveImage(docker, plan.ref, archive);
			result = await system.run(minikube, ['-p', profile, 'image', 'load', archive], {timeoutMs: 15 * 60_000});
			how = `${why ? `${why}; ` : ''}sent as an archive: minikube's image load could not read it from Docker (GUEST_IMAGE_LOAD "unable to calculate manifest", kubernetes/minikube#18021; a newer minikube reads it)`;
		} finally {
			await rm(dir, {recursive: true, force: true});
		}
	}

	if (result.exitCode !== 0) {
		const said = (result.stderr || result.stdout).trim();
		return {
			type: 'failed',
			message: `minikube could not load ${plan.ref}: ${
				said
					.split('\n')
					.find(line => /Exiting due to/.test(line))
					?.trim() ??
				said.split('\n').at(-1) ??
				''
			}`,
			fix: manifestBug.test(said)
				? `minikube's image load cannot read images from this Docker (kubernetes/minikube#18021): upgrade minikube, or load an archive yourself: docker save ${plan.ref} -o image.tar && minikube -p ${profile} image load image.tar`
				: `minikube -p ${profile} status shows whether the profile runs; minikube logs --file=logs.txt says why it refused.`,
		};
	}

	return {type: 'done', outcome: 'loaded', where: `minikube profile "${profile}"`, durationMs: performance.now() - started, digest: undefined, why: how};
}

async function pushToRegistry({system, docker, plan, tell}: LoadJob, registry: string, where?: string): Promise<LoadStatus> {
	const started = performance.now();
	const host = registry.split('/')[0] ?? registry;
	const {auth, helper, problem} = await registryAuth(system.env, system.homedir, host);
	addSecrets([auth?.password, auth?.identitytoken]);
	if (problem && helper) {
		// The docker CLI would ask the helper; without its answer the push would be refused after a minute of retries.
		return {
			type: 'failed',
			message: `Not pushed: ${problem}.`,
			fix: /not on PATH/.test(problem) ? `Put docker-credential-${helper} on PATH, or log in again without it: docker login ${host}` : `docker login ${host}`,
		};
	}
	const target = `${registry.replace(/\/$/, '')}/${plan.repository}:${plan.tag}`;
	tell({type: 'loading', detail: `asking ${host}/v2/`});
	const reachable = await probeRegistry(host);
	if (reachable.type !== 'answers') {
		return {
			type: 'failed',
			message: `Not pushed: ${reachable.message}.`,
			fix:
				reachable.type === 'silent'
					? `Restart the registry at ${host}, or check --registry.`
					: `Start the registry at ${host}, or check --registry (host:port/namespace).`,
		};
	}

	// Tags are content tags: a registry that has this one has this image, and nothing needs to travel.
	const repository = target.slice(host.length + 1, target.lastIndexOf(':'));
	if (reachable.scheme === 'http' && (await registryHasImage(host, repository, plan.tag))) {
		return {type: 'done', outcome: 'already-present', where: where ?? target, durationMs: performance.now() - started, digest: undefined, bytes: 0};
	}

	try {
		tell({type: 'loading', detail: `pushing ${target}`});
		const pushed = await pushImage(docker, plan.ref, target, auth, line => tell({type: 'loading', detail: line}));
		return {type: 'done', outcome: 'pushed', where: where ?? target, durationMs: performance.now() - started, digest: pushed.digest, bytes: pushed.bytes};
	} catch (error) {
		const message = messageOf(error);
		const denied = /denied|unauthorized|authentication required/i.test(message);
		return {
			type: 'failed',
			message: `Pushing ${target} failed: ${message}`,
			fix: denied ? `docker login ${host}` : undefined,
		};
	}
}
