// Files written on Windows: a script with CRLF line endings that the image runs fails in the pod with
// "exec /docker-entrypoint.sh: no such file or directory" (the kernel looks for "/bin/sh\r") or
// "$'\r': command not found". Found in the build context before building, where the fix is one command.
import {open, readFile} from 'node:fs/promises';
import path from 'node:path';
import type {ContextEntry} from '../../adapters/build-context.js';
import {readDockerfile} from '../project/dockerfile.js';

export type WindowsLineEndings = {
	/** Files, relative to the build folder, that the image runs and that end their lines with CRLF. */
	readonly files: readonly string[];
	readonly message: string;
	readonly fix: string;
};

/** The files the Dockerfile runs by name (RUN, CMD, ENTRYPOINT), as the words it uses. */
export function namesTheDockerfileRuns(dockerfile: string): Set<string> {
	const names = new Set<string>();
	for (const instruction of readDockerfile(dockerfile).instructions.filter(item => ['RUN', 'CMD', 'ENTRYPOINT'].includes(item.keyword))) {
		for (const word of instruction.text.split(/[\s"',[\]]+/)) {
			const name = path.posix.basename(word.replace(/^\.\//, ''));
			if (/^[\w.-]+$/.test(name) && !/^-/.test(name)) {
				names.add(name);
			}
		}
	}

	return names;
}

async function head(file: string, bytes: number): Promise<Buffer> {
	const handle = await open(file, 'r');
	try {
		const buffer = Buffer.alloc(bytes);
		const {bytesRead} = await handle.read(buffer, 0, bytes, 0);
		return buffer.subarray(0, bytesRead);
	} finally {
		await handle.close();
	}
}

/** Scripts in the context with CRLF: a shell script (.sh, .bash) or a file the Dockerfile runs by name. */
export async function findWindowsLineEndings(dir: string, dockerfile: string, entries: readonly ContextEntry[]): Promise<WindowsLineEndings | undefined> {
	const runs = namesTheDockerfileRuns(await readFile(path.join(dir, dockerfile), 'utf8').catch(() => ''));
	const candidates = entries.filter(
		entry =>
			entry.type === 'file' && entry.size > 0 && entry.size < 1_000_000 && (/\.(?:sh|bash)$/.test(entry.name) || runs.has(path.posix.basename(entry.name))),
	);
	const found: string[] = [];
	for (const entry of candidates.slice(0, 500)) {
		const start = await head(path.join(dir, entry.name), 4096).catch(() => Buffer.alloc(0));
		const text = start.toString('latin1');
		const firstLine = text.split('\n', 1)[0] ?? '';
		// A script (a #! line, or a .sh the Dockerfile runs) whose lines end in \r\n; a binary is not a script.
		const isScript = text.startsWith('#!') || /\.(?:sh|bash)$/.test(entry.name);
		if (isScript && !text.includes('\0') && (firstLine.endsWith('\r') || text.includes('\r\n'))) {
			found.push(entry.name);
		}
	}

	if (found.length === 0) {
		return undefined;
	}

	const shown = found.slice(0, 3).join(', ') + (found.length > 3 ? ` and ${found.length - 3} more` : '');
	return {
		files: found,
		message: `${shown} ${found.length === 1 ? 'has' : 'have'} Windows line endings (CRLF): in the container ${found.length === 1 ? 'it' : 'they'} would fail with "exec ${found[0]}: no such file or directory" (the system looks for "sh\\r").`,
		fix: `Convert to LF: sed -i 's/\\r$//' ${found.map(file => (/^[\w./-]+$/.test(file) ? file : `'${file.replaceAll("'", "'\\''")}'`)).join(' ')} (in the build folder); to keep Git from bringing CRLF back: echo '*.sh text eol=lf' >> .gitattributes, or git config core.autocrlf input.`,
	};
}
