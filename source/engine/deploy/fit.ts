// Pure: todo-deploy's chart fitted to the app's contract. Each side gets the port it listens on, the
// health paths it serves, and every setting under the name its code reads: plain ones and the other
// services' addresses in the ConfigMap, secrets and the database URL from the Secret, and what a build
// bakes in (NEXT_PUBLIC_*, Dockerfile ARGs) as build arguments. Every choice is said, with where it
// was learnt.
import type {EnvUse, ServiceContract, Side} from '../project/contract.js';
import {probePaths} from '../project/contract.js';
import type {AppContract} from '../project/read-contract.js';
import {urlOf, wantedAddresses, type Addresses} from '../browser/addresses.js';
import {nodePorts} from '../browser/kind-mapping.js';
import {fullnameOf, secretNameOf} from './names.js';

/** What the shipped chart reads from its Secret by default (charts/todo-app/values.yaml's secretEnv). */
export const chartSecretEnv: Readonly<Record<Side, readonly string[]>> = {
	backend: ['AUTH_SECRET', 'DATABASE_URL', 'GEMINI_API_KEY'],
	frontend: [],
};

/** The folders the shipped chart mounts writable by default (values.yaml's writablePaths): a fit adds to them. */
export const chartWritablePaths: Readonly<Record<Side, readonly string[]>> = {
	backend: ['/tmp'],
	frontend: ['/tmp', '/app/.next/cache'],
};

/** The shipped chart's Service ports: the backend's is its container port, the frontend's a fixed one. */
const frontendServicePort = 80;

export type SecretRole = 'databasePassword' | 'authSecret' | 'geminiApiKey';

/** A key of the Secret under the name the code reads, and what fills it. */
export type SecretBinding = {
	readonly key: string;
	readonly sides: readonly Side[];
	readonly source:
		| {readonly type: 'role'; readonly role: SecretRole}
		| {readonly type: 'database-url'; readonly scheme: string}
		/** A secret of the app's own (a payment provider's key): from the environment, .env or a prompt. */
		| {readonly type: 'own'; readonly generate: boolean};
	/** The code has a fallback or does without: the pod starts when it is missing. */
	readonly optional: boolean;
	readonly from: readonly string[];
};

export type FittedChart = {
	/** A values file's content (never a secret value). */
	readonly values: Record<string, unknown>;
	readonly bindings: readonly SecretBinding[];
	/** Build arguments per image: the addresses and settings a build bakes in, for the ARGs its Dockerfile declares. */
	readonly buildArgs: Readonly<Partial<Record<Side, Readonly<Record<string, string>>>>>;
	/**
	 * NEXT_PUBLIC_* values a build must bake in whose Dockerfile declares no ARG for them: they reach the
	 * build as a .env.production.local todo-deploy adds to the context it sends (public values only).
	 */
	readonly bakedEnv: Readonly<Partial<Record<Side, Readonly<Record<string, string>>>>>;
	/** The database's user and name, as the project's compose file has them (else todo, or the chart's: fitForChart). */
	readonly database: {readonly user: string; readonly name: string};
	/** Whether the project said them; otherwise the chart's own defaults apply. */
	readonly databaseFrom: 'project' | 'default';
	/** What was learnt and where, a line each, for the plan and the report. */
	readonly learnt: readonly string[];
	/** What could not be fitted, each with what to do. */
	readonly gaps: readonly string[];
};

const authSecret = /(JWT|AUTH|SESSION|COOKIE)|^(APP_|FLASK_|DJANGO_)?SECRET(_KEY)?$/;
const geminiKey = /GEMINI|GOOGLE_(GENAI_|AI_)?API_KEY/;
const databasePassword = /^(POSTGRES|PG|DB|DATABASE)_?PASS(WORD)?$/;
// A secret nobody else holds, which todo-deploy may make up: a signing key, a salt.
const generated = /(SECRET|SALT|SIGNING|ENCRYPTION)/;
const providerCredential = /(API_?KEY|ACCESS_KEY|CLIENT_SECRET|TOKEN|PASSWORD|CREDENTIAL)/;

