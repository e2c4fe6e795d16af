// The addresses the user's browser gets: http://localhost:PORT for the frontend, and for the backend
// when the frontend's browser code calls it. The ports are the ones the app declares (3000 and 8000 by
// default); one already taken is named with the process that holds it and the next free one is
// chosen, before anything is built, since the browser's copy of the backend's address is baked into
// the frontend. The choice is kept in .todo-deploy/addresses.json, so every later command (deploy,
// open, status) holds the same ports.
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {portHolder, portIsFree} from '../../adapters/ports.js';
import {ensureStateDir, stateDirName, writePrivate} from '../../adapters/state-dir.js';
import type {System} from '../../adapters/system.js';
import type {KindPortMapping} from '../../adapters/kind-registry.js';
import type {AppContract} from '../project/read-contract.js';
import {publishedByKind, publishesNodePort} from './kind-mapping.js';

export type BrowserSide = 'frontend' | 'backend';

/** The local port of each side the browser talks to. */
export type Addresses = Readonly<Partial<Record<BrowserSide, number>>>;

export const defaultPorts: Readonly<Record<BrowserSide, number>> = {frontend: 3000, backend: 8000};

export const urlOf = (port: number) => `http://localhost:${port}`;

/** The frontend always; the backend when code the browser runs reads its address. */
export function browserSides(contract: AppContract): BrowserSide[] {
	const calls = (contract.frontend?.env ?? []).some(entry => entry.browser && entry.target === 'backend');
	return calls ? ['frontend', 'backend'] : ['frontend'];
}

/** The ports the app declares, else 3000 and 8000. */
export function wantedAddresses(contract: AppContract): Addresses {
	return Object.fromEntries(browserSides(contract).map(side => [side, contract[side]?.port ?? defaultPorts[side]]));
}

const addressesFile = (root: string) => path.join(root, stateDirName, 'addresses.json');
const holderFile = (root: string) => path.join(root, stateDirName, 'holding.json');

type Recorded = {readonly ports: Addresses};

async function readJson<T>(file: string): Promise<T | undefined> {
	const text = await readFile(file, 'utf8').catch(() => undefined);
	try {
		return text ? (JSON.parse(text) as T) : undefined;
	} catch {
		return undefined;
	}
}

const isPort = (value: unknown): value is number => Number.isInteger(value) && (value as number) > 0 && (value as number) < 65_536;

/** The addresses kept for this project (what was built in), else the ones the app declares. Nothing is probed. */
export async function recordedAddresses(root: string, contract: AppContract): Promise<Addresses> {
	const recorded = (await readJson<Recorded>(addressesFile(root)))?.ports ?? {};
	return Object.fromEntries(
		Object.entries(wantedAddresses(contract)).map(([side, port]) => {
			const kept = recorded[side as BrowserSide];
			return [side, isPort(kept) ? kept : port];
		}),
	);
}

export type AddressChoice = {
	readonly addresses: Addresses;
	/** A port that was taken, and the one chosen instead, in words. */
	readonly notes: readonly string[];
};

/** todo-deploy's own process holding these addresses right now (todo-deploy open, a status screen), if any. */
async function ownHolder(root: string): Promise<number | undefined> {
	const pid = (await readJson<{pid?: unknown}>(holderFile(root)))?.pid;
	if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0) {
		return undefined;
	}

	try {
		process.kill(pid, 0);
		return pid;
	} catch {
		return undefined;
	}
}

/**
 * For a build: the kept (or wanted) port of each side when it is free, held by todo-deploy itself
 * for this project, or published by a kind node to the side's NodePort; else the next free one after it, with the process that holds it named.
 */
export async function chooseAddresses(system: System, root: string, contract: AppContract): Promise<AddressChoice> {
	const start = await recordedAddresses(root, contract);
	const ours = await ownHolder(root);
	const taken = new Set<number>();
	const notes: string[] = [];
	const chosen: Partial<Record<BrowserSide, number>> = {};
	// A kind node that publishes a side's NodePort at the port is the app's own address (kind-mapping.ts).
	let published: Promise<KindPortMapping[]> | undefined;
	const publishedFor = async (side: BrowserSide, candidate: number) => publishesNodePort(await (published ??= publishedByKind(system.env)), side, candidate);
	for (const [side, port] of Object.entries(start) as Array<[BrowserSide, number]>) {
		const usable = async (candidate: number) =>
			!taken.has(candidate) &&
			((await portIsFree(candidate)) || (ours !== undefined && (await portHolder(system, candidate))?.pid === ours) || (await publishedFor(side, candidate)));
		let candidate = port;
		while (!(await usable(candidate)) && candidate < port + 100) {
			candidate++;
		}

		if (candidate !== port && !taken.has(port)) {
			const holder = await portHolder(system, port);
			notes.push(
				`port ${port} is taken${holder ? ` by ${holder.command} (pid ${holder.pid})` : ''}, so the ${side} is at ${urlOf(candidate)} instead (stop it to have ${port} back next time)`,
			);
		}

		taken.add(candidate);
		chosen[side] = candidate;
	}

	await ensureStateDir(root);
	await writePrivate(addressesFile(root), `${JSON.stringify({ports: chosen}, null, 2)}\n`);
	return {addresses: chosen, notes};
}

/** Says that this process holds the project's addresses (a later build keeps them), until the returned function is called. */
export async function markHolding(root: string): Promise<() => Promise<void>> {
	await ensureStateDir(root);
	await writePrivate(holderFile(root), `${JSON.stringify({pid: process.pid})}\n`);
	return async () => {
		const holding = await readJson<{pid?: number}>(holderFile(root));
		if (holding?.pid === process.pid) {
			const {rm} = await import('node:fs/promises');
			await rm(holderFile(root), {force: true});
		}
	};
}
