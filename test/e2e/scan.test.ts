// scan: a Trivy stand-in that checks its arguments and writes the real reports Trivy produced
// (test/fixtures/captured/trivy) for real images built in the test.
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {makeBin, runCli, tempDir} from '../helpers/cli.js';
import {ensureBaseImage, makeTodoProject, removeImages} from '../helpers/images.js';
import {offlineLine, trivyReport as report, trivyScript} from '../helpers/stand-ins.js';

const made: string[] = [];

before(() => {
	ensureBaseImage();
});

after(() => {
	removeImages(made);
});

function setup(extra: Record<string, string> = {}) {
	const root = makeTodoProject();
	const log = path.join(tempDir('log'), 'trivy.log');
	const env = {
		PATH: makeBin({real: ['docker', 'cp', 'cat'], scripts: {trivy: trivyScript}}),
		HOME: tempDir('home'),
		TRIVY_LOG: log,
		TRIVY_TEST_BACKEND: report('trivy-golden-alpine-39.json'),
		TRIVY_TEST_FRONTEND: report('trivy-golden-sl-micro-rancher5.4.json'),
		...extra,
	};
	const scans = () =>
		existsSync(log)
			? readFileSync(log, 'utf8')
					.split('\n')
					.filter(line => line.startsWith('trivy image')).length
			: 0;
	return {root, env, scans};
}

type ScanJson = {
	images: Array<{
		name: string;
		ref: string;
		scan: {type: string; cached?: boolean; reportPath?: string; summary?: {counts: Record<string, number>; gate: {passed: boolean; blocking: number}}};
	}>;
};

test('scan gates on fixable CRITICAL findings, scans every image, saves the reports and reuses them for the same image', async () => {
	const {root, env, scans} = setup();
	const first = await runCli(['scan', root], {env, timeoutMs: 120_000});
	made.push(...[...first.stdout.matchAll(/todo-(?:backend|frontend):src-[0-9a-f]{12}/g)].map(match => match[0]));
	assert.equal(first.code, 5, first.stderr + first.stdout);
	assert.match(
		first.stdout,
		/^scan {2}todo-backend:src-[0-9a-f]{12}: 2 CRITICAL, 4 MEDIUM; FAILS the gate \(2 findings: fail on CRITICAL with a fix available, or any secret in the image\)$/m,
	);
	assert.match(first.stdout, /^ {2}CRITICAL CVE-2019-14697 {2}musl 1\.1\.20-r4 -> fixed in 1\.1\.20-r5$/m);
	// The first image's findings did not stop the second from being scanned.
	assert.match(first.stdout, /^scan {2}todo-frontend:src-[0-9a-f]{12}: no known vulnerabilities; passes the gate$/m);
	const saved = /report: (?<file>\S+todo-backend-src-[0-9a-f]{12}\.trivy\.json)/.exec(first.stdout)?.groups?.['file'] ?? '';
	assert.equal(path.dirname(saved), path.join(root, '.todo-deploy/reports'));
	assert.deepEqual(JSON.parse(readFileSync(saved, 'utf8')), JSON.parse(readFileSync(report('trivy-golden-alpine-39.json'), 'utf8')));
	assert.equal(scans(), 2);

	const again = await runCli(['scan', root, '--json'], {env, timeoutMs: 60_000});
	const output = JSON.parse(again.stdout) as ScanJson;
	assert.equal(again.code, 5);
	assert.ok(output.images.every(image => image.scan.cached === true));
	assert.equal(scans(), 2, 'Trivy was not run again for the same image IDs');
	const rescanned = await runCli(['scan', root, '--rescan'], {env, timeoutMs: 60_000});
	assert.equal(rescanned.code, 5);
	assert.equal(scans(), 4);
});

test('.trivyignore and --severity change the verdict', async () => {
	const {root, env} = setup();
	writeFileSync(path.join(root, '.trivyignore'), '# accepted until the base image moves\nCVE-2019-14697\n');
	const ignored = await runCli(['scan', root], {env, timeoutMs: 120_000});
	made.push(...[...ignored.stdout.matchAll(/todo-(?:backend|frontend):src-[0-9a-f]{12}/g)].map(match => match[0]));
	assert.equal(ignored.code, 0, ignored.stdout);
	assert.match(ignored.stdout, /todo-backend:src-[0-9a-f]{12}: 4 MEDIUM \(2 ignored by \.trivyignore\); passes the gate/);
	const medium = await runCli(['scan', root, '--severity', 'MEDIUM,HIGH,CRITICAL'], {env, timeoutMs: 60_000});
	assert.equal(medium.code, 5);
	assert.match(medium.stdout, /FAILS the gate \(4 findings: fail on MEDIUM, HIGH, CRITICAL, or any secret in the image\)/);
});

