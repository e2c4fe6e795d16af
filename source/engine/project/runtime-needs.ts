// Pure: what an app needs at run time that todo-deploy's chart does not give by default (it runs as a
// non-root UID, on a read-only root filesystem, with no capabilities), from the last stage of its
// Dockerfile and from the folders its code writes. The fit (engine/deploy/fit.ts) turns each need
// into a chart value and says so in the plan.
import path from 'node:path';
import {lastStage, type Dockerfile} from './dockerfile.js';

export type RuntimeNeeds = {
	/** The image's working directory (its last stage's WORKDIR), where relative paths lie. */
	readonly workdir: string;
	/** It starts through a package manager, which writes a cache and logs under HOME first. */
	readonly packageManager?: {readonly tool: string; readonly from: string; readonly homeSet: boolean} | undefined;
	/** Folders it writes at run time, beside its code or declared as volumes: each gets an emptyDir. */
	readonly writes: ReadonlyArray<{readonly path: string; readonly from: string}>;
	/** Files it writes straight into its code's folder (or above it), which an emptyDir cannot open without hiding the code. */
	readonly writesBesideCode: ReadonlyArray<{readonly path: string; readonly from: string}>;
	/** The image's own fixed, non-root user. */
	readonly uid?: {readonly uid: number; readonly user: string; readonly from: string} | undefined;
	/** The image's USER the chart does not keep: root, or a name whose UID the Dockerfile does not say. */
	readonly user?: {readonly name: string; readonly from: string; readonly root: boolean} | undefined;
};

/** A path the code writes, as it writes it (relative to the working directory, or absolute). */
export type CodeWrite = {readonly path: string; readonly folder: boolean; readonly at: string};

