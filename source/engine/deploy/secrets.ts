// Where each secret comes from. The environment, then .env, then what the person typed, then
// what the cluster already has (a database keeps its first password), then a generated value.
// Placeholders are refused. Values never leave this module except into the Secret's body.
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {parseEnv} from 'node:util';
import {placeholderReason} from '../lint/secret-values.js';
import {addSecrets, secretValuesOf} from '../mask.js';
import type {SecretBinding, SecretRole} from './fit.js';

export type SecretSpec = {
	/** The role (databasePassword, authSecret, geminiApiKey), or the key of an app's own secret. */
	readonly name: string;
	readonly label: string;
	/** The key in the Kubernetes Secret the chart reads. */
	readonly key: string;
	/** Environment variables (and .env keys) that may hold it, first wins. */
	readonly env: readonly string[];
	/** Generated when nobody gave one (nobody needs to know it). */
	readonly generate: boolean;
	readonly optional: boolean;
	readonly why: string;
};

/** todo-deploy's own secrets: every deploy has them, whatever names the app reads them by. */
export const roleSpecs: Readonly<Record<SecretRole, SecretSpec>> = {
	databasePassword: {
		name: 'databasePassword',
		label: 'database password',
		key: 'DATABASE_PASSWORD',
		env: ['TODO_DATABASE_PASSWORD', 'DATABASE_PASSWORD', 'POSTGRES_PASSWORD'],
		generate: true,
		optional: false,
		why: 'PostgreSQL and the backend share it',
	},
	authSecret: {
		name: 'authSecret',
		label: 'auth secret',
		key: 'AUTH_SECRET',
		env: ['TODO_AUTH_SECRET', 'AUTH_SECRET', 'BETTER_AUTH_SECRET', 'JWT_SECRET'],
		generate: true,
		optional: false,
		why: 'signs the login sessions',
	},
	geminiApiKey: {
		name: 'geminiApiKey',
		label: 'Gemini API key',
		key: 'GEMINI_API_KEY',
		env: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'],
		generate: false,
		optional: true,
		why: 'the chatbot; without it the chatbot is off',
	},
};

/** The secrets a deploy needs: todo-deploy's own, then each of the app's own by the name its code reads. */
export function secretSpecsFor(bindings: readonly SecretBinding[] = []): SecretSpec[] {
	const own = bindings.flatMap(binding =>
		binding.source.type === 'own'
			? [
					{
						name: binding.key,
						label: binding.key,
						key: binding.key,
						env: [binding.key],
						generate: binding.source.generate,
						optional: binding.optional,
						why: `the ${binding.sides.join(' and ')} read${binding.sides.length === 1 ? 's' : ''} it${binding.from[0] ? ` (${binding.from[0]})` : ''}`,
					},
				]
			: [],
	);
	// A role's value may also sit in the environment under the name the app reads it by.
	const roles = Object.values(roleSpecs).map(spec => {
		const names = bindings.flatMap(binding => (binding.source.type === 'role' && binding.source.role === spec.name ? [binding.key] : []));
		return {...spec, env: [...new Set([...spec.env, ...names])]};
	});
	return [...roles, ...own];
}

export type SecretSource = 'environment' | '.env' | 'prompt' | 'cluster' | 'generated' | 'not set';

export type ResolvedSecret = {
	readonly name: string;
	readonly label: string;
	readonly value: string | undefined;
	readonly source: SecretSource;
	/** The variable it came from, for the message (never the value). */
	readonly variable: string | undefined;
};

export type SecretProblem = {readonly name: string; readonly kind: 'placeholder' | 'missing'; readonly message: string; readonly fix: string};

export type SecretInputs = {
	readonly env: Readonly<Record<string, string | undefined>>;
	readonly dotenv: Readonly<Record<string, string>>;
	readonly prompted: Readonly<Record<string, string>>;
	/** The values of the Secret todo-deploy made last time, by key. */
	readonly existing: Readonly<Record<string, string>> | undefined;
	readonly random: () => string;
};

/** KEY=VALUE lines as Node reads them (`export`, quotes, # comments; later lines win). */
export function parseDotenv(text: string): Record<string, string> {
	return parseEnv(text) as Record<string, string>;
}

