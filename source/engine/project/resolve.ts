// Where the backend, the frontend and the chart are: flags, then todo-deploy.json, then discovery.
import path from 'node:path';
import {configFileName, listProjectFiles, readProjectConfig, type ProjectConfig} from '../../adapters/project.js';
import {savedForm, withSaved} from './contract.js';
import {builtinChart} from './chart.js';
import {discoverProject, type Discovery, type ImageSource} from './discover.js';
import {readContract, type AppContract} from './read-contract.js';

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
	/** What the app needs to run, learnt from the project (todo-deploy.json's entries win). */
	readonly contract: AppContract;
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
	const files = await listProjectFiles(root);
	const found = discoverProject(files);
	const source = (flag: string | undefined, fromConfig: unknown) => (flag ? 'flag' : fromConfig ? configFileName : 'discovered');
	const image = (side: ImageSource | undefined) => (side ? {context: side.context, dockerfile: side.dockerfile} : undefined);
	const backend = fromFlag(root, flags.backend) ?? image(saved?.backend) ?? found.backend;
	const frontend = fromFlag(root, flags.frontend) ?? image(saved?.frontend) ?? found.frontend;
	const read = await readContract(root, files, {backend, frontend});
	const contract: AppContract = {
		...read,
		backend: read.backend ? withSaved(read.backend, saved?.backend) : undefined,
		frontend: read.frontend ? withSaved(read.frontend, saved?.frontend) : undefined,
	};
	return {
		root,
		backend,
		frontend,
		contract,
		chart:
			(flags.chart ? (flags.chart === builtinChart ? builtinChart : path.relative(root, path.resolve(flags.chart))) : undefined) ?? saved?.chart ?? found.chart,
		saved,
		found,
		sources: {backend: source(flags.backend, saved?.backend), frontend: source(flags.frontend, saved?.frontend), chart: source(flags.chart, saved?.chart)},
	};
}

export {configFileName} from '../../adapters/project.js';

/** Keeps what was found (or given) in todo-deploy.json, with the contract; returns the file's path. */
export async function saveProject(root: string, project: Pick<ResolvedProject, 'backend' | 'frontend' | 'chart' | 'contract'>): Promise<string> {
	const {writeProjectConfig} = await import('../../adapters/project.js');
	const side = (image: ImageSource | undefined, contract: ResolvedProject['contract']['backend']) =>
		image ? {...image, ...(contract ? savedForm(contract) : {})} : undefined;
	const config = {backend: side(project.backend, project.contract.backend), frontend: side(project.frontend, project.contract.frontend), chart: project.chart};
	return writeProjectConfig(root, Object.fromEntries(Object.entries(config).filter(([, value]) => value !== undefined)));
}
