// One image built through the Docker API, its progress dispatched as it goes; a tag Docker already has is not built again.
import path from 'node:path';
import {packBuildContext, type BuildContext} from '../../adapters/build-context.js';
import {earlierBuilds, inspectImage, startBuild, type DockerClient} from '../../adapters/images.js';
import type {Store} from '../store.js';
import type {ImagePlan, ImagesAction} from './actions.js';
import {applyBuildMessage, failingStepOutput, initialBuildProgress} from './build-progress.js';
import type {ImagesState} from './reducer.js';
import {messageOf} from '../errors.js';
import type {ImagesRequest} from './run.js';
type Dispatch = Store<ImagesState, ImagesAction>['dispatch'];

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

export async function buildImage(docker: DockerClient, dispatch: Dispatch, plan: ImagePlan, context: BuildContext, request: ImagesRequest): Promise<boolean> {
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
			buildArgs: request.buildArgs[plan.name] ?? {},
			labels:
				request.labels === false
					? {}
					: {
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