/** Lines of a .env that Node would read wrongly or not at all: an unclosed quote, a line that is no setting. */
export function dotenvProblems(text: string): string[] {
	const problems: string[] = [];
	const lines = text.split(/\r?\n/);
	for (let index = 0; index < lines.length; index++) {
		const line = lines[index] ?? '';
		const trimmed = line.trim();
		if (trimmed === '' || trimmed.startsWith('#')) {
			continue;
		}

		const setting = /^(?:export\s+)?([A-Za-z_][\w.-]*)\s*=\s*(.*)$/.exec(trimmed);
		if (!setting) {
			problems.push(`line ${index + 1}: "${trimmed.length > 40 ? `${trimmed.slice(0, 40)}…` : trimmed}" is not NAME=value`);
			continue;
		}

		const value = setting[2] ?? '';
		const quote = /^["'`]/.exec(value)?.[0];
		if (!quote) {
			continue;
		}

		// A quoted value ends at its closing quote, on this line or (double quotes) a later one.
		if (value.indexOf(quote, 1) !== -1) {
			continue;
		}

		const closes = quote === '"' ? lines.slice(index + 1).findIndex(later => later.includes('"')) : -1;
		if (closes === -1) {
			problems.push(`line ${index + 1}: ${setting[1] ?? ''} has an opening quote and no closing one`);
		} else {
			index += closes + 1;
		}
	}

	return problems;
}

/** The project's .env, parsed; none is an empty one. A line Node would misread is an error with its line number. */
export async function readDotenv(root: string): Promise<Record<string, string>> {
	const text = await readFile(path.join(root, '.env'), 'utf8').catch(() => '');
	const problems = dotenvProblems(text);
	if (problems.length > 0) {
		throw new Error(`.env ${problems.join('; .env ')}. Fix the line${problems.length === 1 ? '' : 's'} (NAME=value, quotes closed), or remove it.`);
	}

	const values = parseDotenv(text);
	addSecrets(secretValuesOf(values));
	return values;
}

export function resolveSecrets(
	inputs: SecretInputs,
	specs: readonly SecretSpec[] = secretSpecsFor(),
): {secrets: ResolvedSecret[]; problems: SecretProblem[]; notes: string[]} {
	const secrets: ResolvedSecret[] = [];
	const problems: SecretProblem[] = [];
	const notes: string[] = [];
	for (const spec of specs) {
		const {name} = spec;
		const fromEnv = spec.env.find(variable => (inputs.env[variable] ?? '') !== '');
		const fromDotenv = spec.env.find(variable => (inputs.dotenv[variable] ?? '') !== '');
		const existing = inputs.existing?.[spec.key];
		let resolved: ResolvedSecret;
		if (fromEnv) {
			resolved = {name, label: spec.label, value: inputs.env[fromEnv], source: 'environment', variable: fromEnv};
		} else if (fromDotenv) {
			resolved = {name, label: spec.label, value: inputs.dotenv[fromDotenv], source: '.env', variable: fromDotenv};
		} else if (inputs.prompted[name]) {
			resolved = {name, label: spec.label, value: inputs.prompted[name], source: 'prompt', variable: undefined};
		} else if (existing) {
			resolved = {name, label: spec.label, value: existing, source: 'cluster', variable: undefined};
		} else if (spec.generate) {
			resolved = {name, label: spec.label, value: inputs.random(), source: 'generated', variable: undefined};
		} else {
			resolved = {name, label: spec.label, value: undefined, source: 'not set', variable: undefined};
		}

		const reason = resolved.value === undefined ? undefined : placeholderReason(resolved.value);
		if (reason) {
			const where = resolved.variable ? `${resolved.variable}${resolved.source === '.env' ? ' in .env' : ''}` : 'the value typed';
			problems.push({
				name,
				kind: 'placeholder',
				message: `The ${spec.label} from ${where} is ${reason}, not a real value.`,
				fix: spec.generate
					? `Remove it and todo-deploy generates a safe one, or set ${spec.env[0] ?? ''} to a real value.`
					: `Set ${spec.env[0] ?? ''} to your real key${spec.optional ? `, or leave it empty (${spec.why})` : ''}.`,
			});
		} else if (resolved.value === undefined && !spec.optional) {
			problems.push({
				name,
				kind: 'missing',
				message: `${spec.label} has no value: ${spec.why}, with no fallback, and it is not something todo-deploy can make up.`,
				fix: `Set ${spec.env[0] ?? ''} in the environment or the project's .env, and run again.`,
			});
		} else if (name === 'databasePassword' && existing && resolved.value !== existing && resolved.source !== 'cluster') {
			notes.push(
				`The ${spec.label} from ${resolved.variable ?? resolved.source} differs from the one the cluster has: PostgreSQL keeps the password it was first started with, so the backend may no longer log in. Unset it to keep the old one.`,
			);
		}

		secrets.push(resolved);
	}

	return {secrets, problems, notes};
}

/** A PostgreSQL URL; user, password and database are escaped for a URL. */
export function databaseUrl(scheme: string, database: {readonly host: string; readonly user: string; readonly name: string}, password: string): string {
	return `${scheme}://${encodeURIComponent(database.user)}:${encodeURIComponent(password)}@${database.host}:5432/${encodeURIComponent(database.name)}`;
}

/**
 * What goes into the Secret: todo-deploy's keys (the chart's PostgreSQL reads DATABASE_PASSWORD),
 * DATABASE_URL built from the password, and each key the app reads under its own name.
 */
export function secretData(
	secrets: readonly ResolvedSecret[],
	database: {readonly host: string; readonly user: string; readonly name: string},
	bindings: readonly SecretBinding[] = [],
	specs: readonly SecretSpec[] = secretSpecsFor(bindings),
): Record<string, string> {
	const data: Record<string, string> = {};
	const valueOf = (name: string) => secrets.find(secret => secret.name === name)?.value;
	for (const secret of secrets) {
		const spec = specs.find(candidate => candidate.name === secret.name);
		if (secret.value !== undefined && spec) {
			data[spec.key] = secret.value;
		}
	}

	const password = data['DATABASE_PASSWORD'] ?? '';
	data['DATABASE_URL'] = databaseUrl('postgresql', database, password);
	for (const binding of bindings) {
		const {source} = binding;
		const value =
			source.type === 'database-url' ? databaseUrl(source.scheme, database, password) : source.type === 'role' ? valueOf(source.role) : valueOf(binding.key);
		if (value !== undefined) {
			data[binding.key] = value;
		}
	}

	return data;
}

/** Every secret value, for masking a log line or an error message. */
export function maskSecrets(text: string, values: Iterable<string | undefined>): string {
	let masked = text;
	for (const value of values) {
		if (value && value.length >= 4) {
			masked = masked.split(value).join('****');
			const encoded = encodeURIComponent(value);
			if (encoded !== value) {
				masked = masked.split(encoded).join('****');
			}
		}
	}

	return masked;
}
