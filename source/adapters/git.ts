// git: the last commit that touched a folder, and the folder's uncommitted changes.
import path from 'node:path';
import type {System} from './system.js';

export type FolderRevision = {
	/** The last commit that changed something under the folder. */
	readonly commit: string;
	/** Changed, added, deleted and untracked files, relative to the folder. */
	readonly changed: readonly string[];
};

/** `git status --porcelain=v1 -z` entries: "XY path", renames followed by their old path. */
export function parsePorcelainZ(output: string): string[] {
	const fields = output.split('\0');
	const files: string[] = [];
	for (let index = 0; index < fields.length; index++) {
		const field = fields[index] ?? '';
		if (field.length < 4) {
			continue;
		}

		files.push(field.slice(3));
		if (field[0] === 'R' || field[0] === 'C') {
			// The old name follows: it changed too (it is gone).
			index++;
			const old = fields[index];
			if (old) {
				files.push(old);
			}
		}
	}

	return files;
}

/** undefined when git is missing, the folder is not in a repository or has no commit yet. */
export async function folderRevision(system: System, dir: string, timeoutMs = 10_000): Promise<FolderRevision | undefined> {
	const git = await system.which('git');
	if (!git) {
		return undefined;
	}

	const top = await system.run(git, ['-C', dir, 'rev-parse', '--show-toplevel'], {timeoutMs});
	if (top.exitCode !== 0) {
		return undefined;
	}

	const [log, status] = await Promise.all([
		system.run(git, ['-C', dir, 'log', '-1', '--format=%H', '--', '.'], {timeoutMs}),
		// Paths come relative to the top; -z keeps odd names intact.
		system.run(git, ['-C', dir, 'status', '--porcelain=v1', '-z', '--untracked-files=all', '--', '.'], {timeoutMs}),
	]);
	const commit = log.stdout.trim();
	if (log.exitCode !== 0 || !/^[0-9a-f]{40,64}$/.test(commit) || status.exitCode !== 0) {
		return undefined;
	}

	const root = top.stdout.trim();
	const relativeDir = path.relative(root, path.resolve(dir)).split(path.sep).join('/');
	const prefix = relativeDir ? `${relativeDir}/` : '';
	const changed = parsePorcelainZ(status.stdout)
		.filter(file => file.startsWith(prefix))
		.map(file => file.slice(prefix.length));
	return {commit, changed};
}
