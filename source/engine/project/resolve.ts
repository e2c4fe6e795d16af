// Where the backend, the frontend and the chart are: flags, then todo-deploy.json, then discovery.
import path from 'node:path';
import {configFileName, listProjectFiles, readProjectConfig, type ProjectConfig} from '../../adapters/project.js';
import {discoverProject, type Discovery, type ImageSource} from './discover.js';

export type ProjectFlags = {
	readonly backend?: string | undefined;
	readonly frontend?: string | undefined;
	readonly chart?: string | undefined;
};

export type ResolvedProject = {
	readonly root: string;
	readonly backend: ImageSource | undefined;
	readonly frontend: ImageSource | undefined;
	readonly chart: string | undefined;
	readonly saved: ProjectConfig | undefined;
	readonly found: Discovery;
	/** Where each answer came from. */
	readonly sources: Readonly<Record<'backend' | 'frontend' | 'chart', 'flag' | typeof configFileName | 'discovered'>>;
};

/** A folder given on the command line: its Dockerfile, relative to the project root. */
function fromFlag(root: string, dir: string | undefined): ImageSource | undefined {
	return dir ? {context: path.relative(root, path.resolve(dir)) || '.', dockerfile: 'Dockerfile'} : undefined;
}

/** Throws when todo-deploy.json is not valid JSON (the message says how to fix it). */
export async function resolveProject(root: string, flags: ProjectFlags): Promise<ResolvedProject> {
	const saved = await readProjectConfig(root);
	const found = discoverProject(await listProjectFiles(root));
	const source = (flag: string | undefined, fromConfig: unknown) => (flag ? 'flag' : fromConfig ? configFileName : 'discovered');
	return {
		root,
		backend: fromFlag(root, flags.backend) ?? saved?.backend ?? found.backend,
		frontend: fromFlag(root, flags.frontend) ?? saved?.frontend ?? found.frontend,
		chart: (flags.chart ? path.relative(root, path.resolve(flags.chart)) : undefined) ?? saved?.chart ?? found.chart,
		saved,
		found,
		sources: {backend: source(flags.backend, saved?.backend), frontend: source(flags.frontend, saved?.frontend), chart: source(flags.chart, saved?.chart)},
	};
}

export {configFileName} from '../../adapters/project.js';

/** Keeps what was found (or given) in todo-deploy.json; returns the file's path. */
export async function saveProject(root: string, project: Pick<ResolvedProject, 'backend' | 'frontend' | 'chart'>): Promise<string> {
	const {writeProjectConfig} = await import('../../adapters/project.js');
	return writeProjectConfig(
		root,
		Object.fromEntries(Object.entries({backend: project.backend, frontend: project.frontend, chart: project.chart}).filter(([, value]) => value !== undefined)),
	);
}
