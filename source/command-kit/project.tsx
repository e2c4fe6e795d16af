// What several commands do the same way: read the project, reach the cluster, ask one question.
import type {ServiceContract} from '../engine/project/contract.js';
import type {Cluster, ClusterChoice, ClusterTarget, PodChoice} from '../engine/cluster.js';
import type {System} from '../engine/system.js';
import type {ProjectFlags, ResolvedProject} from '../engine/project/resolve.js';
import type {Addresses} from '../engine/browser/addresses.js';
import type {FittedChart} from '../engine/deploy/fit.js';
import {statSync} from 'node:fs';
import path from 'node:path';
import {messageOf} from '../engine/errors.js';
import {writeErr} from './io.js';

/** The project folder a command works in (DIR, else the current one); a missing folder or a file is an error, never made. */
export function projectRoot(dir: string | undefined): string {
	const root = path.resolve(dir ?? '.');
	const info = statSync(root, {throwIfNoEntry: false});
	if (!info) {
		throw new Error(`${root} does not exist: name the project folder, or run todo-deploy inside it.`);
	}

	if (!info.isDirectory()) {
		throw new Error(`${root} is not a folder: name the project folder, or run todo-deploy inside it.`);
	}

	return root;
}

/** What the work gives, or undefined after saying on stderr why it could not be done. */
export async function orSay<T>(work: () => Promise<T>): Promise<T | undefined> {
	try {
		return await work();
	} catch (error) {
		writeErr(`todo-deploy: ${messageOf(error)}\n`);
		return undefined;
	}
}

/** The project's backend, frontend and chart; a broken todo-deploy.json is said, and undefined returned. */
export async function projectOrSay(root: string, flags: ProjectFlags): Promise<ResolvedProject | undefined> {
	const {resolveProject} = await import('../engine/project/resolve.js');
	return orSay(async () => resolveProject(root, flags));
}

/** The command's cluster target, resolved once, and its cluster; undefined after saying why it cannot be reached. */
export async function clusterOrSay(
	system: System,
	choice: ClusterChoice,
	pods: PodChoice = {},
): Promise<{readonly target: ClusterTarget; readonly cluster: Cluster} | undefined> {
	const {resolveAndConnect} = await import('../engine/cluster.js');
	return orSay(async () => resolveAndConnect(system, choice, pods));
}

/**
 * The app's contract fitted once for this run, with the browser's addresses: chosen now (free ports,
 * a taken one named) when this run builds, since the frontend bakes the backend's address in; else
 * the ones kept from the last build.
 */
export async function fitRun(
	system: System,
	root: string,
	project: ResolvedProject,
	options: {readonly release: string; readonly building: boolean},
): Promise<{readonly fitted: FittedChart; readonly addresses: Addresses; readonly notes: readonly string[]}> {
	const [{chooseAddresses, recordedAddresses}, {fitChart}] = await Promise.all([import('../engine/browser/addresses.js'), import('../engine/deploy/fit.js')]);
	const {addresses, notes} = options.building
		? await chooseAddresses(system, root, project.contract)
		: {addresses: await recordedAddresses(root, project.contract), notes: []};
	return {fitted: fitChart({contract: project.contract, release: options.release, addresses}), addresses, notes};
}

/** A yes/no question on the terminal (the caller knows there is one). */
export async function askYesNo(question: string): Promise<boolean> {
	const [{render}, {Question}] = await Promise.all([import('ink'), import('../views/question.js')]);
	let answer = false;
	const app = render(
		<Question
			question={question}
			onAnswer={yes => {
				answer = yes;
			}}
		/>,
		{exitOnCtrlC: true},
	);
	await app.waitUntilExit();
	return answer;
}

/** A side's contract for --json: a secret's value or code fallback is never printed, only that it is read. */
export const shownContract = (contract: ServiceContract | undefined) =>
	contract
		? {
				...contract,
				env: contract.env.map(entry => (entry.kind === 'secret' ? {...entry, value: undefined, fallback: undefined} : entry)),
			}
		: null;
