// The project's .todo-deploy/ folder: what todo-deploy writes about a project (the report, its state,
// logs, scan reports, fitted values). Readable by its owner only: the folder 0700, its files 0600.
import {mkdirSync, writeFileSync} from 'node:fs';
import {chmod, mkdir, rename, writeFile} from 'node:fs/promises';
import path from 'node:path';

export const stateDirName = '.todo-deploy';

/** Keeps the folder out of git (a `git add -A` would otherwise take logs and state into a commit). */
const gitignore = '# Written by todo-deploy: its logs, state and reports stay out of git.\n*\n';
const ignoreFileOf = (top: string) => path.join(top, '.gitignore');

/** The folder (or one under it), made 0700 when missing; an existing one is made 0700 too. */
export async function ensureStateDir(root: string, ...under: string[]): Promise<string> {
	const top = path.join(root, stateDirName);
	const dir = path.join(top, ...under);
	await mkdir(dir, {recursive: true, mode: 0o700});
	await chmod(top, 0o700).catch(() => undefined);
	await writeFile(ignoreFileOf(top), gitignore, {mode: 0o600, flag: 'wx'}).catch(() => undefined);
	return dir;
}

export function ensureStateDirSync(root: string, ...under: string[]): string {
	const top = path.join(root, stateDirName);
	const dir = path.join(top, ...under);
	mkdirSync(dir, {recursive: true, mode: 0o700});
	try {
		writeFileSync(ignoreFileOf(top), gitignore, {mode: 0o600, flag: 'wx'});
	} catch {
		// There already, or a folder todo-deploy may not write: nothing to add.
	}

	return dir;
}

/** Written whole to a temporary file (0600) and renamed into place: never half a file. */
export async function writePrivate(file: string, text: string): Promise<void> {
	const temporary = `${file}.${process.pid}.tmp`;
	await writeFile(temporary, text, {mode: 0o600});
	await chmod(temporary, 0o600);
	await rename(temporary, file);
}
