// Nothing private in an image: what a build context would carry that does not belong in an image
// (.env files with values, databases, virtualenvs, installed packages, the git history, private keys)
// is left out of what todo-deploy sends, as a .dockerignore would. A file the Dockerfile copies by
// name cannot be left out without breaking the build: one holding a real secret stops the build.
import {appendFile, readFile} from 'node:fs/promises';
import path from 'node:path';
import type {ServiceContract, Unwanted} from '../project/contract.js';
import {dockerignoreFor} from '../project/unwanted.js';

export type ContextGuard = {
	/** Rules, relative to the build folder, for what todo-deploy leaves out of the context it sends. */
	readonly leaveOut: readonly string[];
	/** What is left out, as the project root names it (for the screen and the report). */
	readonly items: readonly Unwanted[];
	/** The image must not be built: a real secret the Dockerfile copies by name. */
	readonly refuse?: {readonly message: string; readonly fix: string} | undefined;
	/** Files todo-deploy adds to the context it sends (never to the project): what Next.js bakes in from .env.production.local. */
	readonly generated?: readonly GeneratedFile[] | undefined;
};

export type GeneratedFile = {readonly name: string; readonly content: string; readonly why: string};

/** Next.js reads .env.production.local at build time: the public values a Dockerfile without ARGs cannot get. */
export function bakedEnvFile(values: Readonly<Record<string, string>>): GeneratedFile | undefined {
	const names = Object.keys(values)
		.filter(name => name.startsWith('NEXT_PUBLIC_'))
		.sort();
	if (names.length === 0) {
		return undefined;
	}

	const lines = names.map(name => `${name}=${values[name] ?? ''}`);
	return {
		name: '.env.production.local',
		content: `# Written by todo-deploy into the build context it sends (not into your project): public values only.\n${lines.join('\n')}\n`,
		why: `${names.join(', ')} (the Dockerfile declares no ARG for ${names.length === 1 ? 'it' : 'them'})`,
	};
}

/** The guard of one image; `context` is its build folder relative to the project root. */
export function guardContext(service: ServiceContract | undefined, context: string, allowSecrets: boolean): ContextGuard {
	const leaveOut: string[] = [];
	const items: Unwanted[] = [];
	let refuse: ContextGuard['refuse'];
	const prefix = context === '.' || context === '' ? '' : `${context.replace(/\/$/, '')}/`;
	for (const item of service?.unwanted ?? []) {
		const relative = item.path.startsWith(prefix) ? item.path.slice(prefix.length) : item.path;
		if (item.secret && allowSecrets) {
			continue;
		}

		if (item.named) {
			if (item.secret) {
				refuse ??= {
					message: `${item.path} holds what looks like a real secret, and ${item.named} copies it by name: every cluster and registry the image reaches would have it.`,
					fix: 'Remove that line: the chart gives the pods their settings. To build it anyway: --allow-secrets-in-image.',
				};
			}

			continue;
		}

		leaveOut.push(relative.replace(/\/$/, ''));
		items.push(item);
	}

	return {leaveOut, items, ...(refuse ? {refuse} : {})};
}

/** The lines a .dockerignore in the build folder needs to keep these out (those it has already are not repeated). */
export async function missingDockerignoreLines(dir: string, items: readonly Unwanted[]): Promise<string[]> {
	const have = new Set(
		(await readFile(path.join(dir, '.dockerignore'), 'utf8').catch(() => ''))
			.split('\n')
			.map(line => line.trim())
			.filter(Boolean),
	);
	return dockerignoreFor(items).filter(line => !have.has(line));
}

/** Adds the lines to the build folder's .dockerignore (made when missing); returns its path. */
export async function writeDockerignore(dir: string, lines: readonly string[]): Promise<string> {
	const file = path.join(dir, '.dockerignore');
	const before = await readFile(file, 'utf8').catch(() => undefined);
	const header = '# Added by todo-deploy: what does not belong in an image (secrets, databases, installed packages).';
	await appendFile(file, `${before && !before.endsWith('\n') ? '\n' : ''}${before ? '\n' : ''}${header}\n${lines.join('\n')}\n`);
	return file;
}

/** Both images' guards, from the project's build folders and its contract. */
export function imageGuards(
	sources: Readonly<Partial<Record<'backend' | 'frontend', {readonly context: string}>>>,
	contract: {readonly backend?: ServiceContract | undefined; readonly frontend?: ServiceContract | undefined},
	allowSecrets: boolean,
	/** What the fit bakes in through a generated env file (FittedChart.bakedEnv). */
	bakedEnv: Readonly<Partial<Record<'backend' | 'frontend', Readonly<Record<string, string>>>>> = {},
): Partial<Record<'backend' | 'frontend', ContextGuard>> {
	const guards: Partial<Record<'backend' | 'frontend', ContextGuard>> = {};
	for (const side of ['backend', 'frontend'] as const) {
		const source = sources[side];
		if (source) {
			const generated = bakedEnvFile(bakedEnv[side] ?? {});
			guards[side] = {...guardContext(contract[side], source.context, allowSecrets), ...(generated ? {generated: [generated]} : {})};
		}
	}

	return guards;
}

/** What a .dockerignore would add in each build folder, for the question on a terminal. */
export async function dockerignoreProposals(
	root: string,
	sources: Readonly<Partial<Record<'backend' | 'frontend', {readonly context: string}>>>,
	guards: Readonly<Partial<Record<'backend' | 'frontend', ContextGuard>>>,
): Promise<Array<{readonly dir: string; readonly lines: readonly string[]}>> {
	const proposals: Array<{dir: string; lines: string[]}> = [];
	for (const side of ['backend', 'frontend'] as const) {
		const source = sources[side];
		const guard = guards[side];
		if (source && guard && guard.items.length > 0) {
			const dir = path.resolve(root, source.context);
			const lines = await missingDockerignoreLines(dir, guard.items);
			if (lines.length > 0 && !proposals.some(proposal => proposal.dir === dir)) {
				proposals.push({dir, lines});
			}
		}
	}

	return proposals;
}