/** Which of todo-deploy's secrets a setting the code reads is, if any. */
export function roleOf(name: string): SecretRole | undefined {
	if (geminiKey.test(name)) {
		return 'geminiApiKey';
	}

	if (databasePassword.test(name)) {
		return 'databasePassword';
	}

	return authSecret.test(name) && !providerCredential.test(name.replace(/(JWT|AUTH)_?SECRET/, '')) ? 'authSecret' : undefined;
}

const roleWords: Readonly<Record<SecretRole, string>> = {
	authSecret: 'the auth secret (generated, kept in the Secret)',
	databasePassword: "the database's password",
	geminiApiKey: 'the Gemini API key',
};

/** A value todo-deploy.json gives: it wins over the address todo-deploy would fill in. */
const given = (entry: EnvUse) => (entry.from.includes('todo-deploy.json') ? entry.value : undefined);

const where = (entry: EnvUse) => (entry.from.length > 0 ? ` (${entry.from.slice(0, 2).join(', ')}${entry.from.length > 2 ? ', …' : ''})` : '');

export type FitInputs = {
	readonly contract: AppContract;
	readonly release: string;
	/** The local ports the browser reaches each side at (engine/browser/addresses.ts); default: the ones the app declares. */
	readonly addresses?: Addresses | undefined;
};

/** What the fit gathers while it walks the two sides. */
type Fitting = {
	readonly fullname: string;
	readonly backendPort: number | undefined;
	/** Where the browser reaches each side: the addresses held on this machine. */
	readonly addresses: Addresses;
	readonly learnt: string[];
	readonly gaps: string[];
	readonly bindings: Map<string, SecretBinding>;
	readonly buildArgs: Partial<Record<Side, Record<string, string>>>;
	readonly bakedEnv: Partial<Record<Side, Record<string, string>>>;
};

/** One side's settings as the chart takes them: plain ones in env, the Secret's keys in secretEnv. */
type SideEnv = {readonly env: Record<string, string>; readonly secretEnv: Record<string, unknown>};

export function fitChart(inputs: FitInputs): FittedChart {
	const {contract} = inputs;
	const fitting: Fitting = {
		fullname: fullnameOf(inputs.release),
		backendPort: contract.backend?.port,
		addresses: inputs.addresses ?? wantedAddresses(contract),
		learnt: [],
		gaps: [],
		bindings: new Map(),
		buildArgs: {},
		bakedEnv: {},
	};
	// The Secret todo-deploy writes (with the app's own keys) is the one the pods read.
	const values: Record<string, unknown> = {secrets: {existingSecret: secretNameOf(inputs.release)}};
	const database = {user: contract.database?.user ?? 'todo', name: contract.database?.database ?? 'todo'};
	const databaseFrom = contract.database?.user || contract.database?.database ? 'project' : 'default';
	if (contract.database && databaseFrom === 'project') {
		values['postgresql'] = {username: database.user, database: database.name};
		fitting.learnt.push(`database: user ${database.user}, database ${database.name}, as ${contract.database.from} has them`);
	}

	for (const side of ['backend', 'frontend'] as const) {
		const service = contract[side];
		if (service) {
			values[side] = fitSide(fitting, side, service);
		}
	}

	const {learnt, gaps, bindings, buildArgs, bakedEnv} = fitting;
	return {values, bindings: [...bindings.values()], buildArgs, bakedEnv, database, databaseFrom, learnt, gaps};
}

