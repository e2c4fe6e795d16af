// The user's repository: its files (for discovery) and todo-deploy.json (the confirmed answer).
import {readdir, readFile, rename, writeFile} from 'node:fs/promises';
import path from 'node:path';
import type {EnvKind} from '../engine/project/contract.js';
import type {ImageSource} from '../engine/project/discover.js';

/** A setting as kept in todo-deploy.json: how todo-deploy fills it (null: it is not set in the cluster). */
export type SavedEnv = {readonly kind: EnvKind; readonly value?: string; readonly target?: 'backend' | 'frontend' | 'database'} | null;

export type SavedSide = ImageSource & {
	readonly port?: number;
	readonly health?: readonly string[];
	readonly env?: Readonly<Record<string, SavedEnv>>;
};

export type ProjectConfig = {
	readonly backend?: SavedSide;
	readonly frontend?: SavedSide;
	readonly chart?: string;
};

export const configFileName = 'todo-deploy.json';

const skippedDirs = new Set(['node_modules', '.git', '.venv', 'venv', 'dist', 'build', '.next', '__pycache__', '.cache', '.todo-deploy']);

/** Files under root, relative and with forward slashes; deep or huge trees are cut short. */
export async function listProjectFiles(root: string, limits = {depth: 6, files: 20_000}): Promise<string[]> {
	const files: string[] = [];
	const walk = async (dir: string, level: number): Promise<void> => {
		if (level > limits.depth || files.length >= limits.files) {
			return;
		}

		const entries = await readdir(path.join(root, dir), {withFileTypes: true}).catch(() => []);
		for (const entry of entries) {
			const relative = dir ? `${dir}/${entry.name}` : entry.name;
			if (entry.isDirectory() && !skippedDirs.has(entry.name)) {
				await walk(relative, level + 1);
			} else if (entry.isFile()) {
				files.push(relative);
			}
		}
	};

	await walk('', 0);
	return files;
}

export async function readProjectConfig(root: string): Promise<ProjectConfig | undefined> {
	const text = await readFile(path.join(root, configFileName), 'utf8').catch(() => undefined);
	if (text === undefined) {
		return undefined;
	}

	let parsed: unknown;
	try {
		parsed = JSON.parse(text) as unknown;
	} catch (error) {
		throw new Error(
			`${configFileName} is not valid JSON (${error instanceof Error ? error.message : String(error)}); fix it or delete it and run todo-deploy discover --save`,
			{cause: error},
		);
	}

	// Checked against its own schema (assets/config.schema.json): a wrong shape is named, not used.
	const [{schemaProblems}, {default: configSchema}] = await Promise.all([
		import('./schema.js'),
		import('../../assets/config.schema.json', {with: {type: 'json'}}),
	]);
	const problems = schemaProblems(configSchema, parsed);
	if (problems.length > 0) {
		throw new Error(
			`${configFileName} does not match its schema: ${problems.slice(0, 3).join('; ')}${problems.length > 3 ? ` (and ${problems.length - 3} more)` : ''}. Fix it (assets/config.schema.json says what each entry takes), or delete it and run todo-deploy discover --save`,
		);
	}

	return parsed as ProjectConfig;
}

/** Written to a temporary file and renamed, so a crash never leaves half a config. */
export async function writeProjectConfig(root: string, config: ProjectConfig): Promise<string> {
	const target = path.join(root, configFileName);
	const temporary = `${target}.${process.pid}.tmp`;
	await writeFile(temporary, `${JSON.stringify(config, null, 2)}\n`);
	await rename(temporary, target);
	return target;
}
