// Pure: what the app needs to run, learnt from the project without running anything. For each side
// (backend, frontend): the port, the health paths, and every setting the code reads, each with a kind
// that says how todo-deploy fills it in the cluster, and where it was read.
import {load} from 'js-yaml';
import type {DockerfileFacts, EnvRead} from './env-reads.js';
import type {RuntimeNeeds} from './runtime-needs.js';
import type {StartProblem} from './start-check.js';

export type EnvKind = 'database-url' | 'secret' | 'service-url' | 'build-time' | 'plain';
export type Side = 'backend' | 'frontend';

export type EnvUse = {
	readonly name: string;
	readonly kind: EnvKind;
	/** Nothing in the code falls back when it is missing. */
	readonly required: boolean;
	/** What the code uses when it is not set (never shown for a secret). */
	readonly fallback?: string | undefined;
	/** A plain value the project gives it (compose, a .env example), used as the ConfigMap's. */
	readonly value?: string | undefined;
	/** For an address: whose it is. */
	readonly target?: Side | 'database' | undefined;
	/** The code reads it in the browser ('use client'): the address must be one the browser reaches. */
	readonly browser?: boolean | undefined;
	/** The Dockerfile declares it as an ARG: a build argument reaches the build. */
	readonly arg?: boolean | undefined;
	/** A database URL's scheme as the project writes it (postgresql+psycopg2, postgres), never its credentials. */
	readonly scheme?: string | undefined;
	readonly from: readonly string[];
};

export type Unwanted = {
	readonly path: string;
	readonly why: string;
	readonly secret: boolean;
	/** The Dockerfile line that copies exactly this file: leaving it out would break the build. */
	readonly named?: string | undefined;
};

export type ServiceContract = {
	readonly port: number | undefined;
	readonly portFrom: string | undefined;
	readonly health: readonly string[];
	readonly env: readonly EnvUse[];
	readonly unwanted: readonly Unwanted[];
	/** Routes of this side that reach the backend (a Next.js route reading the backend's address): GET, no parameters. */
	readonly proxies?: readonly string[];
	/** What it needs at run time that the chart's strict defaults do not give (project/runtime-needs.ts). */
	readonly runtime?: RuntimeNeeds;
	/** What would keep the image's start command from starting (project/start-check.ts). */
	readonly startProblems?: readonly StartProblem[];
};

export type ComposeService = {
	readonly name: string;
	readonly context: string | undefined;
	readonly args: Readonly<Record<string, string>>;
	readonly image: string | undefined;
	readonly containerPorts: readonly number[];
	readonly environment: Readonly<Record<string, string>>;
	readonly envFiles: readonly string[];
	readonly healthPath: string | undefined;
	readonly dependsOn: readonly string[];
	readonly at: string;
};

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const strings = (value: unknown): Record<string, string> => {
	if (Array.isArray(value)) {
		return Object.fromEntries(
			value.map(item => String(item)).map(item => [item.split('=')[0] ?? item, item.includes('=') ? item.slice(item.indexOf('=') + 1) : '']),
		);
	}

	return isObject(value) ? Object.fromEntries(Object.entries(value).map(([key, item]) => [key, item === null || item === undefined ? '' : String(item)])) : {};
};

