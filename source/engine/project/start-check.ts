// Pure: will the image start what its command names? From the Dockerfile and the files of the build
// context it sends, before anything is built: the module uvicorn imports must lie under the last
// stage's WORKDIR where the COPY lines put the code (Kludex/uvicorn#1141), and next start needs a
// next build in the image (vercel/next.js#31329). Where the Dockerfile hides what the image holds (a
// COPY from another stage, the project installed as a package), nothing is said.
import path from 'node:path';
import {whereModuleLies} from '../../diagnose/module-context.js';
import {lastStage, type Dockerfile, type DockerInstruction} from './dockerfile.js';

export type StartProblem = {readonly message: string; readonly fix: string; readonly at: string};

const unquote = (word: string) => word.replace(/^["']|["']$/g, '');

/** The words of a COPY or ADD, without its --flags: its sources and, last, its destination. */
function copyWords(instruction: DockerInstruction): {sources: string[]; destination: string; from: boolean} {
	const plain = instruction.words.map(word => unquote(word));
	return {sources: plain.slice(0, -1), destination: plain.at(-1) ?? '.', from: instruction.flags.some(flag => flag.startsWith('--from'))};
}

const globOf = (pattern: string) =>
	new RegExp(
		`^${pattern
			.replaceAll(/[.+^${}()|[\]\\]/g, String.raw`\$&`)
			.replaceAll('*', '[^/]*')
			.replaceAll('?', '[^/]')}$`,
	);

/** Where the context's files land in the image's last stage, by its COPY and ADD lines (WORKDIR applied). */
export function imageFiles(
	instructions: readonly DockerInstruction[],
	contextFiles: readonly string[],
): {files: Set<string>; workdir: string; fromStage: boolean} {
	const files = new Set<string>();
	let workdir = '/';
	let fromStage = false;
	for (const instruction of instructions) {
		if (instruction.keyword === 'WORKDIR') {
			workdir = path.posix.resolve(workdir, unquote(instruction.text));
			continue;
		}

		if (instruction.keyword !== 'COPY' && instruction.keyword !== 'ADD') {
			continue;
		}

		const {sources, destination, from} = copyWords(instruction);
		if (from) {
			fromStage = true;
			continue;
		}

		const target = path.posix.resolve(workdir, destination);
		const intoFolder = destination.endsWith('/') || destination === '.' || sources.length > 1;
		for (const source of sources) {
			const clean = path.posix
				.normalize(source)
				.replace(/^\.\/?/, '')
				.replace(/\/$/, '');
			const match = clean === '' || clean === '.' ? undefined : globOf(clean);
			for (const file of contextFiles) {
				if (!match) {
					files.add(path.posix.join(target, file));
					continue;
				}

				// A folder's content goes into the destination; a file goes there, or into it when it is a folder.
				const top = file.split('/');
				for (let depth = 1; depth <= top.length; depth++) {
					const head = top.slice(0, depth).join('/');
					if (match.test(head)) {
						const rest = top.slice(depth).join('/');
						files.add(rest === '' ? (intoFolder ? path.posix.join(target, path.posix.basename(file)) : target) : path.posix.join(target, rest));
						break;
					}
				}
			}
		}
	}

	return {files, workdir, fromStage};
}

/** The start command of the last stage: ENTRYPOINT and CMD as one line of words. */
function startCommand(instructions: readonly DockerInstruction[]): {words: string; line: number} | undefined {
	let entrypoint: DockerInstruction | undefined;
	let command: DockerInstruction | undefined;
	for (const instruction of instructions) {
		if (instruction.keyword === 'ENTRYPOINT') {
			entrypoint = instruction;
		} else if (instruction.keyword === 'CMD') {
			command = instruction;
		}
	}

	const words = [entrypoint, command].map(instruction => instruction?.text.replaceAll(/[[\]",]/g, ' ') ?? '').join(' ');
	return command || entrypoint ? {words: words.trim().replaceAll(/\s+/g, ' '), line: (command ?? entrypoint)?.line ?? 0} : undefined;
}

// The project itself installed as a package: its modules import from site-packages, wherever WORKDIR is.
const installsProject =
	/\bpip3?\s+install\b[^&;|]*\s(?:-e\s+)?\.(?:\s|$|\[)|\bpoetry\s+install\b|\buv\s+(?:sync|pip\s+install\s+(?:-e\s+)?\.)|\bpdm\s+install\b/;
const buildsNext = /\bnext\s+build\b|\b(?:npm|pnpm)\s+(?:run\s+)?build\b|\byarn\s+(?:run\s+)?build\b|\bbun\s+(?:run\s+)?build\b/;

function uvicornProblem(
	start: {words: string; line: number},
	instructions: readonly DockerInstruction[],
	contextFiles: readonly string[],
	at: string,
): StartProblem | undefined {
	const target = /\buvicorn\s+(?:[^\s]+\s+)*?([\w.]+):([\w.]+)/.exec(start.words);
	if (
		!target ||
		/\b(?:--factory|--reload)\b/.test(start.words) ||
		instructions.some(instruction => instruction.keyword === 'RUN' && installsProject.test(instruction.text))
	) {
		return undefined;
	}

	const module = target[1] ?? '';
	const appDir = /--app-dir[\s=]+(\S+)/.exec(start.words)?.[1];
	const {files, workdir, fromStage} = imageFiles(instructions, contextFiles);
	if (fromStage) {
		return undefined;
	}

	const base = path.posix.resolve(workdir, appDir ?? '.');
	const lies = whereModuleLies(module, base, files);
	if (lies.present) {
		return undefined;
	}

	const {relative, name} = lies;
	const found = lies.found[0];
	const asModule = found ? lies.moduleOf(found) : undefined;
	return {
		at,
		message: `uvicorn ${module}:${target[2] ?? 'app'} (${at}) imports ${path.posix.join(base, `${relative}.py`)}, and the image will not have it: the COPY lines put ${found ? `${name} at ${found}` : `no ${name} under ${base}`}. It would crash with "Could not import module \\"${module}\\"".`,
		fix: asModule
			? `Name the module as it lies under WORKDIR ${base}: uvicorn ${asModule}:${target[2] ?? 'app'}.`
			: found
				? `Set WORKDIR (or --app-dir) to ${path.posix.dirname(found)}, or COPY the code so that ${relative}.py lies under ${base}.`
				: `COPY the code that holds ${name} into the image (and check .dockerignore does not leave it out).`,
	};
}

function nextProblem(
	start: {words: string; line: number},
	all: readonly DockerInstruction[],
	last: readonly DockerInstruction[],
	startScript: string | undefined,
	at: string,
): StartProblem | undefined {
	const runsScript = /\b(?:npm|pnpm|yarn|bun)\s+(?:run\s+)?start\b/.test(start.words);
	if (!/\bnext\s+start\b/.test(start.words) && !(runsScript && startScript !== undefined && /\bnext\s+start\b/.test(startScript))) {
		return undefined;
	}

	const built = all.some(instruction => instruction.keyword === 'RUN' && buildsNext.test(instruction.text));
	const builtHere = last.some(instruction => instruction.keyword === 'RUN' && buildsNext.test(instruction.text));
	// A COPY from the stage that built: of .next itself, or of the whole folder that holds it.
	const copiesBuild = last.some(
		instruction =>
			instruction.keyword === 'COPY' &&
			instruction.flags.some(flag => flag.startsWith('--from')) &&
			instruction.words.slice(0, -1).some(source => /(?:^|\/)\.next(?:\/|$)|^\/?[\w/-]*\/?$/.test(unquote(source)) && !/node_modules|package/.test(source)),
	);
	if (builtHere || (built && copiesBuild)) {
		return undefined;
	}

	return {
		at,
		message: built
			? `next start (${at}) serves the build in .next, and the last stage neither builds nor copies it from the stage that does. It would crash with "Could not find a production build in the '.next' directory".`
			: `next start (${at}) serves the build in .next, and no RUN in the Dockerfile runs next build. It would crash with "Could not find a production build in the '.next' directory".`,
		fix: built
			? 'Copy the build into the last stage: COPY --from=BUILD /app/.next ./.next (with public/ and node_modules), or build there.'
			: 'Add RUN npm run build after the COPY of the code (before CMD); a development image runs next dev instead of next start.',
	};
}

/** What would keep the image's start command from starting, from its Dockerfile and the context it sends. */
export function startProblems(dockerfile: Dockerfile, file: string, contextFiles: readonly string[], startScript?: string): StartProblem[] {
	const {instructions} = dockerfile;
	const last = lastStage(dockerfile);
	const start = startCommand(last);
	if (!start) {
		return [];
	}

	const at = `${file}:${start.line}`;
	return [uvicornProblem(start, last, contextFiles, at), nextProblem(start, instructions, last, startScript, at)].filter(
		(problem): problem is StartProblem => problem !== undefined,
	);
}
