// The frontend as a browser meets it: a real page and a real backend on loopback. The page's own
// scripts are read for the backend's address, and the backend is asked the browser's CORS question.
import assert from 'node:assert/strict';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {after, test} from 'node:test';
import {checkAsBrowser} from '../../source/engine/verify/browser-check.js';
import {verifyWords} from '../../source/render/verify-words.js';

const servers: http.Server[] = [];
after(() => {
	for (const server of servers) {
		server.close();
	}
});

async function serve(handler: http.RequestListener): Promise<string> {
	const server = http.createServer(handler);
	servers.push(server);
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	return `http://localhost:${(server.address() as AddressInfo).port}`;
}

/** A backend that lets the given origin call it (or nobody). */
const backendAllowing = async (origin: string | undefined) =>
	serve((request, response) => {
		response.writeHead(request.method === 'OPTIONS' ? 204 : 200, origin ? {'access-control-allow-origin': origin} : {});
		response.end();
	});

/** A frontend whose page loads one script of its own with this code. */
async function frontendWith(code: () => string): Promise<string> {
	return serve((request, response) => {
		if (request.url === '/_next/static/chunks/app/page.js') {
			response.writeHead(200, {'content-type': 'application/javascript'});
			response.end(code());
			return;
		}

		response.writeHead(200, {'content-type': 'text/html'});
		response.end('<html><body><div id="app"></div><script src="/_next/static/chunks/app/page.js"></script></body></html>');
	});
}

const failureOf = (check: Awaited<ReturnType<typeof checkAsBrowser>>) =>
	verifyWords(
		{kind: 'verify/frontend', answers: [], through: undefined, signedIn: false, addressHint: undefined, backend: check.backend ?? '', browser: check},
		true,
	);

test('the page calls the backend at its held address, which lets it: ok', async () => {
	let page = '';
	const frontend = await frontendWith(() => page);
	const backend = await backendAllowing(new URL(frontend).origin);
	page = `const API_BASE = "${backend}";fetch(API_BASE + "/api/v1/tasks/")`;
	const check = await checkAsBrowser(frontend, backend, '/api/v1/tasks/');
	assert.equal(check.ok, true);
	assert.equal(check.scripts, 1);
	assert.deepEqual(check.stray, []);
});

test('the backend named, but another address on this machine too (a fallback left in, a dev value): not ok, and both are named', async () => {
	let page = '';
	const frontend = await frontendWith(() => page);
	const backend = await backendAllowing(new URL(frontend).origin);
	page = `const API_BASE = "${backend}";const CHAT = "http://127.0.0.1:9999" ?? "x";`;
	const check = await checkAsBrowser(frontend, backend, '/api/v1/tasks/');
	assert.equal(check.ok, false);
	assert.deepEqual(check.stray, ['http://127.0.0.1:9999']);
	const words = failureOf(check);
	assert.match(words.text, new RegExp(`call the backend at ${backend}, and also name http://127\\.0\\.0\\.1:9999 on this machine`));
	assert.match(words.fix ?? '', /todo-deploy up builds the frontend again/);
});

test('an in-cluster address in the scripts is not a stray one on this machine; the missing backend address is the failure', async () => {
	let page = '';
	const frontend = await frontendWith(() => page);
	const backend = await backendAllowing(new URL(frontend).origin);
	page = 'fetch("http://todo-backend:8000/api/v1/tasks/")';
	const check = await checkAsBrowser(frontend, backend, '/api/v1/tasks/');
	assert.equal(check.ok, false);
	assert.deepEqual(check.stray, []);
	assert.match(failureOf(check).text, /do not call the backend at .*: they name http:\/\/todo-backend:8000/);
});

test('a backend that does not allow the page’s origin: the CORS answer is the failure', async () => {
	let page = '';
	const frontend = await frontendWith(() => page);
	const backend = await backendAllowing(undefined);
	page = `fetch("${backend}/api/v1/tasks/")`;
	const check = await checkAsBrowser(frontend, backend, '/api/v1/tasks/');
	assert.equal(check.ok, false);
	assert.match(failureOf(check).text, /does not let the page at .* call it: it answered the browser's CORS question 204 without Access-Control-Allow-Origin/);
});
