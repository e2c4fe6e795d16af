// todo-deploy bundle against the simulated cluster with failing pods, the real helm, and a project whose
// .env, environment, Secret and logs all hold secrets: the archive (read back with the real tar) has each
// part, the pods that are not ready with their diagnosis, and no secret value in any form.
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {mkdirSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {cliCommandLine, makeBin, runCli, tempDir} from '../helpers/cli.js';
import {openTerminal} from '../helpers/tmux.js';
import {realKubeTool} from '../helpers/kube-tools.js';
import {startSimulatedCluster} from '../sim/apiserver.js';
import {scenarios} from '../sim/scenarios.js';

/** Every file under a folder, with its text. */
function readTree(dir: string, at = ''): Array<{name: string; text: string}> {
	return readdirSync(path.join(dir, at)).flatMap(name => {
		const relative = path.join(at, name);
		return statSync(path.join(dir, relative)).isDirectory()
			? readTree(dir, relative)
			: [{name: relative, text: readFileSync(path.join(dir, relative), 'utf8')}];
	});
}

test('bundle: one archive with the doctor, the contract, the logs, the failing pods and helm; no secret value in any form', async t => {
	const cluster = await startSimulatedCluster({kubeconfigPath: path.join(tempDir('sim'), 'kubeconfig')});
	t.after(async () => cluster.close());
	scenarios['failures']?.(cluster);
	// The secrets of this world: the release's Secret, the environment's key, the project's .env, a URL with a password.
	const databasePassword = 'Zq8vR2mK7pLx4Tn9';
	const authSecret = 'auth-5e1f0c7a9b3d2e6f';
	const geminiKey = 'AIzaSyD-3xAmPlEkEy-0123456789abcdefghi';
	const ownKey = 'sk_live_51HxYzAbCdEfGh';
	const urlPassword = 'n3on-S3cr3t-pw';
	cluster.put({
		kind: 'Secret',
		apiVersion: 'v1',
		metadata: {name: 'todo-todo-app-app-secrets', namespace: 'todo'},
		type: 'Opaque',
		data: {
			DATABASE_PASSWORD: Buffer.from(databasePassword).toString('base64'),
			AUTH_SECRET: Buffer.from(authSecret).toString('base64'),
			DATABASE_URL: Buffer.from(`postgresql://todo:${encodeURIComponent(databasePassword)}@todo-todo-app-postgresql:5432/todo`).toString('base64'),
		},
	});
	// The crashing pod's logs say the secrets, as a careless app does.
	cluster.setLogs('todo', 'todo-backend-6c9f7d5b8-x2x7q', 'quitter', [
		'starting',
		`connecting to postgresql://todo:${databasePassword}@todo-postgresql:5432/todo`,
		`settings: AUTH_SECRET=${authSecret} GEMINI_API_KEY=${geminiKey} encoded=${Buffer.from(authSecret).toString('base64')}`,
		'panic: dial tcp: lookup todo-postgresql: no such host',
	]);
	const root = tempDir('project');
	mkdirSync(path.join(root, 'backend'), {recursive: true});
	writeFileSync(path.join(root, 'backend/Dockerfile'), 'FROM python:3.12-slim\nCOPY . .\nCMD ["uvicorn", "main:app"]\n');
	writeFileSync(path.join(root, 'backend/main.py'), 'import os\nKEY = os.environ["PAYMENT_API_KEY"]\n');
	writeFileSync(
		path.join(root, 'backend/.env'),
		`PAYMENT_API_KEY=${ownKey}\nHOSTED_DB=postgresql://app:${urlPassword}@ep-quiet.neon.tech/app\nLOG_LEVEL=debug\n`,
	);
	// A session log that kept one (an older version's, or another tool's).
	mkdirSync(path.join(root, '.todo-deploy/logs'), {recursive: true});
	writeFileSync(path.join(root, '.todo-deploy/logs/2026-12-01T10-00-00-deploy.log'), `helm upgrade --set secrets.authSecret=${authSecret}\n`);
	writeFileSync(path.join(root, '.todo-deploy/report.md'), '# todo-deploy report\n');
	const home = tempDir('home');
	const env = {
		PATH: makeBin({real: ['docker'], scripts: {helm: `exec '${realKubeTool('helm')}' "$@"`}}),
		HOME: home,
		KUBECONFIG: cluster.kubeconfigPath,
		GEMINI_API_KEY: geminiKey,
	};

	const result = await runCli(['bundle', root, '-n', 'todo', '--json'], {env, timeoutMs: 120_000});
	assert.equal(result.code, 0, result.stdout + result.stderr);
	const said = JSON.parse(result.stdout) as {bundle: string; masked: string[]; missing: string[]; podsNotReady: number};
	assert.match(path.basename(said.bundle), /^bundle-\d{4}-\d{2}-\d{2}T[\d-]+Z\.tar\.gz$/);
	assert.equal(path.dirname(said.bundle), path.join(root, '.todo-deploy'));
	assert.equal(statSync(said.bundle).mode & 0o777, 0o600);
	// No release was installed here: helm says so, and the README names it.
	assert.ok(
		said.missing.some(line => /^helm's status and values of todo: .*not found/.test(line)),
		said.missing.join('\n'),
	);

	const out = tempDir('unpacked');
	execFileSync('tar', ['-xzf', said.bundle, '-C', out]);
	const files = readTree(out);
	const names = files.map(file => file.name).sort();
	for (const expected of [
		'README.txt',
		'doctor.json',
		'contract.json',
		'todo-deploy/report.md',
		'todo-deploy/logs/2026-12-01T10-00-00-deploy.log',
		'pods/todo-backend-6c9f7d5b8-x2x7q.txt',
	]) {
		assert.ok(names.includes(expected), `${expected} in ${names.join(', ')}`);
	}

	assert.ok(said.podsNotReady >= 3, String(said.podsNotReady));
	const backend = files.find(file => file.name === 'pods/todo-backend-6c9f7d5b8-x2x7q.txt')?.text ?? '';
	assert.match(backend, /^todo-backend-6c9f7d5b8-x2x7q: quitter keeps crashing/);
	assert.match(backend, /--- events/);
	assert.match(backend, /panic: dial tcp: lookup todo-postgresql: no such host/);
	assert.match(backend, /connecting to postgresql:\/\/todo:\*\*\*\*@todo-postgresql/);
	assert.doesNotThrow(() => JSON.parse(files.find(file => file.name === 'doctor.json')?.text ?? ''));

	// Every secret of the world, in every form a file could hold it: in no file.
	const everything = files.map(file => file.text).join('\n');
	for (const secret of [databasePassword, authSecret, geminiKey, ownKey, urlPassword]) {
		for (const form of [secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64')]) {
			assert.ok(!everything.includes(form), `a form of a secret (${form.slice(0, 3)}…) is in the bundle`);
		}
	}

	// What was masked, by name only.
	const readme = files.find(file => file.name === 'README.txt')?.text ?? '';
	assert.match(readme, /Masked \(by name, never the value\): .*Secret todo-todo-app-app-secrets DATABASE_PASSWORD/);
	assert.match(readme, /environment GEMINI_API_KEY/);
	assert.match(readme, /Secret todo-todo-app-app-secrets AUTH_SECRET/);
	assert.deepEqual(said.masked, [...said.masked].sort());
	assert.ok(said.masked.includes('environment GEMINI_API_KEY'), said.masked.join(', '));
});

test('B on the live screen writes the bundle of the folder it runs in, and says where', async t => {
	const cluster = await startSimulatedCluster({kubeconfigPath: path.join(tempDir('sim'), 'kubeconfig')});
	t.after(async () => cluster.close());
	scenarios['failures']?.(cluster);
	const root = tempDir('project');
	const env = {PATH: '/usr/bin:/bin', HOME: tempDir('home'), KUBECONFIG: cluster.kubeconfigPath, TERM: 'xterm-256color', LANG: 'C.UTF-8'};
	const terminal = openTerminal(cliCommandLine('status -n todo', env, {cwd: root}), {width: 160, height: 45});
	try {
		await terminal.waitFor(/● live/);
		await terminal.waitFor(/B bundle/);
		terminal.keys('B');
		const screen = await terminal.waitFor(/Bundle written: \S+\.tar\.gz/, 60_000);
		const written = /Bundle written: (\S+\.tar\.gz)/.exec(screen)?.[1] ?? '';
		assert.equal(path.dirname(written), path.join(root, '.todo-deploy'));
		const listed = execFileSync('tar', ['-tzf', written], {encoding: 'utf8'});
		assert.match(listed, /^pods\/todo-backend-6c9f7d5b8-x2x7q\.txt$/m);
		assert.match(listed, /^README\.txt$/m);
	} finally {
		terminal.close();
	}
});

test('bundle without a cluster still writes the rest, and says the pods were not read', async () => {
	const root = tempDir('project');
	const home = tempDir('home');
	const result = await runCli(['bundle', root, '--json'], {
		env: {PATH: '/usr/bin:/bin', HOME: home, KUBECONFIG: path.join(home, 'no-such-kubeconfig')},
		timeoutMs: 120_000,
	});
	assert.equal(result.code, 0, result.stdout + result.stderr);
	const said = JSON.parse(result.stdout) as {bundle: string; missing: string[]; podsNotReady: number | null};
	assert.equal(said.podsNotReady, null);
	assert.ok(
		said.missing.some(line => line.startsWith("the cluster's pods: ")),
		said.missing.join('\n'),
	);
	const listed = execFileSync('tar', ['-tzf', said.bundle], {encoding: 'utf8'});
	assert.match(listed, /^doctor\.json$/m);
	assert.doesNotMatch(listed, /^pods\//m);
	const readme = execFileSync('tar', ['-xzOf', said.bundle, 'README.txt'], {encoding: 'utf8'});
	assert.match(readme, /What could not be gathered:\n {2}the cluster's pods: /);
});
