// verify against the stand-in backend in a real container, and the load check against wrk.
import assert from 'node:assert/strict';
import {execFileSync, spawn} from 'node:child_process';
import {readFileSync, writeFileSync} from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {freePort, runCli, tempDir, failureOf} from '../helpers/cli.js';
import {startTodoApi, type RunningApp} from '../helpers/images.js';
import {repoRoot} from '../helpers/paths.js';

const env = {PATH: '/usr/bin:/bin', HOME: '/tmp', LANG: 'C.UTF-8'};
const apps: RunningApp[] = [];
let database: net.Server;
let databasePort = 0;

async function started(app: RunningApp): Promise<RunningApp> {
	apps.push(app);
	const deadline = Date.now() + 20_000;
	while (Date.now() < deadline) {
		const up = await fetch(`${app.url}/health`).then(
			response => response.ok,
			() => false,
		);
		if (up) {
			return app;
		}

		await new Promise(resolve => setTimeout(resolve, 100));
	}

	throw new Error(`${app.container} did not answer /health`);
}

before(async () => {
	// Something listening where the database would be: the app's readiness check connects to it.
	database = net.createServer(socket => socket.end());
	await new Promise<void>(resolve => {
		database.listen(0, '127.0.0.1', resolve);
	});
	databasePort = (database.address() as net.AddressInfo).port;
});

after(async () => {
	for (const app of apps) {
		app.stop();
	}

	await new Promise(resolve => database.close(resolve));
});

type VerifyJson = {
	passed: boolean;
	health: Array<{path: string; status: number}>;
	smoke: Array<{name: string; ok: boolean}>;
	load: {p95: number; requests: number; errors: number; passed: boolean} | null;
};

