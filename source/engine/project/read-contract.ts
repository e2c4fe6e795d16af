// Reads what the contract is learnt from: compose files, .env examples beside each side, the code, the
// Dockerfiles, and the files each build context would send. Nothing is run.
import {readFile, stat} from 'node:fs/promises';
import path from 'node:path';
import {listBuildContext} from '../../adapters/build-context.js';
import {credentialReason} from '../lint/secret-values.js';
import {credentialFile, credentialsIn, maxCredentialFileBytes} from './committed-credentials.js';
import {composeServices, normalise, portOf, serviceContract, type ComposeService, type ServiceContract, type Side} from './contract.js';
import type {ImageSource} from './discover.js';
import {
	dockerfileFacts,
	envExampleNames,
	fastapiHealthPaths,
	isHealthPath,
	javascriptEnvReads,
	nextApiPath,
	pythonEnvReads,
	type EnvRead,
} from './env-reads.js';
import {codeWrites, runtimeNeeds, type CodeWrite} from './runtime-needs.js';
import {readDockerfile, type Dockerfile} from './dockerfile.js';
import {startProblems} from './start-check.js';
import {unwantedFiles} from './unwanted.js';

export type DatabaseFacts = {readonly image: string; readonly user: string | undefined; readonly database: string | undefined; readonly from: string};

export type AppContract = {
	readonly backend?: ServiceContract | undefined;
	readonly frontend?: ServiceContract | undefined;
	readonly database?: DatabaseFacts | undefined;
	/** Committed files that hold what looks like a real credential (to rotate). */
	readonly credentials: ReadonlyArray<{readonly path: string; readonly what: string}>;
};

const composeFile = /(^|\/)(docker-)?compose(\.[\w-]+)?\.ya?ml$/;
const codeFile = /\.(py|[cm]?[jt]sx?)$/;
const skippedCode = /(^|\/)(node_modules|\.next|dist|build|\.venv|venv|__pycache__|tests?|__tests__|migrations|alembic)\//;
const lockFile = /(^|\/)(package-lock\.json|npm-shrinkwrap\.json|pnpm-lock\.yaml|composer\.lock)$/;
const maxCodeBytes = 256 * 1024;
const maxCodeFiles = 2000;

const read = async (root: string, file: string) => readFile(path.join(root, file), 'utf8').catch(() => '');
const under = (context: string, file: string) => context === '.' || file.startsWith(`${context}/`);

/** What each side's code reads, and the health paths it serves. */
async function codeOf(
	root: string,
	files: readonly string[],
	context: string,
): Promise<{reads: EnvRead[]; health: string[]; routes: Array<{path: string; reads: string[]}>; writes: CodeWrite[]}> {
	const reads: EnvRead[] = [];
	const writes: CodeWrite[] = [];
	const health: string[] = [];
	const routes: Array<{path: string; reads: string[]}> = [];
	const mine = files.filter(file => under(context, file) && codeFile.test(file) && !skippedCode.test(file)).slice(0, maxCodeFiles);
	for (const file of mine) {
		const apiPath = nextApiPath(file);
		if (apiPath && isHealthPath(apiPath)) {
			health.push(apiPath);
		}

		const text = (await read(root, file)).slice(0, maxCodeBytes);
		writes.push(...codeWrites(text, file));
		if (file.endsWith('.py')) {
			reads.push(...pythonEnvReads(text, file));
			health.push(...fastapiHealthPaths(text));
		} else {
			const found = javascriptEnvReads(text, file);
			reads.push(...found);
			// A route of the frontend's own API that reads a setting (an address, usually): a way through to the backend.
			if (apiPath && !isHealthPath(apiPath) && !apiPath.includes('[') && found.length > 0 && /\bexport\s+(async\s+)?function\s+GET\b|\bGET\s*[:=]/.test(text)) {
				routes.push({path: apiPath, reads: found.map(read => read.name)});
			}
		}
	}

	return {reads, health, routes, writes};
}

/** A Node side's package.json scripts (start, build, postinstall…), by name; none when it has no package.json. */
async function packageScripts(root: string, context: string): Promise<Readonly<Record<string, string>>> {
	try {
		const manifest = JSON.parse(await read(root, normalise(`${context}/package.json`))) as {scripts?: Record<string, unknown>};
		return Object.fromEntries(Object.entries(manifest.scripts ?? {}).flatMap(([name, script]) => (typeof script === 'string' ? [[name, script]] : [])));
	} catch {
		return {};
	}
}

/** Compose services by the side whose build context they use, and the database service. */
function composeRoles(services: readonly ComposeService[], sides: Readonly<Partial<Record<Side, ImageSource>>>) {
	const roles: Record<string, Side | 'database'> = {};
	const bySide: Partial<Record<Side, ComposeService>> = {};
	let database: DatabaseFacts | undefined;
	for (const service of services) {
		const side = (['backend', 'frontend'] as const).find(name => sides[name] && service.context === normalise(sides[name].context));
		if (side) {
			roles[service.name] = side;
			bySide[side] ??= service;
		} else if (/^(postgres|postgresql|bitnami\/postgresql)(:|$)/.test(service.image ?? '')) {
			roles[service.name] = 'database';
			database ??= {image: service.image ?? '', user: service.environment['POSTGRES_USER'], database: service.environment['POSTGRES_DB'], from: service.at};
		}
	}

	return {roles, bySide, database};
}