/** The address a setting that names another part of the app gets: the in-cluster Service, or localhost for the browser. */
function addressOf(fitting: Fitting, entry: EnvUse): string | undefined {
	const target = entry.target;
	if (target === 'database') {
		return entry.name.endsWith('_HOST') ? `${fitting.fullname}-postgresql` : undefined;
	}

	if (!target) {
		return undefined;
	}

	// The browser is outside the cluster: it reaches a side at the address todo-deploy holds for it on this machine.
	const held = entry.browser ? fitting.addresses[target] : undefined;
	if (entry.browser && held !== undefined) {
		return entry.name.endsWith('_HOST') ? 'localhost' : urlOf(held);
	}

	const port = target === 'backend' ? (fitting.backendPort ?? 8000) : frontendServicePort;
	const host = entry.browser ? 'localhost' : `${fitting.fullname}-${target}`;
	return entry.name.endsWith('_HOST') ? host : `http://${host}:${port}`;
}

function bind(fitting: Fitting, side: Side, key: string, source: SecretBinding['source'], optional: boolean, entry: EnvUse) {
	const known = fitting.bindings.get(key);
	fitting.bindings.set(key, {
		key,
		sides: [...(known?.sides ?? []), side],
		source,
		optional: (known?.optional ?? true) && optional,
		from: [...(known?.from ?? []), ...entry.from],
	});
}

function fitSide(fitting: Fitting, side: Side, service: ServiceContract): Record<string, unknown> {
	const sideValues: Record<string, unknown> = {};
	const sideEnv: SideEnv = {env: {}, secretEnv: {}};
	if (service.port) {
		sideValues['port'] = service.port;
		fitting.learnt.push(`${side}: listens on ${service.port}${service.portFrom ? ` (${service.portFrom})` : ''}`);
	}

	const probes = probePaths(service);
	if (probes) {
		sideValues['probes'] = {liveness: {path: probes.liveness}, readiness: {path: probes.readiness}, startup: {path: probes.liveness}};
		fitting.learnt.push(
			`${side}: probes ${probes.liveness === probes.readiness ? probes.liveness : `${probes.liveness} (alive), ${probes.readiness} (ready)`}, from the routes the code defines`,
		);
	}

	for (const entry of service.env) {
		fitEntry(fitting, side, entry, sideEnv);
	}

	if (service.runtime) {
		fitRuntime(fitting, side, service, sideValues, sideEnv.env);
	}

	// Browser code calls the backend from outside the cluster: its Service gets a fixed NodePort, which a
	// kind cluster todo-deploy creates maps to the held address (the frontend's is the chart's own).
	const held = side === 'backend' ? fitting.addresses.backend : undefined;
	if (held !== undefined) {
		sideValues['nodePort'] = nodePorts.backend;
		fitting.learnt.push(
			`backend: its Service is a NodePort (${nodePorts.backend}), since the browser calls it: a kind cluster todo-deploy creates maps it to ${urlOf(held)}`,
		);
	}

	const {env, secretEnv} = sideEnv;
	// The chart's own secret settings that this code does not read are left out (helm deletes a null).
	if (service.env.length > 0) {
		for (const name of chartSecretEnv[side]) {
			if (!(name in secretEnv)) {
				secretEnv[name] = null;
			}
		}
	}

	if (Object.keys(env).length > 0) {
		sideValues['env'] = env;
	}

	if (Object.keys(secretEnv).length > 0) {
		sideValues['secretEnv'] = secretEnv;
	}

	return sideValues;
}

/**
 * What the app needs at run time that the chart's strict defaults refuse (a non-root UID, a read-only
 * root filesystem, no capabilities): a writable folder, a package manager's cache, its own UID, a port
 * below 1024. Each becomes a chart value, said in the plan; what no value can fit is a gap.
 */
