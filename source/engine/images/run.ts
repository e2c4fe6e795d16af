// Build, load and scan, for both images at once: each image is built, then loaded and scanned at
// the same time. A tag the daemon already has is not rebuilt, an image the nodes already have is
// not sent again, and a report for the same image ID is not scanned again.
import {openDocker} from '../../adapters/docker.js';
import {inspectImage, type DockerClient} from '../../adapters/images.js';
import type {System} from '../../adapters/system.js';
import type {ImageSource} from '../project/discover.js';
import type {Store} from '../store.js';
import type {ImageName, ImagePlan, ImagesAction, ImageSteps, LoadStatus, LoadTarget} from './actions.js';
import type {ImagesState} from './reducer.js';
import {type GateRule} from './scan-results.js';
import {messageOf} from '../errors.js';
import {buildImage} from './build.js';
import {loadImage} from './load.js';
import {planImage} from './plan.js';
import {recordBuilds} from './builds.js';
import {scanImage} from './scan.js';
import type {BuildArgs} from './values.js';
import type {ContextGuard} from './guard.js';
import {findWindowsLineEndings} from './line-endings.js';
import {minikubeBuildEngine, shareBaseImages, type InPlace, type InPlaceChoice} from './in-place.js';
import path from 'node:path';

export type ImagesRequest = {
	readonly root: string;
	readonly sources: Readonly<Partial<Record<ImageName, ImageSource>>>;
	readonly steps: ImageSteps;
	readonly target: LoadTarget | undefined;
	/** Per image: what its build bakes in (imageBuildArgs). */
	readonly buildArgs: BuildArgs;
	/** Per image: what is left out of its context, or why it must not be built (guard.ts). */
	readonly guards?: Readonly<Partial<Record<ImageName, ContextGuard>>> | undefined;
	/** Build even when the tag exists. */
	readonly rebuild: boolean;
	readonly gate: GateRule;
	readonly skipDbUpdate: boolean;
	/** Scan even when a report for the same image ID is fresh. */
	readonly rescan: boolean;
	readonly scansDir: string;
	/** How long a cached scan report stays good (Trivy's database changes every few hours). */
	readonly scanMaxAgeMs?: number;
	readonly signal?: AbortSignal | undefined;
	/** Build in minikube's own Docker when the target is minikube (the default); false builds here and copies. */
	readonly buildInPlace?: boolean | undefined;
	/** The image's labels (title, revision, content tag); false for watch mode's saves. Default true. */
	readonly labels?: boolean | undefined;
	/** Where to build, decided once by a caller that ships many times (watch mode); otherwise asked on each run. */
	readonly buildEngine?: Promise<InPlaceChoice> | undefined;
};

/** Where the images are built: this machine's Docker, or the cluster's own engine (nothing then travels). */
type Engines = {readonly local: DockerClient | undefined; readonly choice: InPlaceChoice | undefined};

/** One image's run: where it is built and sent from, and how its rows change. */
type Job = {
	readonly system: System;
	readonly engines: Engines;
	readonly store: Store<ImagesState, ImagesAction>;
	readonly name: ImageName;
	readonly request: ImagesRequest;
	readonly inPlace: InPlace | undefined;
	/** The engine it is built in (the cluster's own when building in place). */
	readonly docker: DockerClient;
	readonly dispatch: (action: ImagesAction) => void;
};

/** What the build (or the image built before) hands to load and scan. */
type Built = {
	readonly imageId: string;
	/** Where the image is sent from; an image built earlier here (before minikube could build in place) is copied from here. */
	readonly sendFrom: DockerClient;
	/** Bytes of base images copied into the cluster's engine before an in-place build. */
	readonly basesSent: number;
};

