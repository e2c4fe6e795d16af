// A build context as the docker CLI sends it: the folder's files minus what .dockerignore excludes,
// streamed as a tar (never built whole in memory), plus a digest of exactly those files.
import {createHash} from 'node:crypto';
import {createReadStream} from 'node:fs';
import {lstat, readdir, readFile, readlink} from 'node:fs/promises';
import path from 'node:path';
import type {Readable} from 'node:stream';
import dockerignoreModule from '@balena/dockerignore';
import * as tarStream from 'tar-stream';

export type ContextEntry = {
	/** Relative to the context, forward slashes. */
	readonly name: string;
	readonly type: 'file' | 'directory' | 'symlink';
	readonly size: number;
	readonly mode: number;
	readonly linkname?: string;
};

export type BuildContext = {
	readonly dir: string;
	readonly entries: readonly ContextEntry[];
	/** Files that are not on disk, sent after the others (one of the same name on disk is left out). */
	readonly generated?: ReadonlyArray<{readonly name: string; readonly content: string}> | undefined;
	/** Files and bytes .dockerignore kept out. */
	readonly ignored: {readonly files: number; readonly bytes: number};
	readonly bytes: number;
};

export class ContextError extends Error {}

type Matcher = {ignores(name: string): boolean; readonly hasExceptions: boolean};

/** The .dockerignore rules (Docker reads <Dockerfile>.dockerignore first, then .dockerignore). */
export async function readDockerignore(dir: string, dockerfile: string, extra: readonly string[] = []): Promise<Matcher> {
	const text = await readFile(path.join(dir, `${dockerfile}.dockerignore`), 'utf8').catch(async () =>
		readFile(path.join(dir, '.dockerignore'), 'utf8').catch(() => ''),
	);
	// Extra rules come last: a "!" line in the project's file does not bring back what todo-deploy leaves out.
	const lines = [...text.split('\n'), ...extra].map(line => line.trim()).filter(line => line !== '' && !line.startsWith('#'));
	// CommonJS: bundled or not, the factory may sit on the default export.
	const module = dockerignoreModule as unknown as {default?: typeof dockerignoreModule} & typeof dockerignoreModule;
	const factory = module.default ?? module;
	const rules = factory().add(lines);
	return {ignores: name => rules.ignores(name), hasExceptions: lines.some(line => line.startsWith('!'))};
}

/** Lists the context; the Dockerfile and .dockerignore are always sent, as the docker CLI does. `extra`: more rules. */
export async function listBuildContext(dir: string, dockerfile: string, extra: readonly string[] = []): Promise<BuildContext> {
	const top = await lstat(dir).catch(() => undefined);
	if (!top?.isDirectory()) {
		throw new ContextError(`The build folder ${dir} does not exist.`);
	}

	const dockerfileInfo = await lstat(path.join(dir, dockerfile)).catch(() => undefined);
	if (!dockerfileInfo?.isFile()) {
		throw new ContextError(`There is no ${dockerfile} in ${dir}.`);
	}

	const matcher = await readDockerignore(dir, dockerfile, extra);
	const alwaysSent = new Set([dockerfile, '.dockerignore']);
	const entries: ContextEntry[] = [];
	const ignored = {files: 0, bytes: 0};
	let bytes = 0;
	const countIgnored = async (relative: string): Promise<void> => {
		for (const entry of await readdir(path.join(dir, relative), {withFileTypes: true}).catch(() => [])) {
			const name = `${relative}/${entry.name}`;
			if (entry.isDirectory()) {
				await countIgnored(name);
			} else {
				ignored.files++;
				ignored.bytes += (await lstat(path.join(dir, name)).catch(() => undefined))?.size ?? 0;
			}
		}
	};

	const walk = async (relative: string): Promise<void> => {
		const names = (await readdir(path.join(dir, relative))).sort();
		for (const base of names) {
			const name = relative ? `${relative}/${base}` : base;
			const info = await lstat(path.join(dir, name));
			const excluded = !alwaysSent.has(name) && matcher.ignores(name);
			if (info.isDirectory()) {
				// An ignored folder is skipped whole unless a "!" rule may bring something inside back.
				if (excluded && !matcher.hasExceptions) {
					await countIgnored(name);
					continue;
				}

				if (!excluded) {
					entries.push({name, type: 'directory', size: 0, mode: info.mode & 0o7777});
				}

				await walk(name);
			} else if (excluded) {
				ignored.files++;
				ignored.bytes += info.size;
			} else if (info.isSymbolicLink()) {
				entries.push({name, type: 'symlink', size: 0, mode: info.mode & 0o7777, linkname: await readlink(path.join(dir, name))});
			} else if (info.isFile()) {
				entries.push({name, type: 'file', size: info.size, mode: info.mode & 0o7777});
				bytes += info.size;
			}
		}
	};

	await walk('');
	return {dir, entries, ignored, bytes};
}

