// What an image will be: its repository, and a tag taken from its sources (git, or the files).
import path from 'node:path';
import {digestFiles, listBuildContext, readDockerignore, withGenerated, type BuildContext} from '../../adapters/build-context.js';
import {folderRevision} from '../../adapters/git.js';
import type {System} from '../../adapters/system.js';
import type {ImageSource} from '../project/discover.js';
import type {ImageName, ImagePlan} from './actions.js';
import type {ContextGuard} from './guard.js';
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
	/** What todo-deploy leaves out of the context (.dockerignore rules) and adds to it (guard.ts). */
	guard: Pick<ContextGuard, 'leaveOut' | 'generated'> = {leaveOut: []},
): Promise<{plan: ImagePlan; context: BuildContext}> {
	const dir = path.resolve(root, source.context);
	const {leaveOut} = guard;
	const generated = guard.generated ?? [];
	const listed = await listBuildContext(dir, source.dockerfile, leaveOut);
	// The sources' part of the tag is the project's files alone; what todo-deploy adds counts with the build arguments.
	const from = await tagSource(system, listed, source.dockerfile, leaveOut);
	const context = withGenerated(listed, generated);
	const tag = imageTag(from, buildArgsDigest(buildArgs, source.dockerfile, generated));
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
			...(generated.length > 0 ? {generated: generated.map(file => ({name: file.name, why: file.why}))} : {}),
		},
		context,
	};
}
