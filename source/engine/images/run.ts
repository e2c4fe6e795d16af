// Build, load and scan, for both images at once: each image is built, then loaded and scanned at
// the same time. A tag the daemon already has is not rebuilt, an image the nodes already have is
// not sent again, and a report for the same image ID is not scanned again.
import {mkdir, readFile, rename, rm, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {digestFiles, listBuildContext, packBuildContext, readDockerignore, type BuildContext} from '../../adapters/build-context.js';
import {folderRevision} from '../../adapters/git.js';
import {copyImage, dockerClient, earlierBuilds, execIn, inspectImage, pushImage, registryAuth, startBuild, type DockerClient} from '../../adapters/images.js';
import {kindNodes, parseCrictlImageId, parseKindLoad} from '../../adapters/kind.js';
import {parseDockerEnv} from '../../adapters/minikube.js';
import type {System} from '../../adapters/system.js';
import {explainTrivyFailure, parseTrivyVersion, trivyImageArgs} from '../../adapters/trivy.js';
import type {ImageSource} from '../project/discover.js';
import type {Store} from '../store.js';
import type {ImageName, ImagePlan, ImagesAction, ImageSteps, LoadStatus, LoadTarget, ScanStatus} from './actions.js';
import {applyBuildMessage, failingStepOutput, initialBuildProgress} from './build-progress.js';
import type {ImagesState} from './reducer.js';
import {parseTrivyignore, summarizeScan, type GateRule, type ScanSummary} from './scan-report.js';
import {buildArgsDigest, imageTag, type TagSource} from './tag.js';

export const repositories: Readonly<Record<ImageName, string>> = {backend: 'todo-backend', frontend: 'todo-frontend'};

export type ImagesRequest = {
	readonly root: string;
	readonly sources: Readonly<Partial<Record<ImageName, ImageSource>>>;
	readonly steps: ImageSteps;
	readonly target: LoadTarget | undefined;
	readonly buildArgs: Readonly<Record<string, string>>;
	/** Build even when the tag exists. */
	readonly rebuild: boolean;
	readonly gate: GateRule;
	readonly skipDbUpdate: boolean;
	/** Scan even when a report for the same image ID is fresh. */
	readonly rescan: boolean;
	readonly reportsDir: string;
	/** How long a cached scan report stays good (Trivy's database changes every few hours). */
	readonly scanMaxAgeMs?: number;
	readonly signal?: AbortSignal | undefined;
};

type Dispatch = Store<ImagesState, ImagesAction>['dispatch'];

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Where the image comes from: a commit and the uncommitted changes, or the files themselves. */
async function tagSource(system: System, context: BuildContext, dockerfile: string): Promise<TagSource> {
	const revision = await folderRevision(system, context.dir);
	if (!revision) {
		const files = context.entries.filter(entry => entry.type !== 'directory').map(entry => entry.name);
		return {type: 'files', digest: await digestFiles(context.dir, files)};
	}

	// Changes to files the build never sees (.dockerignore) do not change the image.
	const matcher = await readDockerignore(context.dir, dockerfile);
	const relevant = revision.changed.filter(file => file === dockerfile || !matcher.ignores(file));
	return {type: 'git', commit: revision.commit, changesDigest: relevant.length > 0 ? await digestFiles(context.dir, relevant) : undefined};
}

export async function planImage(
	system: System,
	root: string,
	name: ImageName,
	source: ImageSource,
	buildArgs: Readonly<Record<string, string>>,
): Promise<{plan: ImagePlan; context: BuildContext}> {
	const dir = path.resolve(root, source.context);
	const context = await listBuildContext(dir, source.dockerfile);
	const from = await tagSource(system, context, source.dockerfile);
	const tag = imageTag(from, buildArgsDigest(buildArgs, source.dockerfile));
	const repository = repositories[name];
	return {
		plan: {
			name,
			ref: `${repository}:${tag}`,
			repository,
			tag,
			context: dir,
			dockerfile: source.dockerfile,
			commit: from.type === 'git' ? from.commit : undefined,
			contextBytes: context.bytes,
			ignoredFiles: context.ignored.files,
			ignoredBytes: context.ignored.bytes,
		},
		context,
	};
}

function buildFix(message: string, plan: ImagePlan, step: string | undefined): string | undefined {
	const file = path.join(plan.context, plan.dockerfile);
	if (/returned a non-zero code/.test(message)) {
		return `Fix ${step ? `"${step.replace(/^Step \d+\/\d+ : /, '')}"` : 'the failing step'} in ${file}; the lines above are its output.`;
	}

	if (/pull access denied|manifest unknown|not found: manifest|repository does not exist|no such host|dial tcp/.test(message)) {
		return `The base image in ${file} is not on this machine and could not be pulled: pull it where there is network (docker pull), or change FROM.`;
	}

	if (/COPY failed|ADD failed|no such file or directory/.test(message)) {
		return `A file the Dockerfile copies is missing from the build folder ${plan.context}, or .dockerignore leaves it out.`;
	}

	return undefined;
}

async function buildImage(docker: DockerClient, dispatch: Dispatch, plan: ImagePlan, context: BuildContext, request: ImagesRequest): Promise<boolean> {
	const started = performance.now();
	const name = plan.name;
	if (!request.rebuild) {
		const existing = await inspectImage(docker, plan.ref);
		if (existing) {
			dispatch({
				type: 'images/build',
				name,
				status: {type: 'done', outcome: 'up-to-date', id: existing.id, size: existing.size, durationMs: performance.now() - started, steps: 0, cached: 0},
			});
			return true;
		}
	}

	let progress = initialBuildProgress;
	const building = () =>
		dispatch({type: 'images/build', name, status: {type: 'building', progress, contextBytes: context.bytes, ignoredFiles: context.ignored.files}});
	building();
	try {
		const cacheFrom = await earlierBuilds(docker, plan.repository);
		const messages = await startBuild(docker, {
			cacheFrom,
			context: packBuildContext(context),
			tag: plan.ref,
			dockerfile: plan.dockerfile,
			buildArgs: request.buildArgs,
			labels: {
				'org.opencontainers.image.title': plan.repository,
				...(plan.commit ? {'org.opencontainers.image.revision': plan.commit} : {}),
				'dev.todo-deploy.tag': plan.tag,
			},
			signal: request.signal,
		});
		for await (const message of messages) {
			progress = applyBuildMessage(progress, message);
			building();
		}
	} catch (error) {
		const message = request.signal?.aborted ? 'cancelled' : messageOf(error);
		dispatch({
			type: 'images/build',
			name,
			status: {
				type: 'failed',
				message,
				step: progress.instruction ? `Step ${progress.step}/${progress.steps} : ${progress.instruction}` : undefined,
				output: failingStepOutput(progress),
				fix: request.signal?.aborted ? undefined : buildFix(message, plan, undefined),
			},
		});
		return false;
	}

	if (progress.error !== undefined || progress.imageId === undefined) {
		const message = progress.error ?? 'the daemon ended the build without an image';
		const step = progress.step > 0 ? `Step ${progress.step}/${progress.steps} : ${progress.instruction}` : undefined;
		dispatch({type: 'images/build', name, status: {type: 'failed', message, step, output: failingStepOutput(progress), fix: buildFix(message, plan, step)}});
		return false;
	}

	const built = await inspectImage(docker, plan.ref);
	dispatch({
		type: 'images/build',
		name,
		status: {
			type: 'done',
			outcome: 'built',
			id: built?.id ?? progress.imageId,
			size: built?.size ?? 0,
			durationMs: performance.now() - started,
			steps: progress.steps,
			cached: progress.cached,
		},
	});
	return true;
}

async function loadIntoKind(
	system: System,
	docker: DockerClient,
	plan: ImagePlan,
	imageId: string,
	cluster: string,
	report: (status: LoadStatus) => void,
): Promise<LoadStatus> {
	const started = performance.now();
	const kind = await system.which('kind');
	if (!kind) {
		return {type: 'failed', message: 'kind is not installed.', fix: 'npx todo-deploy install kind'};
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

	report({type: 'loading', detail: `kind load docker-image ${plan.ref} --name ${cluster}`});
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

	return {
		type: 'done',
		outcome: parsed.type === 'already-present' ? 'already-present' : 'loaded',
		where: `kind cluster "${cluster}"`,
		durationMs: performance.now() - started,
		digest: undefined,
	};
}

async function loadIntoMinikube(
	system: System,
	docker: DockerClient,
	plan: ImagePlan,
	imageId: string,
	profile: string,
	report: (status: LoadStatus) => void,
): Promise<LoadStatus> {
	const started = performance.now();
	const minikube = await system.which('minikube');
	if (!minikube) {
		return {type: 'failed', message: 'minikube is not installed.', fix: 'npx todo-deploy install minikube'};
	}

	// With the docker runtime, minikube's own Docker answers directly: compare IDs, then stream the image across.
	const envResult = await system.run(minikube, ['-p', profile, 'docker-env', '--shell', 'none'], {timeoutMs: 30_000});
	const dockerEnv = envResult.exitCode === 0 ? parseDockerEnv(envResult.stdout) : undefined;
	if (dockerEnv) {
		try {
			const inside = await dockerClient(dockerEnv);
			const there = await inspectImage(inside, plan.ref);
			if (there?.id === imageId) {
				return {type: 'done', outcome: 'already-present', where: `minikube profile "${profile}"`, durationMs: performance.now() - started, digest: undefined};
			}

			report({type: 'loading', detail: `copying ${plan.ref} into minikube "${profile}"'s Docker`});
			await copyImage(docker, inside, plan.ref);
			return {type: 'done', outcome: 'loaded', where: `minikube profile "${profile}"`, durationMs: performance.now() - started, digest: undefined};
		} catch (error) {
			return {
				type: 'failed',
				message: `minikube "${profile}"'s Docker did not take ${plan.ref}: ${messageOf(error)}`,
				fix: `Is the profile running? minikube -p ${profile} status (start it: minikube -p ${profile} start)`,
			};
		}
	}

	if (/not running|does not exist|not found|Profile ".*" not found/i.test(`${envResult.stdout}\n${envResult.stderr}`)) {
		return {
			type: 'failed',
			message: `minikube profile "${profile}" is not running: ${(envResult.stderr || envResult.stdout).trim().split('\n').at(-1) ?? ''}`,
			fix: `minikube -p ${profile} start --driver=docker`,
		};
	}

	// Another container runtime: minikube copies the image itself.
	report({type: 'loading', detail: `minikube -p ${profile} image load ${plan.ref}`});
	const result = await system.run(minikube, ['-p', profile, 'image', 'load', plan.ref], {timeoutMs: 15 * 60_000});
	if (result.exitCode !== 0) {
		return {
			type: 'failed',
			message: `minikube could not load ${plan.ref}: ${(result.stderr || result.stdout).trim().split('\n').at(-1) ?? ''}`,
			fix: `minikube -p ${profile} status`,
		};
	}

	return {type: 'done', outcome: 'loaded', where: `minikube profile "${profile}"`, durationMs: performance.now() - started, digest: undefined};
}

async function pushToRegistry(
	system: System,
	docker: DockerClient,
	plan: ImagePlan,
	registry: string,
	report: (status: LoadStatus) => void,
): Promise<LoadStatus> {
	const started = performance.now();
	const host = registry.split('/')[0] ?? registry;
	const {auth, helper} = await registryAuth(system.env, system.homedir, host);
	const target = `${registry.replace(/\/$/, '')}/${plan.repository}:${plan.tag}`;
	try {
		report({type: 'loading', detail: `pushing ${target}`});
		const digest = await pushImage(docker, plan.ref, target, auth, line => report({type: 'loading', detail: line}));
		return {type: 'done', outcome: 'pushed', where: target, durationMs: performance.now() - started, digest};
	} catch (error) {
		const message = messageOf(error);
		const denied = /denied|unauthorized|authentication required/i.test(message);
		return {
			type: 'failed',
			message: `Pushing ${target} failed: ${message}`,
			fix: denied
				? helper && !auth
					? `Your credentials are kept by docker-credential-${helper}, which todo-deploy does not run: docker login ${host} with credsStore unset, or push with docker push ${target}`
					: `docker login ${host}`
				: undefined,
		};
	}
}

type ScanMeta = {imageId: string; scannedAt: string; trivyVersion: string | undefined; skipDbUpdate: boolean};

async function scanImage(system: System, plan: ImagePlan, imageId: string, request: ImagesRequest): Promise<ScanStatus> {
	const started = performance.now();
	const report = path.join(request.reportsDir, `${plan.repository}-${plan.tag}.trivy.json`);
	const metaFile = path.join(request.reportsDir, `${plan.repository}-${plan.tag}.scan.json`);
	const ignoreFile = path.join(request.root, '.trivyignore');
	const ignoreText = await readFile(ignoreFile, 'utf8').catch(() => undefined);
	const rule: GateRule = {...request.gate, ignored: [...request.gate.ignored, ...(ignoreText ? parseTrivyignore(ignoreText) : [])]};
	const summarize = (json: string): ScanSummary => summarizeScan(json, rule);

	if (!request.rescan) {
		const meta = await readFile(metaFile, 'utf8')
			.then(text => JSON.parse(text) as ScanMeta)
			.catch(() => undefined);
		const fresh = meta && meta.imageId === imageId && Date.now() - Date.parse(meta.scannedAt) < (request.scanMaxAgeMs ?? 24 * 3_600_000);
		const json = fresh ? await readFile(report, 'utf8').catch(() => undefined) : undefined;
		if (json) {
			try {
				return {type: 'done', summary: summarize(json), reportPath: report, cached: true, durationMs: performance.now() - started};
			} catch {
				// A damaged report is scanned again.
			}
		}
	}

	const trivy = await system.which('trivy');
	if (!trivy) {
		return {type: 'failed', message: 'Trivy is not installed, so the image was not scanned.', fix: 'npx todo-deploy install trivy (no sudo needed)'};
	}

	await mkdir(request.reportsDir, {recursive: true});
	const temporary = `${report}.${process.pid}.tmp`;
	const result = await system.run(
		trivy,
		trivyImageArgs(plan.ref, {
			output: temporary,
			skipDbUpdate: request.skipDbUpdate,
			ignoreFile: ignoreText === undefined ? undefined : ignoreFile,
			timeoutMs: 15 * 60_000,
		}),
		{timeoutMs: 15 * 60_000},
	);
	const json = result.exitCode === 0 ? await readFile(temporary, 'utf8').catch(() => undefined) : undefined;
	if (json === undefined) {
		await rm(temporary, {force: true});
		const explained = explainTrivyFailure(result.timedOut ? 'FATAL the scan did not finish within 15 minutes' : `${result.stderr}\n${result.stdout}`);
		return {type: 'failed', message: explained.message, fix: explained.fix};
	}

	let summary: ScanSummary;
	try {
		summary = summarize(json);
	} catch (error) {
		await rm(temporary, {force: true});
		return {type: 'failed', message: messageOf(error), fix: undefined};
	}

	await rename(temporary, report);
	const version = await system.run(trivy, ['--version'], {timeoutMs: 10_000});
	const meta: ScanMeta = {imageId, scannedAt: new Date().toISOString(), trivyVersion: parseTrivyVersion(version.stdout), skipDbUpdate: request.skipDbUpdate};
	await writeFile(metaFile, `${JSON.stringify(meta, null, 2)}\n`);
	return {type: 'done', summary, reportPath: report, cached: false, durationMs: performance.now() - started};
}

async function runOne(
	system: System,
	docker: DockerClient,
	store: Store<ImagesState, ImagesAction>,
	name: ImageName,
	source: ImageSource,
	request: ImagesRequest,
): Promise<void> {
	const dispatch = store.dispatch;
	dispatch({type: 'images/build', name, status: {type: 'preparing'}});
	let planned;
	try {
		planned = await planImage(system, request.root, name, source, request.buildArgs);
	} catch (error) {
		dispatch({
			type: 'images/build',
			name,
			status: {
				type: 'failed',
				message: messageOf(error),
				step: undefined,
				output: [],
				fix: `Point todo-deploy at the ${name}: --${name} DIR (or todo-deploy discover --save)`,
			},
		});
		return;
	}

	const {plan, context} = planned;
	dispatch({type: 'images/planned', plan});
	let imageId: string | undefined;
	if (request.steps.build) {
		if (!(await buildImage(docker, dispatch, plan, context, request))) {
			dispatch({type: 'images/load', name, status: {type: 'skipped', reason: 'the build failed'}});
			dispatch({type: 'images/scan', name, status: {type: 'skipped', reason: 'the build failed'}});
			return;
		}

		const entry = store.getState().images.find(item => item.name === name);
		imageId = entry?.build.type === 'done' ? entry.build.id : undefined;
	} else {
		const existing = await inspectImage(docker, plan.ref);
		if (!existing) {
			const message = `${plan.ref} is not built yet (the sources changed since the last build, or it never was).`;
			dispatch({type: 'images/build', name, status: {type: 'failed', message, step: undefined, output: [], fix: 'todo-deploy build'}});
			dispatch({type: 'images/load', name, status: {type: 'skipped', reason: 'no image'}});
			dispatch({type: 'images/scan', name, status: {type: 'skipped', reason: 'no image'}});
			return;
		}

		imageId = existing.id;
		dispatch({
			type: 'images/build',
			name,
			status: {type: 'done', outcome: 'up-to-date', id: existing.id, size: existing.size, durationMs: 0, steps: 0, cached: 0},
		});
	}

	if (imageId === undefined || request.signal?.aborted) {
		return;
	}

	const id = imageId;
	const load = async () => {
		const target = request.target;
		if (!request.steps.load || !target) {
			return;
		}

		const report = (status: LoadStatus) => dispatch({type: 'images/load', name, status});
		report({type: 'checking'});
		try {
			report(
				target.type === 'kind'
					? await loadIntoKind(system, docker, plan, id, target.cluster, report)
					: target.type === 'minikube'
						? await loadIntoMinikube(system, docker, plan, id, target.profile, report)
						: await pushToRegistry(system, docker, plan, target.registry, report),
			);
		} catch (error) {
			report({type: 'failed', message: messageOf(error), fix: undefined});
		}
	};

	const scan = async () => {
		if (!request.steps.scan) {
			return;
		}

		dispatch({type: 'images/scan', name, status: {type: 'scanning'}});
		try {
			dispatch({type: 'images/scan', name, status: await scanImage(system, plan, id, request)});
		} catch (error) {
			dispatch({type: 'images/scan', name, status: {type: 'failed', message: messageOf(error), fix: undefined}});
		}
	};

	await Promise.all([load(), scan()]);
}

export async function runImages(system: System, store: Store<ImagesState, ImagesAction>, request: ImagesRequest): Promise<void> {
	const started = performance.now();
	const names = (['backend', 'frontend'] as const).filter(name => request.sources[name] !== undefined);
	store.dispatch({type: 'images/started', names, steps: request.steps, target: request.steps.load ? request.target : undefined});
	if (names.length === 0) {
		store.dispatch({
			type: 'images/failed',
			message: 'No backend or frontend Dockerfile was found in this project.',
			fix: 'Name them: --backend DIR --frontend DIR (or todo-deploy discover to see what was found)',
			kind: 'input',
		});
		store.dispatch({type: 'images/finished', durationMs: performance.now() - started, cancelled: false});
		return;
	}

	if (request.steps.load && !request.target) {
		store.dispatch({
			type: 'images/failed',
			message: 'There is no cluster to load the images into.',
			fix: 'Name one: --kind CLUSTER, --minikube PROFILE or --registry HOST/NAMESPACE (todo-deploy doctor shows what is there)',
			kind: 'environment',
		});
		store.dispatch({type: 'images/finished', durationMs: performance.now() - started, cancelled: false});
		return;
	}

	let docker: DockerClient;
	try {
		docker = await dockerClient(system.env);
		await docker.ping();
	} catch (error) {
		store.dispatch({
			type: 'images/failed',
			message: `Docker does not answer: ${messageOf(error)}`,
			fix: 'todo-deploy doctor says why and how to fix it',
			kind: 'environment',
		});
		store.dispatch({type: 'images/finished', durationMs: performance.now() - started, cancelled: false});
		return;
	}

	await Promise.all(names.map(async name => runOne(system, docker, store, name, request.sources[name] as ImageSource, request)));
	store.dispatch({type: 'images/finished', durationMs: performance.now() - started, cancelled: request.signal?.aborted ?? false});
}