async function runOne(
	system: System,
	engines: Engines,
	store: Store<ImagesState, ImagesAction>,
	name: ImageName,
	source: ImageSource,
	request: ImagesRequest,
): Promise<void> {
	const inPlace = engines.choice?.type === 'in-place' ? engines.choice.inPlace : undefined;
	const job: Job = {system, engines, store, name, request, inPlace, docker: (inPlace?.docker ?? engines.local) as DockerClient, dispatch: store.dispatch};
	job.dispatch({type: 'images/build', name, status: {type: 'preparing'}});
	const planned = await planOne(job, source);
	if (!planned) {
		return;
	}

	const built = request.steps.build ? await buildOne(job, planned) : await builtBefore(job, planned.plan);
	if (!built || request.signal?.aborted) {
		return;
	}

	await Promise.all([loadOne(job, planned.plan, built), scanOne(job, planned.plan, built.imageId)]);
}

type Planned = Awaited<ReturnType<typeof planImage>>;

async function planOne({system, request, name, dispatch}: Job, source: ImageSource): Promise<Planned | undefined> {
	const guard = request.guards?.[name];
	let planned: Planned;
	try {
		planned = await planImage(system, request.root, name, source, request.buildArgs[name] ?? {}, guard);
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
		return undefined;
	}

	const plan = guard && guard.items.length > 0 ? {...planned.plan, leftOut: guard.items.map(item => item.path)} : planned.plan;
	dispatch({type: 'images/planned', plan});
	return {...planned, plan};
}

function skipTheRest({dispatch, name}: Job, reason: string) {
	dispatch({type: 'images/load', name, status: {type: 'skipped', reason}});
	dispatch({type: 'images/scan', name, status: {type: 'skipped', reason}});
}

async function buildOne(job: Job, {plan, context}: Planned): Promise<Built | undefined> {
	const {dispatch, name, inPlace, engines, request, docker} = job;
	// A script written on Windows builds fine and then fails in every pod: stop here, where the fix is one command.
	const crlf = await findWindowsLineEndings(context.dir, plan.dockerfile, context.entries);
	if (crlf) {
		dispatch({type: 'images/build', name, status: {type: 'failed', message: crlf.message, step: undefined, output: [], fix: crlf.fix}});
		skipTheRest(job, 'the build failed');
		return undefined;
	}

	let basesSent = 0;
	if (inPlace) {
		try {
			basesSent = await shareBaseImages(engines.local, inPlace, path.join(context.dir, plan.dockerfile), detail => {
				if (request.steps.load) dispatch({type: 'images/load', name, status: {type: 'loading', detail}});
			});
		} catch (error) {
			// The build pulls what could not be copied, and says so if it cannot.
			dispatch({type: 'images/load', name, status: {type: 'loading', detail: `a base image could not be copied: ${messageOf(error)}`}});
		}
	}

	if (!(await buildImage(docker, dispatch, plan, context, request))) {
		skipTheRest(job, 'the build failed');
		return undefined;
	}

	const entry = job.store.getState().images.find(item => item.name === name);
	return entry?.build.type === 'done' ? {imageId: entry.build.id, sendFrom: docker, basesSent} : undefined;
}

/** No build asked for: the image built before, in the cluster's engine or (built before minikube could build in place) here. */
async function builtBefore(job: Job, plan: ImagePlan): Promise<Built | undefined> {
	const {dispatch, name, inPlace, engines, docker} = job;
	const inside = await inspectImage(docker, plan.ref);
	const here = !inside && inPlace && engines.local ? await inspectImage(engines.local, plan.ref) : undefined;
	const existing = inside ?? here;
	if (!existing) {
		const message = `${plan.ref} is not built yet (the sources changed since the last build, or it never was).`;
		dispatch({type: 'images/build', name, status: {type: 'failed', message, step: undefined, output: [], fix: 'todo-deploy build'}});
		skipTheRest(job, 'no image');
		return undefined;
	}

	dispatch({
		type: 'images/build',
		name,
		status: {type: 'done', outcome: 'up-to-date', id: existing.id, size: existing.size, durationMs: 0, steps: 0, cached: 0},
	});
	return {imageId: existing.id, sendFrom: here && engines.local ? engines.local : docker, basesSent: 0};
}

