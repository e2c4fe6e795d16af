// Pure: image tags from content, never "latest". The same sources give the same tag, so a tag
// the daemon already has means there is nothing to build.
import {createHash} from 'node:crypto';

export type TagSource =
	{readonly type: 'git'; readonly commit: string; readonly changesDigest: string | undefined} | {readonly type: 'files'; readonly digest: string};

const short = (hex: string, length: number) => hex.slice(0, length);

/** Build arguments (and files todo-deploy adds to the context) change the image, so they change the tag; none gives no suffix. */
export function buildArgsDigest(
	buildArgs: Readonly<Record<string, string>>,
	dockerfile: string,
	generated: ReadonlyArray<{readonly name: string; readonly content: string}> = [],
): string | undefined {
	const entries = Object.entries(buildArgs).sort(([a], [b]) => a.localeCompare(b));
	if (entries.length === 0 && dockerfile === 'Dockerfile' && generated.length === 0) {
		return undefined;
	}

	const files = generated.map(file => [file.name, file.content]);
	return createHash('sha256')
		.update(JSON.stringify(files.length > 0 ? [dockerfile, entries, files] : [dockerfile, entries]))
		.digest('hex');
}

/**
 * "git-3f2c1a9b7d4e" for a clean folder, "git-3f2c1a9b7d4e-dirty-81c0f2aa" with uncommitted
 * changes, "src-5d41402abc4b" outside git; "-args-…" when build arguments or another Dockerfile are used.
 */
export function imageTag(source: TagSource, argsDigest: string | undefined): string {
	const base =
		source.type === 'git'
			? `git-${short(source.commit, 12)}${source.changesDigest ? `-dirty-${short(source.changesDigest, 8)}` : ''}`
			: `src-${short(source.digest, 12)}`;
	return argsDigest ? `${base}-args-${short(argsDigest, 6)}` : base;
}

/** Docker's rule for a tag: at most 128 of [A-Za-z0-9_.-], not starting with . or -. */
export function isValidTag(tag: string): boolean {
	return /^[\w][\w.-]{0,127}$/.test(tag);
}