/** The contract of the project at root for its backend and frontend (as discovered or given). */
export async function readContract(root: string, files: readonly string[], sides: Readonly<Partial<Record<Side, ImageSource>>>): Promise<AppContract> {
	const services: ComposeService[] = [];
	for (const file of files.filter(name => composeFile.test(name) && !skippedCode.test(name))) {
		services.push(...composeServices(await read(root, file), file));
	}

	const {roles, bySide, database} = composeRoles(services, sides);
	const dockerfiles: Partial<Record<Side, ReturnType<typeof dockerfileFacts>>> = {};
	const parsedDockerfiles: Partial<Record<Side, Dockerfile>> = {};
	for (const side of ['backend', 'frontend'] as const) {
		const source = sides[side];
		if (source) {
			const file = normalise(`${source.context}/${source.dockerfile}`);
			parsedDockerfiles[side] = readDockerfile(await read(root, file));
			dockerfiles[side] = dockerfileFacts(parsedDockerfiles[side], file);
		}
	}

	const ports = Object.fromEntries(
		(['backend', 'frontend'] as const).flatMap(side => {
			const source = sides[side];
			const facts = dockerfiles[side];
			return source && facts ? [[side, portOf(side, facts, bySide[side], source.dockerfile).port]] : [];
		}),
	) as {backend?: number; frontend?: number};
	const contract: {backend?: ServiceContract; frontend?: ServiceContract} = {};
	const credentials: Array<{path: string; what: string}> = [];
	for (const side of ['backend', 'frontend'] as const) {
		const source = sides[side];
		const facts = dockerfiles[side];
		if (!source || !facts) {
			continue;
		}

		const context = normalise(source.context);
		const dockerfile = normalise(`${context}/${source.dockerfile}`);
		const {reads, health, routes, writes} = await codeOf(root, files, context);
		const exampleFiles = files.filter(file => path.posix.dirname(file) === context && /(^|\/)\.env(\.local)?\.(example|sample|template)$/.test(file));
		const examples = (await Promise.all(exampleFiles.map(async file => envExampleNames(await read(root, file), file)))).flat();
		const built = await listBuildContext(path.join(root, context), source.dockerfile).catch(() => undefined);
		const envContents: Record<string, string> = {};
		for (const entry of built?.entries ?? []) {
			if (/(^|\/)\.env(\.[\w.-]+)?$/.test(entry.name) && entry.size < 64 * 1024) {
				envContents[entry.name] = await read(root, `${context}/${entry.name}`);
			}
		}

		const copy = facts.copiesEverything[0];
		const unwanted = unwantedFiles(built?.entries ?? [], envContents, copy ? `\`${copy.text}\` (${dockerfile}:${copy.line})` : undefined).map(item => {
			const named = facts.copiesNamed.find(line => line.sources.includes(item.path.replace(/\/$/, '')));
			return {
				...item,
				path: normalise(`${context}/${item.path}`) + (item.path.endsWith('/') ? '/' : ''),
				...(named ? {named: `\`${named.text}\` (${dockerfile}:${named.line})`} : {}),
			};
		});
		const service = serviceContract(
			{
				side,
				code: reads,
				dockerfile: facts,
				examples,
				compose: bySide[side],
				composeNames: roles,
				healthPaths: health,
				routes,
				ports,
				unwanted,
				looksReal: value => credentialReason(value) !== undefined,
			},
			portOf(side, facts, bySide[side], dockerfile),
		);
		// What the image will hold: the context as it is sent (todo-deploy leaves the unwanted out).
		const leftOut = unwanted.filter(item => !item.named).map(item => item.path.replace(/\/$/, ''));
		const sent = (built?.entries ?? [])
			.filter(entry => entry.type === 'file')
			.map(entry => entry.name)
			.filter(name => !leftOut.some(out => normalise(`${context}/${name}`) === out || normalise(`${context}/${name}`).startsWith(`${out}/`)));
		const parsed = parsedDockerfiles[side] ?? readDockerfile('');
		const scripts = await packageScripts(root, context);
		// A script the build runs (RUN node build.js, npm run build) writes at build time, not in the pod.
		const buildScripts = [
			...parsed.instructions.filter(instruction => instruction.keyword === 'RUN').map(instruction => instruction.text),
			...Object.entries(scripts)
				.filter(([name]) => /^(?:pre|post)?(?:build|install|prepare)$/.test(name))
				.map(([, script]) => script),
		].join('\n');
		const runtimeWrites = writes.filter(write => {
			const file = write.at.replace(/:\d+$/, '');
			const relative = context === '.' ? file : file.slice(context.length + 1);
			return !buildScripts.includes(relative) && !buildScripts.includes(path.posix.basename(relative, path.posix.extname(relative)));
		});
		contract[side] = {
			...service,
			runtime: runtimeNeeds(parsed, dockerfile, runtimeWrites),
			startProblems: built ? startProblems(parsed, dockerfile, sent, scripts['start']) : [],
		};
	}

	// Real credentials in the project's own text files, example files included.
	for (const file of files.filter(name => credentialFile.test(name) && !skippedCode.test(name) && !lockFile.test(name))) {
		const size = await stat(path.join(root, file)).then(
			found => found.size,
			() => Infinity,
		);
		if (size <= maxCredentialFileBytes) {
			credentials.push(...credentialsIn(file, await read(root, file)));
		}
	}

	return {...contract, database, credentials};
}