async function loadOne({system, request, name, inPlace, engines, dispatch}: Job, plan: ImagePlan, {imageId, sendFrom, basesSent}: Built): Promise<void> {
	const target = request.target;
	if (!request.steps.load || !target) {
		return;
	}

	const tell = (status: LoadStatus) => dispatch({type: 'images/load', name, status});
	if (inPlace && sendFrom === inPlace.docker) {
		tell({type: 'done', outcome: 'built-in-place', where: inPlace.where, durationMs: 0, digest: undefined, bytes: basesSent});
		return;
	}

	tell({type: 'checking'});
	try {
		const copy = engines.choice?.type === 'copy' ? engines.choice : undefined;
		tell(await loadImage({system, docker: sendFrom, plan, imageId, tell, why: copy?.why, dockerEnv: copy?.dockerEnv}, target));
	} catch (error) {
		tell({type: 'failed', message: messageOf(error), fix: undefined});
	}
}

async function scanOne({system, request, name, inPlace, dispatch}: Job, plan: ImagePlan, imageId: string): Promise<void> {
	if (!request.steps.scan) {
		return;
	}

	dispatch({type: 'images/scan', name, status: {type: 'scanning'}});
	try {
		dispatch({type: 'images/scan', name, status: await scanImage(system, plan, imageId, request, inPlace?.env)});
	} catch (error) {
		dispatch({type: 'images/scan', name, status: {type: 'failed', message: messageOf(error), fix: undefined}});
	}
}

export async function runImages(system: System, store: Store<ImagesState, ImagesAction>, request: ImagesRequest): Promise<void> {
	const started = performance.now();
	const names = (['backend', 'frontend'] as const).filter(name => request.sources[name] !== undefined);
	store.dispatch({type: 'images/started', names, steps: request.steps, target: request.steps.load ? request.target : undefined});
	// The run cannot start: said once, and it ends.
	const cannot = (kind: 'input' | 'environment', message: string, fix: string) => {
		store.dispatch({type: 'images/failed', message, fix, kind});
		store.dispatch({type: 'images/finished', durationMs: performance.now() - started, cancelled: false});
	};

	if (names.length === 0) {
		cannot(
			'input',
			'No backend or frontend Dockerfile was found in this project.',
			'Name them: --backend DIR --frontend DIR (or todo-deploy discover to see what was found)',
		);
		return;
	}

	// Nothing is built when one image would carry a real secret.
	const refused = names.map(name => request.guards?.[name]?.refuse).find(Boolean);
	if (refused && request.steps.build) {
		cannot('input', `Nothing is built: ${refused.message}`, refused.fix);
		return;
	}

	if (request.steps.load && !request.target) {
		cannot(
			'environment',
			'There is no cluster to load the images into.',
			'Name one: --kind CLUSTER, --minikube PROFILE or --registry HOST/NAMESPACE (todo-deploy doctor shows what is there)',
		);
		return;
	}

	// minikube with Docker inside: build there, and nothing has to be sent.
	const target = request.steps.load ? request.target : undefined;
	const choice =
		target?.type === 'minikube' && request.buildInPlace !== false ? await (request.buildEngine ?? minikubeBuildEngine(system, target.profile)) : undefined;
	const opened = await openDocker(system.env);
	if (!opened.ok && choice?.type !== 'in-place') {
		cannot('environment', opened.message, opened.fix);
		return;
	}

	const engines: Engines = {local: opened.ok ? opened.docker : undefined, choice};
	await Promise.all(names.map(async name => runOne(system, engines, store, name, request.sources[name] as ImageSource, request)));
	// What was built is kept, so that deploy names exactly these tags (and knows the build arguments they took).
	await recordBuilds(
		request.root,
		store.getState().images.flatMap(entry => (entry.plan && entry.build.type === 'done' ? [entry.plan] : [])),
	);
	store.dispatch({type: 'images/finished', durationMs: performance.now() - started, cancelled: request.signal?.aborted ?? false});
}