/** The services of a compose file (docker-compose.yml, compose.yaml); a file that does not parse has none. */
export function composeServices(text: string, file: string): ComposeService[] {
	let parsed: unknown;
	try {
		parsed = load(text);
	} catch {
		return [];
	}

	const services = isObject(parsed) && isObject(parsed['services']) ? parsed['services'] : {};
	const folder = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '.';
	const join = (relative: string) => normalise(folder === '.' ? relative : `${folder}/${relative}`);
	return Object.entries(services).flatMap(([name, raw]) => {
		if (!isObject(raw)) {
			return [];
		}

		const build = raw['build'];
		const context = typeof build === 'string' ? build : isObject(build) && typeof build['context'] === 'string' ? build['context'] : undefined;
		const health = isObject(raw['healthcheck']) ? JSON.stringify(raw['healthcheck']['test'] ?? '') : '';
		const ports = (Array.isArray(raw['ports']) ? raw['ports'] : []).flatMap(port => {
			const text = isObject(port) ? String(port['target'] ?? '') : String(port);
			const container = /(\d+)(?:\/\w+)?$/.exec(text)?.[1];
			return container ? [Number(container)] : [];
		});
		const envFile = raw['env_file'];
		return [
			{
				name,
				context: context === undefined ? undefined : join(context),
				args: strings(isObject(build) ? build['args'] : undefined),
				image: typeof raw['image'] === 'string' ? raw['image'] : undefined,
				containerPorts: ports,
				environment: strings(raw['environment']),
				envFiles: (Array.isArray(envFile) ? envFile : envFile === undefined ? [] : [envFile]).map(item =>
					join(isObject(item) ? String(item['path']) : String(item)),
				),
				healthPath: /https?:\/\/[^/\s"']+(\/[^\s"',\]]*)/.exec(health)?.[1],
				dependsOn: Array.isArray(raw['depends_on']) ? raw['depends_on'].map(String) : isObject(raw['depends_on']) ? Object.keys(raw['depends_on']) : [],
				at: `${file}:services.${name}`,
			},
		];
	});
}

/** "./backend/" and "backend" are the same folder; "a/../b" is "b". */
export function normalise(dir: string): string {
	const parts: string[] = [];
	for (const part of dir.split('/')) {
		if (part === '..') {
			parts.pop();
		} else if (part !== '.' && part !== '') {
			parts.push(part);
		}
	}

	return parts.join('/') || '.';
}

const databaseName = /(^|_)(DATABASE|DB|POSTGRES(QL)?|PG|SQLALCHEMY_DATABASE)_?(URL|URI|DSN)$/;
const databaseValue = /^(postgres(ql)?|sqlite|mysql|mariadb)(\+\w+)?:\/\//;
const secretName = /(SECRET|PASSWORD|PASSWD|TOKEN|API_?KEY|PRIVATE_?KEY|(SIGNING|ENCRYPTION)_?KEY|CREDENTIALS?|SALT)/;
// Settings about a secret that are not one: how long a token lives, which algorithm signs it.
const aboutASecret = /_(MINUTES|SECONDS|HOURS|DAYS|TTL|EXPIRES?|EXPIRE_\w+|EXPIRY|LIFETIME|LENGTH|ALGORITHM|ALG|TYPE|NAME|HEADER|PATH|FILE|ENABLED)$/;
const addressName = /(_URL|_URI|_HOST|_ENDPOINT|_ORIGIN|_ADDR|_ADDRESS|_BASE)$/;

/** The first PostgreSQL scheme among the values (the driver an app's SQLAlchemy wants is part of it). */
function schemeOf(values: readonly string[]): {scheme?: string} {
	const scheme = values.map(value => /^(postgres(?:ql)?(?:\+\w+)?):\/\//.exec(value)?.[1]).find(Boolean);
	return scheme ? {scheme} : {};
}

export function kindOf(name: string, values: readonly string[], buildArg: boolean): EnvKind {
	if (databaseName.test(name) || values.some(value => databaseValue.test(value))) {
		return 'database-url';
	}

	if (name.startsWith('NEXT_PUBLIC_') || buildArg) {
		return 'build-time';
	}

	if (secretName.test(name) && !addressName.test(name) && !aboutASecret.test(name)) {
		return 'secret';
	}

	// Which origins a browser may call from (CORS): the browser's addresses, not another service's.
	if (/(ORIGINS?|CORS\w*)$/.test(name)) {
		return 'plain';
	}

	return addressName.test(name) || values.some(value => /^https?:\/\//.test(value)) ? 'service-url' : 'plain';
}

/** Whose address a variable holds: a compose service's name or a side's port in its value, else its name. */
export function targetOf(
	name: string,
	values: readonly string[],
	ports: {readonly backend?: number | undefined; readonly frontend?: number | undefined},
	composeNames: Readonly<Record<string, Side | 'database'>>,
): Side | 'database' | undefined {
	for (const value of values) {
		const url = /^[a-z+]+:\/\/(?:[^@/]*@)?([^/:?#]+)(?::(\d+))?/.exec(value);
		const host = url?.[1];
		const port = url?.[2] ? Number(url[2]) : undefined;
		if (host && composeNames[host]) {
			return composeNames[host];
		}

		if (port !== undefined && port === ports.backend) {
			return 'backend';
		}

		if (port !== undefined && port === ports.frontend) {
			return 'frontend';
		}
	}

	if (/(API|BACKEND|SERVER)/.test(name)) {
		return 'backend';
	}

	return /(FRONTEND|WEB|SITE|NEXTAUTH|APP)_?(URL|ORIGIN)$/.test(name) ? 'frontend' : undefined;
}

export type ContractInputs = {
	readonly side: Side;
	readonly code: readonly EnvRead[];
	readonly dockerfile: DockerfileFacts;
	readonly examples: readonly EnvRead[];
	readonly compose: ComposeService | undefined;
	readonly composeNames: Readonly<Record<string, Side | 'database'>>;
	readonly healthPaths: readonly string[];
	/** The side's own API routes (Next.js) and the settings each reads. */
	readonly routes?: ReadonlyArray<{readonly path: string; readonly reads: readonly string[]}>;
	readonly ports: {readonly backend?: number | undefined; readonly frontend?: number | undefined};
	readonly unwanted: readonly Unwanted[];
	/** A value that could be a real credential is never kept as a plain value. */
	readonly looksReal: (value: string) => boolean;
};

/** The port the app listens on: its start command, then EXPOSE, then compose, then the framework's default. */
export function portOf(side: Side, dockerfile: DockerfileFacts, compose: ComposeService | undefined, file: string): {port: number; from: string} {
	if (dockerfile.commandPort) {
		return {port: dockerfile.commandPort, from: `${file} CMD`};
	}

	if (dockerfile.exposed[0]) {
		return {port: dockerfile.exposed[0], from: `${file} EXPOSE`};
	}

	if (compose?.containerPorts[0]) {
		return {port: compose.containerPorts[0], from: compose.at};
	}

	return side === 'backend' ? {port: 8000, from: 'the default of uvicorn'} : {port: 3000, from: 'the default of next start'};
}

export function serviceContract(inputs: ContractInputs, port: {port: number; from: string}): ServiceContract {
	const byName = new Map<string, {reads: EnvRead[]; buildArg: boolean; code: boolean}>();
	const add = (read: EnvRead, how: {buildArg?: boolean; code?: boolean} = {}) => {
		const entry = byName.get(read.name) ?? {reads: [], buildArg: false, code: false};
		entry.reads.push(read);
		entry.buildArg ||= how.buildArg ?? false;
		entry.code ||= how.code ?? false;
		byName.set(read.name, entry);
	};

	for (const read of inputs.code) {
		add(read, {code: true});
	}

	for (const read of inputs.dockerfile.args) {
		add(read, {buildArg: true});
	}

	// ENV lines and examples name settings too, but only those the code or the build reads are asked for.
	const known = new Set(byName.keys());
	for (const read of [...inputs.dockerfile.env, ...inputs.examples]) {
		if (known.has(read.name) || inputs.examples.includes(read)) {
			add(read);
		}
	}

	const composeValues = {...(inputs.compose?.environment ?? {}), ...(inputs.compose?.args ?? {})};
	const env = [...byName.entries()].map(([name, {reads, buildArg, code}]): EnvUse => {
		const values = [composeValues[name], ...reads.map(read => read.fallback)].filter((value): value is string => value !== undefined && value !== '');
		// A build argument the running code does not read is needed at build time only.
		const kind = kindOf(name, values, buildArg && !code);
		const fallback = reads.find(read => read.fallback !== undefined && !inputs.examples.includes(read))?.fallback;
		const given = composeValues[name] ?? reads.find(read => inputs.examples.includes(read))?.fallback;
		const target =
			kind === 'service-url' || kind === 'build-time' || kind === 'database-url'
				? kind === 'database-url'
					? 'database'
					: targetOf(name, values, inputs.ports, inputs.composeNames)
				: undefined;
		const codeReads = reads.filter(read => !inputs.examples.includes(read));
		return {
			name,
			kind,
			required: codeReads.length > 0 && codeReads.some(read => read.required) && given === undefined,
			...(fallback !== undefined && kind !== 'secret' && !inputs.looksReal(fallback) ? {fallback} : {}),
			...(given !== undefined && kind === 'plain' && !inputs.looksReal(given) ? {value: given} : {}),
			...(target ? {target} : {}),
			...(reads.some(read => read.side === 'client') && !reads.some(read => read.side === 'server') ? {browser: true} : {}),
			...(buildArg ? {arg: true} : {}),
			...(kind === 'database-url' ? schemeOf(values) : {}),
			from: [...new Set([...reads.map(read => read.at), ...(composeValues[name] === undefined ? [] : [inputs.compose?.at ?? ''])])],
		};
	});
	const health = [
		...new Set([
			...inputs.healthPaths,
			...(inputs.dockerfile.healthPath ? [inputs.dockerfile.healthPath] : []),
			...(inputs.compose?.healthPath ? [inputs.compose.healthPath] : []),
		]),
	];
	const backendAddresses = new Set(env.filter(entry => entry.target === 'backend').map(entry => entry.name));
	const proxies = (inputs.routes ?? []).filter(route => route.reads.some(name => backendAddresses.has(name))).map(route => route.path);
	return {
		port: port.port,
		portFrom: port.from,
		health,
		env: env.sort((a, b) => a.name.localeCompare(b.name)),
		unwanted: inputs.unwanted,
		...(proxies.length > 0 ? {proxies: [...new Set(proxies)]} : {}),
	};
}

/** The readiness path (a /ready-like one when the app has it) and the liveness path. */
export function probePaths(contract: ServiceContract | undefined): {readonly liveness: string; readonly readiness: string} | undefined {
	const health = contract?.health ?? [];
	if (health.length === 0) {
		return undefined;
	}

	const ready = health.find(path => /ready/i.test(path));
	const live = health.find(path => !/ready/i.test(path)) ?? ready ?? '/';
	return {liveness: live, readiness: ready ?? live};
}

export type SavedContract = {
	readonly port?: number;
	readonly health?: readonly string[];
	readonly env?: Readonly<Record<string, {readonly kind: EnvKind; readonly value?: string; readonly target?: Side | 'database'} | null>>;
};

/** What todo-deploy.json says wins over what was discovered: per setting, and for the port and health paths. */
export function withSaved(contract: ServiceContract, saved: SavedContract | undefined): ServiceContract {
	if (!saved) {
		return contract;
	}

	const overrides = saved.env ?? {};
	const env = contract.env
		.filter(entry => overrides[entry.name] !== null)
		.map(entry => {
			const override = overrides[entry.name];
			return override
				? {
						...entry,
						kind: override.kind,
						...(override.value === undefined ? {} : {value: override.value}),
						...(override.target ? {target: override.target} : {}),
						from: [...entry.from, 'todo-deploy.json'],
					}
				: entry;
		});
	for (const [name, override] of Object.entries(overrides)) {
		if (override && !env.some(entry => entry.name === name)) {
			env.push({name, kind: override.kind, required: false, value: override.value, target: override.target, from: ['todo-deploy.json']});
		}
	}

	return {
		...contract,
		...(saved.port ? {port: saved.port, portFrom: 'todo-deploy.json'} : {}),
		...(saved.health ? {health: saved.health} : {}),
		env: env.sort((a, b) => a.name.localeCompare(b.name)),
	};
}

/** The contract as todo-deploy.json keeps it: what each setting is, not where it was read. */
export function savedForm(contract: ServiceContract): SavedContract {
	return {
		...(contract.port ? {port: contract.port} : {}),
		health: contract.health,
		env: Object.fromEntries(
			contract.env.map(entry => [
				entry.name,
				{kind: entry.kind, ...(entry.value === undefined ? {} : {value: entry.value}), ...(entry.target ? {target: entry.target} : {})},
			]),
		),
	};
}