test('verify: health, the todo API smoke test and a load check against a real container; the report says what was verified', async () => {
	const app = await started(startTodoApi({port: await freePort(), env: {DATABASE_URL: `postgresql://todo:x@127.0.0.1:${databasePort}/todo`}}));
	const root = tempDir('verify-project');
	const result = await runCli(['verify', root, '--url', app.url, '--users', '20', '--duration', '2'], {env, timeoutMs: 60_000});
	assert.equal(result.code, 0, failureOf(result));
	assert.match(result.stdout, /^✔ Health endpoints: \/health 200, \/ready 200/m);
	assert.match(result.stdout, /^✔ Smoke test \(todo API\): create 201, list 200, update 200, read back 200, delete 204, gone 404; auth: none needed/m);
	assert.match(
		result.stdout,
		/^✔ Load check: 20 users for 2 s: \d+ requests, \d+\/s, p50 [\d.]+ ms, p95 [\d.]+ ms, p99 [\d.]+ ms, 0 errors on GET \/api\/todos; p95 under the 500 ms target/m,
	);
	assert.match(result.stdout, /◀ p95/);
	const report = readFileSync(path.join(root, '.todo-deploy/report.md'), 'utf8');
	assert.match(report, /\| Verification \| ✅ verified \|/);
	assert.match(report, /\| Deployment \| ⏸ not run \|/);
	assert.match(report, /\| create \| POST \/api\/todos \| 201 \|/);
	assert.match(report, /Load check: 20 concurrent users for 2 s, target p95 < 500 ms: \*\*met\*\*/);
	assert.match(report, /## Images: ⏸ not run\n\nNot run, so nothing is claimed\./);
});

test('a /ready 503 shows the database error it returned; the exit code says verify failed', async () => {
	const app = await started(startTodoApi({port: await freePort(), env: {DATABASE_URL: `postgresql://todo:x@127.0.0.1:${await freePort()}/todo`}}));
	const result = await runCli(['verify', tempDir('verify-project'), '--url', app.url, '--no-load', '--json'], {env, timeoutMs: 60_000});
	assert.equal(result.code, 8);
	const output = JSON.parse(result.stdout) as VerifyJson & {steps: Array<{id: string; status: {type: string; message?: string}}>};
	assert.equal(output.health[1]?.status, 503);
	const health = output.steps.find(step => step.id === 'health');
	assert.match(
		health?.status.message ?? '',
		/^\/ready answered 503: \{"status": "not ready", "database": "could not connect to server: Connection refused \(host 127\.0\.0\.1, port \d+\)"\}$/,
	);
	assert.equal(
		output.smoke.every(step => step.ok),
		true,
		'the API itself works',
	);
});

test('nothing listening: reaching the backend fails with the refused connection, and nothing after it runs; a wrong API path fails the smoke test with what came back', async () => {
	const closed = await runCli(['verify', tempDir('verify-project'), '--url', `http://127.0.0.1:${await freePort()}`, '--no-load'], {env, timeoutMs: 60_000});
	assert.equal(closed.code, 8);
	assert.match(
		closed.stdout,
		/✖ Reach the backend: http:\/\/127\.0\.0\.1:\d+ \(--url\) could not be reached: the connection was refused \(nothing listens there\)/,
	);
	assert.match(closed.stdout, /^- Health endpoints: skipped \(the backend did not answer\)/m);
	const app = await started(startTodoApi({port: await freePort(), env: {DATABASE_URL: `postgresql://todo:x@127.0.0.1:${databasePort}/todo`}}));
	const wrongApi = await runCli(['verify', tempDir('verify-project'), '--url', app.url, '--api', '/api/tasks', '--no-load'], {env, timeoutMs: 60_000});
	assert.equal(wrongApi.code, 8);
	assert.match(
		wrongApi.stdout,
		/✖ Smoke test \(todo API\): create failed: expected 200 or 201 with the new todo and its id, got 404: \{"detail": "Not Found"\}/,
	);
	assert.match(wrongApi.stdout, /fix: The todo API at \/api\/tasks \(as --api names it\) did not behave/);
	// No document, no --api: todo-deploy's default is tried, and the flags that settle it are named.
	const nowhere = await runCli(['verify', tempDir('verify-project'), '--url', app.url, '--no-load'], {env: {...env}, timeoutMs: 60_000});
	assert.match(nowhere.stdout, /✔ Learn the app's API: no API document \(GET \/openapi\.json → 404\): trying todo-deploy's default, \/api\/todos/);
});

test("the load check's p95 agrees with wrk's on the same endpoint (within 10%, or 6 ms), and is never under the server's delay", async () => {
	// One request in ten waits 200 ms, the others 50 ms: the true 95th percentile is 200 ms, far above the
	// few milliseconds a loaded machine adds to a run.
	const server = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'test/helpers/delay-server.ts')], {
		env: {...process.env, DELAY_MS: '50', SLOW_EVERY: '10', SLOW_MS: '200'},
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	try {
		const port = await new Promise<string>(resolve => {
			server.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
		});
		const url = `http://127.0.0.1:${port}`;
		const script = path.join(tempDir('wrk'), 'p95.lua');
		writeFileSync(
			script,
			'done = function(summary, latency, requests)\n  io.write(string.format("p95_us=%d requests=%d\\n", latency:percentile(95), summary.requests))\nend\n',
		);
		const wrkP95 = () =>
			Number(/p95_us=(\d+)/.exec(execFileSync('wrk', ['-t2', '-c100', '-d5s', '-s', script, `${url}/api/todos`], {encoding: 'utf8'}))?.[1]) / 1000;
		// wrk just before and just after: the machine's load can change between runs, not during one pair.
		const before = wrkP95();
		const ours = await runCli(['verify', tempDir('verify-project'), '--url', url, '--users', '100', '--duration', '5', '--json'], {env, timeoutMs: 60_000});
		const after = wrkP95();
		const load = (JSON.parse(ours.stdout) as VerifyJson).load;
		assert.ok(load && load.errors === 0 && load.requests > 1000, JSON.stringify(load));
		// Nothing can answer faster than the server's delay; a measuring bias (the client's own event-loop
		// delay counted as the server's) shows as tens of milliseconds at 100 users.
		assert.ok(load.p95 >= 200 && before >= 200 && after >= 200, `p95 under the server's 200 ms: todo-deploy ${load.p95} ms, wrk ${before} and ${after} ms`);
		const apart = Math.min(...[before, after].map(wrk => Math.abs(load.p95 - wrk)));
		const wrk = [before, after].find(candidate => Math.abs(load.p95 - candidate) === apart) ?? before;
		assert.ok(
			apart / wrk < 0.1 || apart < 6,
			`todo-deploy p95 ${load.p95.toFixed(1)} ms, wrk p95 ${before.toFixed(1)} ms before it and ${after.toFixed(1)} ms after: ${((apart / wrk) * 100).toFixed(1)}% (${apart.toFixed(1)} ms) from the nearer`,
		);
	} finally {
		server.kill();
	}
});
