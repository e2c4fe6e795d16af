// What an image will be: its repository, and a tag taken from its sources (git, or the files).
import path from 'node:path';
import {digestFiles, listBuildContext, readDockerignore, type BuildContext} from '../../adapters/build-context.js';
import {folderRevision} from '../../adapters/git.js';
import type {System} from '../../adapters/system.js';
import type {ImageSource} from '../project/discover.js';
import type {ImageName, ImagePlan} from './actions.js';
import {buildArgsDigest, imageTag, type TagSource} from './tag.js';

export const repositories: Readonly<Record<ImageName, string>> = {backend: 'todo-backend', frontend: 'todo-frontend'};

/** Where the image comes from: a commit and the uncommitted changes, or the files themselves. */
async function tagSource(system: System, context: BuildContext, dockerfile: string, leaveOut: readonly string[]): Promise<TagSource> {
	const revision = await folderRevision(system, context.dir);
	if (!revision) {
		const files = context.entries.filter(entry => entry.type !== 'directory').map(entry => entry.name);
		return {type: 'files', digest: await digestFiles(context.dir, files)};
	}

	// Changes to files the build never sees (.dockerignore) do not change the image.
	const matcher = await readDockerignore(context.dir, dockerfile, leaveOut);
	const relevant = revision.changed.filter(file => file === dockerfile || !matcher.ignores(file));
	return {type: 'git', commit: revision.commit, changesDigest: relevant.length > 0 ? await digestFiles(context.dir, relevant) : undefined};
}

export async function planImage(
	system: System,
	root: string,
	name: ImageName,
	source: ImageSource,
	buildArgs: Readonly<Record<string, string>>,
	/** .dockerignore rules todo-deploy adds: what does not belong in an image (guard.ts). */
	leaveOut: readonly string[] = [],
): Promise<{plan: ImagePlan; context: BuildContext}> {
	const dir = path.resolve(root, source.context);
	const context = await listBuildContext(dir, source.dockerfile, leaveOut);
	const from = await tagSource(system, context, source.dockerfile, leaveOut);
	const tag = imageTag(from, buildArgsDigest(buildArgs, source.dockerfile));
	const repository = repositories[name];
	return {
		plan: {
			name,
			ref: `${repository}:${tag}`,
			repository,
			tag,
			sourceTag: imageTag(from, undefined),
			buildArgs: Object.keys(buildArgs).sort(),
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
