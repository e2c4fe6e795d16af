// Where each secret comes from. The environment, then .env, then what the person typed, then
// what the cluster already has (a database keeps its first password), then a generated value.
// Placeholders are refused. Values never leave this module except into the Secret's body.
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {parseEnv} from 'node:util';
import {placeholderReason} from '../lint/secret-values.js';

export const secretNames = ['databasePassword', 'authSecret', 'geminiApiKey'] as const;
export type SecretName = (typeof secretNames)[number];

export type SecretSpec = {
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

export const secretSpecs: Readonly<Record<SecretName, SecretSpec>> = {
	databasePassword: {
		label: 'database password',
		key: 'DATABASE_PASSWORD',
		env: ['TODO_DATABASE_PASSWORD', 'DATABASE_PASSWORD', 'POSTGRES_PASSWORD'],
		generate: true,
		optional: false,
		why: 'PostgreSQL and the backend share it',
	},
	authSecret: {
		label: 'auth secret',
		key: 'AUTH_SECRET',
		env: ['TODO_AUTH_SECRET', 'AUTH_SECRET', 'BETTER_AUTH_SECRET', 'JWT_SECRET'],
		generate: true,
		optional: false,
		why: 'signs the login sessions',
	},
	geminiApiKey: {
		label: 'Gemini API key',
		key: 'GEMINI_API_KEY',
		env: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'],
		generate: false,
		optional: true,
		why: 'the chatbot; without it the chatbot is off',
	},
};

export type SecretSource = 'environment' | '.env' | 'prompt' | 'cluster' | 'generated' | 'not set';

export type ResolvedSecret = {
	readonly name: SecretName;
	readonly value: string | undefined;
	readonly source: SecretSource;
	/** The variable it came from, for the message (never the value). */
	readonly variable: string | undefined;
};

export type SecretProblem = {readonly name: SecretName; readonly message: string; readonly fix: string};

export type SecretInputs = {
	readonly env: Readonly<Record<string, string | undefined>>;
	readonly dotenv: Readonly<Record<string, string>>;
	readonly prompted: Readonly<Partial<Record<SecretName, string>>>;
	/** The values of the Secret todo-deploy made last time, by key. */
	readonly existing: Readonly<Record<string, string>> | undefined;
	readonly random: () => string;
};

/** KEY=VALUE lines as Node reads them (`export`, quotes, # comments; later lines win). */
export function parseDotenv(text: string): Record<string, string> {
	return parseEnv(text) as Record<string, string>;
}

/** The project's .env, parsed; none is an empty one. */
export async function readDotenv(root: string): Promise<Record<string, string>> {
	return parseDotenv(await readFile(path.join(root, '.env'), 'utf8').catch(() => ''));
}

export function resolveSecrets(inputs: SecretInputs): {secrets: ResolvedSecret[]; problems: SecretProblem[]; notes: string[]} {
	const secrets: ResolvedSecret[] = [];
	const problems: SecretProblem[] = [];
	const notes: string[] = [];
	for (const name of secretNames) {
		const spec = secretSpecs[name];
		const fromEnv = spec.env.find(variable => (inputs.env[variable] ?? '') !== '');
		const fromDotenv = spec.env.find(variable => (inputs.dotenv[variable] ?? '') !== '');
		const existing = inputs.existing?.[spec.key];
		let resolved: ResolvedSecret;
		if (fromEnv) {
			resolved = {name, value: inputs.env[fromEnv], source: 'environment', variable: fromEnv};
		} else if (fromDotenv) {
			resolved = {name, value: inputs.dotenv[fromDotenv], source: '.env', variable: fromDotenv};
		} else if (inputs.prompted[name]) {
			resolved = {name, value: inputs.prompted[name], source: 'prompt', variable: undefined};
		} else if (existing) {
			resolved = {name, value: existing, source: 'cluster', variable: undefined};
		} else if (spec.generate) {
			resolved = {name, value: inputs.random(), source: 'generated', variable: undefined};
		} else {
			resolved = {name, value: undefined, source: 'not set', variable: undefined};
		}

		const reason = resolved.value === undefined ? undefined : placeholderReason(resolved.value);
		if (reason) {
			const where = resolved.variable ? `${resolved.variable}${resolved.source === '.env' ? ' in .env' : ''}` : 'the value typed';
			problems.push({
				name,
				message: `The ${spec.label} from ${where} is ${reason}, not a real value.`,
				fix: spec.generate
					? `Remove it and todo-deploy generates a safe one, or set ${spec.env[0] ?? ''} to a real value.`
					: `Set ${spec.env[0] ?? ''} to your real key, or leave it empty (${spec.why}).`,
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

/** What the chart reads from the Secret: the values, plus DATABASE_URL built from the password. */
export function secretData(
	secrets: readonly ResolvedSecret[],
	database: {readonly host: string; readonly user: string; readonly name: string},
): Record<string, string> {
	const data: Record<string, string> = {};
	for (const secret of secrets) {
		if (secret.value !== undefined) {
			data[secretSpecs[secret.name].key] = secret.value;
		}
	}

	const password = data['DATABASE_PASSWORD'] ?? '';
	data['DATABASE_URL'] =
		`postgresql://${encodeURIComponent(database.user)}:${encodeURIComponent(password)}@${database.host}:5432/${encodeURIComponent(database.name)}`;
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