/** The context with these files added (in place of files of the same name). */
export function withGenerated(context: BuildContext, files: ReadonlyArray<{readonly name: string; readonly content: string}>): BuildContext {
	if (files.length === 0) {
		return context;
	}

	const names = new Set(files.map(file => file.name));
	const kept = context.entries.filter(entry => !names.has(entry.name));
	const keptBytes = kept.reduce((sum, entry) => sum + entry.size, 0);
	return {
		...context,
		entries: kept,
		generated: [...(context.generated ?? []), ...files],
		bytes: keptBytes + files.reduce((sum, file) => sum + Buffer.byteLength(file.content), 0),
	};
}

/** The context as a tar stream; files are read one at a time as the daemon takes them. */
export function packBuildContext(context: BuildContext): Readable {
	const pack = tarStream.pack();
	const epoch = new Date(0);
	void (async () => {
		try {
			for (const entry of context.entries) {
				// A fixed mtime: the same files give the same tar.
				const header = {name: entry.name, mode: entry.mode, mtime: epoch, uid: 0, gid: 0};
				if (entry.type === 'directory') {
					pack.entry({...header, type: 'directory'});
				} else if (entry.type === 'symlink') {
					pack.entry({...header, type: 'symlink', linkname: entry.linkname ?? ''});
				} else {
					await new Promise<void>((resolve, reject) => {
						const sink = pack.entry({...header, type: 'file', size: entry.size}, error => (error ? reject(error) : resolve()));
						createReadStream(path.join(context.dir, entry.name)).on('error', reject).pipe(sink);
					});
				}
			}

			for (const file of context.generated ?? []) {
				pack.entry({name: file.name, mode: 0o644, mtime: epoch, uid: 0, gid: 0, type: 'file'}, file.content);
			}

			pack.finalize();
		} catch (error) {
			pack.destroy(error instanceof Error ? error : new Error(String(error)));
		}
	})();
	return pack as unknown as Readable;
}

/** sha256 over the names, modes and contents of the given files (streamed). */
export async function digestFiles(dir: string, names: readonly string[]): Promise<string> {
	const hash = createHash('sha256');
	for (const name of [...names].sort()) {
		hash.update(`${name}\0`);
		const info = await lstat(path.join(dir, name)).catch(() => undefined);
		if (!info) {
			hash.update('deleted\0');
			continue;
		}

		if (info.isSymbolicLink()) {
			hash.update(`link:${await readlink(path.join(dir, name))}\0`);
			continue;
		}

		if (!info.isFile()) {
			continue;
		}

		hash.update(`${info.mode & 0o111 ? 'x' : '-'}\0`);
		for await (const chunk of createReadStream(path.join(dir, name))) {
			hash.update(chunk as Buffer);
		}

		hash.update('\0');
	}

	return hash.digest('hex');
}

/** sha256 over every file under a folder (a chart: small), names and contents. */
export async function digestFolder(dir: string): Promise<string> {
	const names: string[] = [];
	const walk = async (relative: string): Promise<void> => {
		for (const entry of await readdir(path.join(dir, relative), {withFileTypes: true})) {
			const name = relative ? `${relative}/${entry.name}` : entry.name;
			if (entry.isDirectory()) {
				await walk(name);
			} else {
				names.push(name);
			}
		}
	};

	await walk('');
	return digestFiles(dir, names);
}
