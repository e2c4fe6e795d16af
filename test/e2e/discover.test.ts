import assert from 'node:assert/strict';
import {cpSync, existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {Ajv} from 'ajv';
import {cliCommandLine, runCli, tempDir} from '../helpers/cli.js';
import {localFixtures, repoRoot} from '../helpers/paths.js';
import {openTerminal} from '../helpers/tmux.js';

function project(files: string[]): string {
	const root = tempDir('project');
	for (const file of files) {
		mkdirSync(path.join(root, path.dirname(file)), {recursive: true});
		writeFileSync(path.join(root, file), '');
	}

	return root;
}

const env = {PATH: '/usr/bin:/bin', HOME: '/tmp'};

test("discover finds the team's Phase-II layout, saves it, and flags override the saved answer", async () => {
	const root = project([
		'Phase-II/backend/Dockerfile',
		'Phase-II/backend/requirements.txt',
		'Phase-II/frontend/Dockerfile',
		'Phase-II/frontend/next.config.js',
		'Phase-II/charts/todo-app/Chart.yaml',
	]);
	const first = await runCli(['discover', root, '--save'], {env});
	assert.equal(first.code, 0, first.stderr);
	assert.match(first.stdout, /^backend {3}Phase-II\/backend\/Dockerfile {2}\(discovered\)$/m);
	assert.match(first.stdout, /^chart {5}Phase-II\/charts\/todo-app {2}\(discovered\)$/m);
	const saved = JSON.parse(readFileSync(path.join(root, 'todo-deploy.json'), 'utf8')) as unknown;
	const schema = JSON.parse(readFileSync(path.join(repoRoot, 'assets/config.schema.json'), 'utf8')) as object;
	const validate = new Ajv().compile(schema);
	assert.ok(validate(saved), JSON.stringify(validate.errors));
	// With the contract: the framework's default port (nothing in the files says another), no health path, no settings.
	assert.deepEqual(saved, {
		backend: {context: 'Phase-II/backend', dockerfile: 'Dockerfile', port: 8000, health: [], env: {}},
		frontend: {context: 'Phase-II/frontend', dockerfile: 'Dockerfile', port: 3000, health: [], env: {}},
		chart: 'Phase-II/charts/todo-app',
	});

	mkdirSync(path.join(root, 'other-api'));
	const overridden = await runCli(['discover', root, '--backend', path.join(root, 'other-api'), '--json'], {env});
	const output = JSON.parse(overridden.stdout) as {backend: {context: string}; frontend: {context: string}};
	assert.equal(output.backend.context, 'other-api');
	assert.equal(output.frontend.context, 'Phase-II/frontend');
});

test('a broken todo-deploy.json is a clear error; a project without Dockerfiles exits 1 and says so', async () => {
	const broken = project(['backend/Dockerfile']);
	writeFileSync(path.join(broken, 'todo-deploy.json'), '{"backend": ');
	const result = await runCli(['discover', broken], {env});
	assert.equal(result.code, 1);
	assert.match(result.stderr, /todo-deploy\.json is not valid JSON .*delete it and run todo-deploy discover --save/);
	const empty = await runCli(['discover', project(['README.md'])], {env});
	assert.equal(empty.code, 1);
	assert.match(empty.stdout, /^backend {3}not found/m);
	assert.match(empty.stdout, /note: No backend Dockerfile found\./);
});

test('on a terminal, a first discovery asks to keep the answer; y saves it, n does not', async () => {
	for (const [key, saved] of [
		['y', true],
		['n', false],
	] as const) {
		const root = project(['backend/Dockerfile', 'backend/requirements.txt', 'frontend/Dockerfile', 'frontend/next.config.js']);
		const terminal = openTerminal(cliCommandLine('discover', {PATH: '/usr/bin:/bin', HOME: '/tmp', TERM: 'xterm-256color', LANG: 'C.UTF-8'}, {cwd: root}));
		try {
			await terminal.waitFor(/\? Use these and save them to todo-deploy\.json\? \(Y\/n\)/);
			assert.match(terminal.screen(), /backend {3}backend\/Dockerfile\nfrontend {2}frontend\/Dockerfile/);
			terminal.keys(key);
			const screen = await terminal.waitFor(/\[exit \d+\]/);
			assert.match(screen, saved ? /Saved to .*todo-deploy\.json/ : /Not saved\. Name other folders with --backend/);
			assert.equal(existsSync(path.join(root, 'todo-deploy.json')), saved);
		} finally {
			terminal.close();
		}
	}
});

test("discover --json: each side's contract as the code reads it, the database and the credentials; no secret's value or fallback", async () => {
	const root = tempDir('real-app');
	cpSync(path.join(localFixtures, 'real-app'), root, {recursive: true});
	// What Neon's console hands out, pasted into the example file beside the code (made-up password).
	const hosted = 'postgresql://neondb_owner:npg_Hq4vT8mWz2Ld@ep-late-sun-b7c8d9e0.eu-central-1.aws.neon.tech/neondb?sslmode=require';
	writeFileSync(path.join(root, 'Phase-II/.env.example'), `# Connect from your terminal:\n# psql '${hosted}'\nDATABASE_URL=\n`);
	const result = await runCli(['discover', root, '--json'], {env});
	type Env = {name: string; kind: string; value?: string; fallback?: string};
	const output = JSON.parse(result.stdout) as {
		backend: {contract: {port: number; health: string[]; env: Env[]}};
		frontend: {contract: {port: number; env: Env[]}};
		database: {image: string} | null;
		credentials: Array<{path: string}>;
	};
	assert.equal(output.backend.contract.port, 8080);
	assert.deepEqual(output.backend.contract.health, ['/healthz']);
	const jwt = output.backend.contract.env.find(entry => entry.name === 'JWT_SECRET_KEY');
	assert.equal(jwt?.kind, 'secret');
	assert.equal(jwt.fallback, undefined, 'the code fallback of a secret is not printed');
	assert.doesNotMatch(result.stdout, /dev-insecure-secret/);
	assert.ok(output.frontend.contract.env.some(entry => entry.name === 'NEXT_PUBLIC_API_BASE_URL' && entry.kind === 'build-time'));
	assert.match(output.database?.image ?? '', /postgres/);
	assert.ok(output.credentials.some(entry => entry.path.startsWith('Phase-II/backend/.env:')));
	assert.ok(
		output.credentials.some(entry => entry.path === 'Phase-II/.env.example:2'),
		JSON.stringify(output.credentials),
	);
	assert.doesNotMatch(result.stdout, /npg_Hq4vT8mWz2Ld/);
	const plain = await runCli(['discover', root], {env});
	assert.match(
		plain.stdout,
		/rotate it[\s\S]*✖ Phase-II\/\.env\.example:2: a postgresql URL with a password for ep-late-sun-b7c8d9e0\.eu-central-1\.aws\.neon\.tech/,
	);
	assert.doesNotMatch(plain.stdout + plain.stderr, /npg_Hq4vT8mWz2Ld/);
});