function fitRuntime(fitting: Fitting, side: Side, service: ServiceContract, sideValues: Record<string, unknown>, env: Record<string, string>): void {
	const runtime = service.runtime;
	if (!runtime) {
		return;
	}

	const {learnt, gaps} = fitting;
	if (runtime.writes.length > 0) {
		sideValues['writablePaths'] = [...new Set([...chartWritablePaths[side], ...runtime.writes.map(write => write.path)])];
		for (const write of runtime.writes) {
			learnt.push(`${side}: writes ${write.path} (${write.from}): an emptyDir there, as the root filesystem is read-only (empty again with each pod)`);
		}
	}

	for (const write of runtime.writesBesideCode) {
		gaps.push(
			`${side}: writes ${write.path} (${write.from}) in ${runtime.workdir}, the folder of its own code, on a root filesystem that is read-only; an emptyDir there would hide the code. Make it write under /tmp or a folder of its own (todo-deploy then mounts one), or log to stdout.`,
		);
	}

	const manager = runtime.packageManager;
	if (manager && env['npm_config_cache'] === undefined) {
		env['npm_config_cache'] = '/tmp/.npm';
		const setsHome = !manager.homeSet && env['HOME'] === undefined;
		const home = setsHome ? ' and HOME=/tmp' : '';
		if (setsHome) {
			env['HOME'] = '/tmp';
		}

		learnt.push(
			`${side}: starts with ${manager.tool} (${manager.from}), which writes a cache and logs under HOME first: npm_config_cache=/tmp/.npm${home}, as the root filesystem is read-only`,
		);
	}

	if (runtime.uid) {
		sideValues['uid'] = runtime.uid.uid;
		learnt.push(`${side}: runs as UID ${runtime.uid.uid}, the image's own USER ${runtime.uid.user} (${runtime.uid.from})`);
	} else if (runtime.user) {
		learnt.push(
			runtime.user.root
				? `${side}: the Dockerfile's USER ${runtime.user.name} (${runtime.user.from}) is not kept: the chart never runs as root, so it runs as UID 10001`
				: `${side}: runs as UID 10001, as the Dockerfile's USER ${runtime.user.name} (${runtime.user.from}) has no UID it says (USER 1001, or adduser -u 1001 ${runtime.user.name}, keeps its own)`,
		);
	}

	if (service.port !== undefined && service.port < 1024) {
		sideValues['unprivilegedPortStart'] = service.port;
		learnt.push(
			`${side}: listens on ${service.port}, below 1024, which only root may bind: the pod's net.ipv4.ip_unprivileged_port_start is set to ${service.port} (a safe sysctl)`,
		);
	}
}

/** A backend setting that lists the origins a browser may call it from (CORS). */
const originSetting =
	/^(?:(?:CORS|ALLOWED|ALLOW)_?(?:ORIGINS?|HOSTS?_?ORIGINS?)|CORS_ALLOW_ORIGINS?|FRONTEND_(?:URL|ORIGIN)|CLIENT_(?:URL|ORIGIN)|BACKEND_CORS_ORIGINS)$/;
const localOrigin = /^https?:\/\/(?:localhost|127\.0\.0\.1)(?::\d+)?\/?$/;

/** The origins the backend lets browsers call it from: the frontend's held address first, then what the project gave that is not a local one. */
function originsFor(fitting: Fitting, entry: EnvUse): string | undefined {
	const frontend = fitting.addresses.frontend;
	if (frontend === undefined || !originSetting.test(entry.name)) {
		return undefined;
	}

	// A JSON list (pydantic's List[str]) stays a JSON list; else a comma-separated one.
	const value = entry.value?.trim() ?? '';
	const json = value.startsWith('[');
	let listed: unknown;
	try {
		listed = json ? JSON.parse(value) : value.split(',');
	} catch {
		listed = [];
	}

	const kept = (Array.isArray(listed) ? listed : []).map(origin => String(origin).trim()).filter(origin => origin !== '' && !localOrigin.test(origin));
	const origins = [urlOf(frontend), ...kept];
	return json ? JSON.stringify(origins) : origins.join(',');
}

