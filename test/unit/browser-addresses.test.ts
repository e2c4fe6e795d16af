// The browser's addresses: ports the app declares, a taken one named with the process that holds it
// (the real `ss` on this machine, a real listener), the next free one chosen and kept; the relay that
// holds a port while what serves it moves.
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {mkdtempSync} from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {test} from 'node:test';
import {holdPort, portHolder, portIsFree, type Upstream} from '../../source/adapters/ports.js';
import {createSystem} from '../../source/adapters/system.js';
import {browserSides, chooseAddresses, markHolding, recordedAddresses, wantedAddresses} from '../../source/engine/browser/addresses.js';
import type {AppContract} from '../../source/engine/project/read-contract.js';
import {freePort} from '../helpers/cli.js';

const system = createSystem(process.env);

/** A real program listening on a loopback port (python3's http.server), until the test ends. */
async function listenerOn(t: {after(fn: () => void): void}, port: number): Promise<number> {
	const child = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1'], {stdio: 'ignore'});
	t.after(() => child.kill());
	const deadline = Date.now() + 20_000;
	while (await portIsFree(port)) {
		assert.ok(Date.now() < deadline, `python3 -m http.server did not listen on ${port} within 20 s`);
		await new Promise(resolve => setTimeout(resolve, 50));
	}

	return child.pid ?? 0;
}

const contract = (frontendPort: number | undefined, backendPort: number | undefined, browserCallsBackend: boolean): AppContract => ({
	credentials: [],
	backend: {port: backendPort, portFrom: undefined, health: [], env: [], unwanted: []},
	frontend: {
		port: frontendPort,
		portFrom: undefined,
		health: [],
		unwanted: [],
		env: [{name: 'NEXT_PUBLIC_API_BASE_URL', kind: 'build-time', required: false, target: 'backend', browser: browserCallsBackend, from: ['lib/api.ts:3']}],
	},
});

test('the frontend always, the backend when browser code calls it, on the ports the app declares (3000 and 8000 otherwise)', () => {
	assert.deepEqual(browserSides(contract(undefined, undefined, false)), ['frontend']);
	assert.deepEqual(wantedAddresses(contract(undefined, undefined, true)), {frontend: 3000, backend: 8000});
	assert.deepEqual(wantedAddresses(contract(3001, 8080, true)), {frontend: 3001, backend: 8080});
});

test('a taken port is named with the process that holds it, the next free one is chosen, and the choice is kept', async t => {
	const root = mkdtempSync(path.join(os.tmpdir(), 'addresses-'));
	const frontend = await freePort();
	const pid = await listenerOn(t, frontend);
	assert.deepEqual(await portHolder(system, frontend), {command: 'python3', pid});

	const backend = await freePort();
	const choice = await chooseAddresses(system, root, contract(frontend, backend, true));
	assert.ok(choice.addresses.frontend !== undefined && choice.addresses.frontend > frontend, 'the frontend moved to a later port');
	assert.equal(choice.addresses.backend, backend);
	assert.equal(choice.notes.length, 1);
	assert.match(
		choice.notes[0] ?? '',
		new RegExp(`^port ${frontend} is taken by python3 \\(pid ${pid}\\), so the frontend is at http://localhost:${choice.addresses.frontend} instead`),
	);
	// Later commands (deploy, open) hold what was built in, without probing.
	assert.deepEqual(await recordedAddresses(root, contract(frontend, backend, true)), choice.addresses);
});

test('a port held by todo-deploy itself for this project (open, a status screen) is kept, not moved', async () => {
	const root = mkdtempSync(path.join(os.tmpdir(), 'addresses-'));
	const port = await freePort();
	const relay = await holdPort(port, async () => undefined);
	const unmark = await markHolding(root);
	try {
		const choice = await chooseAddresses(system, root, contract(port, undefined, false));
		assert.deepEqual(choice, {addresses: {frontend: port}, notes: []});
	} finally {
		await unmark();
		await relay.close();
	}
});

async function httpServer(text: string): Promise<{port: number; close(): Promise<void>}> {
	const server = http.createServer((_request, response) => response.end(text));
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	return {
		port: (server.address() as net.AddressInfo).port,
		close: async () =>
			new Promise(resolve => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

test('the relay holds its port while the upstream changes; a connection made while there is none waits for the next one', async () => {
	const first = await httpServer('first');
	let upstream: Upstream | undefined = {host: '127.0.0.1', port: first.port};
	const waiting: Array<(next: Upstream | undefined) => void> = [];
	const port = await freePort();
	const relay = await holdPort(port, async () => upstream ?? new Promise(resolve => waiting.push(resolve)));
	try {
		assert.equal(await (await fetch(`http://localhost:${port}/`)).text(), 'first');
		await first.close();
		upstream = undefined;
		const asked = fetch(`http://127.0.0.1:${port}/`, {headers: {connection: 'close'}}).then(async response => response.text());
		const deadline = Date.now() + 10_000;
		while (waiting.length === 0) {
			assert.ok(Date.now() < deadline, 'the connection asked for an upstream');
			await new Promise(resolve => setTimeout(resolve, 20));
		}

		const second = await httpServer('second');
		upstream = {host: '127.0.0.1', port: second.port};
		for (const resolve of waiting.splice(0)) {
			resolve(upstream);
		}

		assert.equal(await asked, 'second');
		await second.close();
	} finally {
		await relay.close();
	}

	assert.ok(await portIsFree(port), 'the port is given back when the relay closes');
});

test('a port another program holds cannot be held: the error says so', async t => {
	const port = await freePort();
	await listenerOn(t, port);
	await assert.rejects(
		holdPort(port, async () => undefined),
		/EADDRINUSE/,
	);
});