// The folders a Python or JavaScript program creates, and the files it opens for writing.
const folderWrites = [
	/\bos\.makedirs\(\s*(['"])([^'"{}%$]+)\1/g,
	/\bos\.mkdir\(\s*(['"])([^'"{}%$]+)\1/g,
	/\bPath\(\s*(['"])([^'"{}%$]+)\1\s*\)\.mkdir\(/g,
	/\bmkdir(?:Sync)?\(\s*(['"`])([^'"`{}%$]+)\1/g,
];
const fileWrites = [
	/\bFileHandler\(\s*(?:filename\s*=\s*)?(['"])([^'"{}%$]+)\1/g,
	/\bopen\(\s*(['"])([^'"{}%$]+)\1\s*,\s*(?:mode\s*=\s*)?['"][wax]/g,
	/\b(?:writeFile|appendFile|createWriteStream)(?:Sync)?\(\s*(['"`])([^'"`{}%$]+)\1/g,
];

/** The folders and files a source file writes, each with its file:line. */
export function codeWrites(text: string, file: string): CodeWrite[] {
	const lineOf = (index: number) => text.slice(0, index).split('\n').length;
	const found: CodeWrite[] = [];
	for (const [patterns, folder] of [
		[folderWrites, true],
		[fileWrites, false],
	] as const) {
		for (const pattern of patterns) {
			for (const match of text.matchAll(pattern)) {
				const written = match[2] ?? '';
				if (written !== '' && !/^(?:\/dev\/|\/proc\/|-$)/.test(written)) {
					found.push({path: written, folder, at: `${file}:${lineOf(match.index)}`});
				}
			}
		}
	}

	return found;
}

const packageManagers = /^(?:(?:\/bin\/)?(?:sh|bash) -c )?(npm|yarn|pnpm|npx)\b/;
const userAdd = /\b(?:adduser|useradd)\b[^;&|]*?(?:-u|--uid)[\s=]+(\d+)[^;&|]*?\s([a-z_][\w-]*)\s*(?=$|&&|;|\|)/g;
const knownUsers: Readonly<Record<string, number>> = {node: 1000, nobody: 65534};

// What a build makes: an emptyDir over it would hide what the image holds there.
const buildOutput = /(?:^|\/)(?:\.next|dist|build|out|node_modules|__pycache__|\.venv|venv|site-packages|static|public)(?:\/|$)/;

const inside = (parent: string, child: string) => child === parent || child.startsWith(parent === '/' ? '/' : `${parent}/`);

/** What the app needs at run time, from its Dockerfile (the last stage) and the paths its code writes. */
export function runtimeNeeds(parsed: Dockerfile, file: string, writes: readonly CodeWrite[]): RuntimeNeeds {
	const lastFrom = parsed.froms.at(-1);
	const last = lastStage(parsed);
	let workdir = '/';
	let start: {text: string; line: number} | undefined;
	let user: {name: string; line: number} | undefined;
	let homeSet = false;
	const volumes: Array<{path: string; from: string}> = [];
	for (const instruction of last) {
		const {keyword, text, line} = instruction;
		if (keyword === 'WORKDIR') {
			workdir = path.posix.resolve(workdir, text.replaceAll(/["']/g, ''));
		} else if (keyword === 'CMD' || keyword === 'ENTRYPOINT') {
			const words = text
				.replaceAll(/[[\]",]/g, ' ')
				.trim()
				.replaceAll(/\s+/g, ' ');
			// A package manager in ENTRYPOINT or in CMD starts the app; an entrypoint script does not say.
			start = packageManagers.test(words) || !start ? {text: words, line} : start;
		} else if (keyword === 'USER') {
			user = {name: text.split(':')[0] ?? text, line};
		} else if (keyword === 'ENV' && /(?:^|\s)HOME[=\s]/.test(text)) {
			homeSet = true;
		} else if (keyword === 'VOLUME') {
			for (const volume of text
				.replaceAll(/[[\]",]/g, ' ')
				.split(/\s+/)
				.filter(word => word.startsWith('/'))) {
				volumes.push({path: volume, from: `${file}:${line} VOLUME`});
			}
		}
	}

	const tool = start ? packageManagers.exec(start.text)?.[1] : undefined;
	const runs = parsed.instructions.filter(instruction => instruction.keyword === 'RUN');
	const userIds = new Map<string, number>();
	for (const run of runs) {
		for (const match of run.text.matchAll(userAdd)) {
			userIds.set(match[2] ?? '', Number(match[1]));
		}
	}

	const image = lastFrom?.image ?? '';
	const numeric = user && /^\d+$/.test(user.name) ? Number(user.name) : undefined;
	const uid =
		numeric ??
		(user ? (userIds.get(user.name) ?? (user.name === 'node' && !/^node[:@]|\/node[:@]/.test(image) ? undefined : knownUsers[user.name])) : undefined);
	const resolved = writes
		.map(write => ({...write, absolute: path.posix.resolve(workdir, write.path)}))
		.filter(write => !buildOutput.test(write.absolute.slice(workdir.length)));
	const writable = [
		...volumes,
		...resolved.filter(write => write.folder).map(write => ({path: write.absolute, from: write.at})),
		...resolved.filter(write => !write.folder).map(write => ({path: path.posix.dirname(write.absolute), from: write.at})),
	].filter(write => !inside('/tmp', write.path));
	const folders = writable.filter(write => !inside(write.path, workdir));
	const besideCode = resolved.filter(write => !write.folder && !inside('/tmp', write.absolute) && inside(path.posix.dirname(write.absolute), workdir));
	return {
		workdir,
		packageManager: tool && start ? {tool, from: `${file}:${start.line}`, homeSet} : undefined,
		writes: [...new Map(folders.map(write => [write.path, write])).values()],
		writesBesideCode: [...new Map(besideCode.map(write => [write.absolute, {path: write.absolute, from: write.at}])).values()],
		uid: user && uid !== undefined && uid > 0 ? {uid, user: user.name, from: `${file}:${user.line}`} : undefined,
		user: user && (uid === undefined || uid === 0) ? {name: user.name, from: `${file}:${user.line}`, root: uid === 0 || user.name === 'root'} : undefined,
	};
}