/** One setting the code reads, under the name it reads it, where the chart takes it. */
function fitEntry(fitting: Fitting, side: Side, entry: EnvUse, {env, secretEnv}: SideEnv): void {
	const {learnt, gaps} = fitting;
	const origins = side === 'backend' && (entry.kind === 'plain' || entry.kind === 'service-url') ? originsFor(fitting, entry) : undefined;
	if (origins !== undefined && given(entry) === undefined) {
		env[entry.name] = origins;
		learnt.push(`${side}: ${entry.name} = ${origins} (the browser's origin: the frontend's address on this machine)${where(entry)}`);
		return;
	}

	switch (entry.kind) {
		case 'database-url': {
			const scheme = entry.scheme ?? 'postgresql';
			bind(fitting, side, entry.name, {type: 'database-url', scheme}, false, entry);
			secretEnv[entry.name] = entry.name;
			learnt.push(`${side}: ${entry.name} ← the in-cluster PostgreSQL as ${scheme}://…, from the Secret${where(entry)}`);
			return;
		}

		case 'secret': {
			const role = roleOf(entry.name);
			const optional = role === 'geminiApiKey' || (role === undefined && !entry.required);
			const generates = generated.test(entry.name) && !providerCredential.test(entry.name);
			bind(fitting, side, entry.name, role ? {type: 'role', role} : {type: 'own', generate: generates}, optional, entry);
			secretEnv[entry.name] = optional ? {key: entry.name, optional: true} : entry.name;
			learnt.push(
				`${side}: ${entry.name} ← ${role ? roleWords[role] : generates ? 'a generated secret of its own' : 'your value (environment, .env or asked)'}, from the Secret${where(entry)}`,
			);
			return;
		}

		case 'service-url': {
			const address = given(entry) ?? addressOf(fitting, entry);
			if (address) {
				env[entry.name] = address;
				learnt.push(
					`${side}: ${entry.name} = ${address}${entry.browser ? ' (read in the browser: the address todo-deploy holds on this machine)' : ''}${where(entry)}`,
				);
			} else if (entry.value !== undefined) {
				env[entry.name] = entry.value;
			}

			return;
		}

		case 'build-time': {
			const value = given(entry) ?? (entry.target ? addressOf(fitting, entry) : undefined) ?? entry.value;
			if (value === undefined) {
				return;
			}

			// Baked in by the build; the running pod gets it too, for server code that reads it then.
			env[entry.name] = value;
			const how = entry.arg
				? 'a build argument'
				: entry.name.startsWith('NEXT_PUBLIC_')
					? 'a .env.production.local todo-deploy adds to the build context (the Dockerfile declares no ARG for it; the project is not touched)'
					: undefined;
			if (entry.arg) {
				(fitting.buildArgs[side] ??= {})[entry.name] = value;
			} else if (entry.name.startsWith('NEXT_PUBLIC_')) {
				(fitting.bakedEnv[side] ??= {})[entry.name] = value;
			}

			learnt.push(
				`${side}: ${entry.name} = ${value}, baked in at build time${how ? ` through ${how}` : ''}${entry.browser ? ' (read in the browser)' : ''}${where(entry)}`,
			);
			return;
		}

		case 'plain': {
			if (entry.value !== undefined) {
				env[entry.name] = entry.value;
				learnt.push(`${side}: ${entry.name} = ${entry.value}${where(entry)}`);
			} else if (entry.required) {
				gaps.push(
					`${side}: ${entry.name} is read with no fallback${where(entry)} and nothing in the project gives it a value: set it in todo-deploy.json ("${side}": {"env": {"${entry.name}": {"kind": "plain", "value": "…"}}}).`,
				);
			}
		}
	}
}

/** The fit as flow notes: what was learnt, then what could not be fitted. */
export function fitNotes(fit: FittedChart): string[] {
	return [
		`todo-deploy's chart, fitted to the app: ${fit.learnt.length} things learnt from the project (todo-deploy discover shows where).`,
		...fit.learnt.map(line => `  ${line}`),
		...fit.gaps.map(gap => `Not fitted: ${gap}`),
	];
}

/** The fit as --json and the report keep it: names and addresses, never a secret value. */
export function fitRecord(fit: FittedChart) {
	return {
		learnt: fit.learnt,
		gaps: fit.gaps,
		secretKeys: fit.bindings.map(binding => ({key: binding.key, sides: binding.sides, source: binding.source.type, optional: binding.optional})),
		buildArgs: fit.buildArgs,
		bakedEnv: fit.bakedEnv,
	};
}
