// Before a push, the registry is asked at /v2/: one that refuses, one that never answers and one that
// answers are told apart quickly, against real sockets on loopback. The two timers (undici's headers
// timeout and the abort signal) race at the same deadline, so the silent case is asked several times.
import assert from 'node:assert/strict';
import {createServer} from 'node:http';
import net from 'node:net';
import {test} from 'node:test';
import {probeRegistry} from '../../source/adapters/registry.js';

async function listening(server: net.Server): Promise<number> {
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	return (server.address() as net.AddressInfo).port;
}

test('a registry that accepts connections and never replies is silent, whichever timer fires first', async () => {
	const sockets: net.Socket[] = [];
	const server = net.createServer(socket => sockets.push(socket));
	const port = await listening(server);
	try {
		for (const timeoutMs of [150, 200, 250, 300]) {
			const started = performance.now();
			const probe = await probeRegistry(`127.0.0.1:${port}`, timeoutMs);
			// Bounded by its own deadline, not by undici's 10 s connect timeout (a handshake that never ends).
			assert.ok(performance.now() - started < 5000, `${Math.round(performance.now() - started)} ms`);
			assert.equal(probe.type, 'silent', JSON.stringify(probe));
			assert.match('message' in probe ? probe.message : '', /did not answer within \d+ s: it accepts connections but does not reply/);
		}
	} finally {
		for (const socket of sockets) socket.destroy();
		server.close();
	}
});

test('a port nobody listens on is refused; a plain-HTTP registry answers over http', async () => {
	const closed = net.createServer();
	const port = await listening(closed);
	await new Promise<void>(resolve => {
		closed.close(() => resolve());
	});
	const refused = await probeRegistry(`127.0.0.1:${port}`, 1000);
	assert.equal(refused.type, 'refused');

	const registry = createServer((request, response) => {
		response.writeHead(request.url === '/v2/' ? 200 : 404, {'Docker-Distribution-API-Version': 'registry/2.0'}).end('{}');
	});
	const registryPort = await listening(registry);
	try {
		assert.deepEqual(await probeRegistry(`127.0.0.1:${registryPort}`, 1000), {type: 'answers', scheme: 'http'});
	} finally {
		registry.close();
	}
});