test('Trivy offline: a clear message, and --skip-db-update continues with the cached database; no Trivy says how to get it', async () => {
	const {root, env} = setup({TRIVY_TEST_OFFLINE: offlineLine, TRIVY_TEST_BACKEND: report('trivy-golden-sl-micro-rancher5.4.json')});
	// Offline on the first run: no database yet, so --skip-db-update is not offered.
	const first = await runCli(['scan', root], {env, timeoutMs: 120_000});
	made.push(...[...first.stdout.matchAll(/todo-(?:backend|frontend):src-[0-9a-f]{12}/g)].map(match => match[0]));
	assert.equal(first.code, 3);
	assert.match(first.stdout, /not scanned: Trivy could not download its vulnerability database \(offline, or the registry is blocked\), and it has none yet\./);
	assert.doesNotMatch(first.stdout, /--skip-db-update/);
	// A database from an earlier download, where Trivy keeps it.
	mkdirSync(path.join(env.HOME, '.cache/trivy/db'), {recursive: true});
	writeFileSync(path.join(env.HOME, '.cache/trivy/db/trivy.db'), 'a database from an earlier run');
	const offline = await runCli(['scan', root], {env, timeoutMs: 120_000});
	made.push(...[...offline.stdout.matchAll(/todo-(?:backend|frontend):src-[0-9a-f]{12}/g)].map(match => match[0]));
	assert.equal(offline.code, 3);
	assert.match(
		offline.stdout,
		/not scanned: Trivy could not download its vulnerability database \(offline, or the registry is blocked\)\.\n {2}fix: Continue with the database Trivy already has: todo-deploy scan --skip-db-update/,
	);
	const cached = await runCli(['scan', root, '--skip-db-update'], {env, timeoutMs: 60_000});
	assert.equal(cached.code, 0, cached.stdout);

	const noTrivy = await runCli(['scan', root, '--rescan'], {env: {...env, PATH: makeBin({real: ['docker']})}, timeoutMs: 60_000});
	assert.equal(noTrivy.code, 3);
	assert.match(noTrivy.stdout, /not scanned: Trivy is not installed, so the image was not scanned\.\n {2}fix: npx todo-deploy install trivy/);
});

test("secrets: an .env with a real key is left out of the build; let in (--allow-secrets-in-image), Trivy's secret scan finds it and the gate fails", async () => {
	const {root, env} = setup({TRIVY_TEST_BACKEND: report('trivy-golden-alpine-39-skip.json')});
	// A key of AWS's documented example shape: what Trivy's aws-access-key-id rule finds.
	writeFileSync(path.join(root, 'backend/.env'), 'AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\nAWS_REGION=eu-west-1\n');
	const built = await runCli(['build', root, '--scan'], {env, timeoutMs: 120_000});
	made.push(...[...built.stdout.matchAll(/todo-(?:backend|frontend):src-[0-9a-f]{12}/g)].map(match => match[0]));
	assert.equal(built.code, 0, built.stdout + built.stderr);
	assert.match(built.stdout, /todo-backend:src-[0-9a-f]{12}: built .*; left out \(not for an image\): backend\/\.env/);
	const files = (ref: string) => execFileSync('docker', ['run', '--rm', ref], {encoding: 'utf8'});
	const backend = /todo-backend:src-[0-9a-f]{12}/.exec(built.stdout)?.[0] ?? '';
	assert.doesNotMatch(files(backend), /\.env/);

	const allowed = await runCli(['build', root, '--scan', '--allow-secrets-in-image'], {env, timeoutMs: 120_000});
	made.push(...[...allowed.stdout.matchAll(/todo-(?:backend|frontend):src-[0-9a-f]{12}/g)].map(match => match[0]));
	assert.equal(allowed.code, 5, allowed.stdout + allowed.stderr);
	assert.match(allowed.stdout, /^ {2}SECRET {3}AWS Access Key ID \(aws-access-key-id\) in \/app\/\.env:1: rotate it, and keep the file out of the image$/m);
	assert.match(allowed.stdout, /FAILS the gate \(1 finding: fail on CRITICAL with a fix available, or any secret in the image\)/);
});
