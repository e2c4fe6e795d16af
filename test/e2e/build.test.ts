// Real builds on the real Docker engine: small todo projects on a busybox base made in the test.
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {appendFileSync, rmSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {execCause} from '../../source/diagnose/exec.js';
import {cliCommandLine, runCli} from '../helpers/cli.js';
import {openTerminal} from '../helpers/tmux.js';
import {ensureBaseImage, gitCommitAll, imageExists, makeTodoProject, removeImages} from '../helpers/images.js';

const env = {PATH: '/usr/bin:/bin', HOME: '/tmp', LANG: 'C.UTF-8'};
const made: string[] = [];

type BuildJson = {
	error: {message: string} | null;
	images: Array<{
		name: string;
		ref: string;
		commit: string | null;
		build: {type: string; outcome?: string; message?: string; step?: string; output?: string[]; fix?: string; cached?: number; steps?: number};
	}>;
};

async function build(args: string[]) {
	const result = await runCli(['build', ...args], {env, timeoutMs: 180_000});
	const output = args.includes('--json') ? (JSON.parse(result.stdout) as BuildJson) : undefined;
	for (const image of output?.images ?? []) {
		if (image.ref) {
			made.push(image.ref);
		}
	}

	return {...result, output};
}

const run = (reference: string) => execFileSync('docker', ['run', '--rm', '--network', 'none', reference], {encoding: 'utf8'});
const label = (reference: string, key: string) =>
	execFileSync('docker', ['image', 'inspect', '--format', `{{index .Config.Labels "${key}"}}`, reference], {encoding: 'utf8'}).trim();

before(() => {
	ensureBaseImage();
});

after(() => {
	removeImages(made);
});

test('build makes both images at once, tagged from git, labelled with the commit, .dockerignore respected', async () => {
	const root = makeTodoProject({git: true, ignoredMegabytes: 40});
	const commit = execFileSync('git', ['-C', root, 'log', '-1', '--format=%H', '--', 'backend'], {encoding: 'utf8'}).trim();
	const first = await build([root, '--json']);
	assert.equal(first.code, 0, first.stderr + first.stdout);
	const backend = first.output?.images.find(image => image.name === 'backend');
	const frontend = first.output?.images.find(image => image.name === 'frontend');
	assert.equal(backend?.ref, `todo-backend:git-${commit.slice(0, 12)}`);
	assert.match(frontend?.ref ?? '', /^todo-frontend:git-[0-9a-f]{12}$/);
	assert.equal(backend.build.outcome, 'built');
	// Seven instructions, and the labels the builder adds as steps of its own.
	assert.ok((backend.build.steps ?? 0) >= 7, JSON.stringify(backend.build));
	assert.equal(label(backend.ref, 'org.opencontainers.image.revision'), commit);
	// The 40 MB under node_modules and the log never reached the daemon, nor the image.
	const files = run(backend.ref);
	assert.match(files, /^main\.py$/m);
	assert.doesNotMatch(files, /node_modules|debug\.log/);
	assert.doesNotMatch(backend.ref, /latest/);

	// Nothing changed: nothing is built.
	const second = await build([root]);
	assert.equal(second.code, 0, second.stderr);
	assert.match(second.stdout, /^build todo-backend:git-[0-9a-f]{12}: up to date \([\d.]+ [kM]B\), nothing to build$/m);
	assert.match(second.stdout, /^build todo-frontend:git-[0-9a-f]{12}: up to date/m);

	// A change to an ignored file changes nothing either.
	appendFileSync(path.join(root, 'backend/debug.log'), 'more\n');
	const ignoredChange = await build([root, '--json']);
	assert.equal(ignoredChange.output?.images.find(image => image.name === 'backend')?.build.outcome, 'up-to-date');

	// An uncommitted change gives a -dirty- tag; the steps before the changed COPY come from the cache.
	appendFileSync(path.join(root, 'backend/main.py'), 'print("changed")\n');
	const dirty = await build([root, '--json']);
	const dirtyBackend = dirty.output?.images.find(image => image.name === 'backend');
	assert.match(dirtyBackend?.ref ?? '', new RegExp(`^todo-backend:git-${commit.slice(0, 12)}-dirty-[0-9a-f]{8}$`));
	assert.equal(dirtyBackend?.build.outcome, 'built');
	// ENV, WORKDIR, COPY requirements.txt and RUN: every step before the COPY that changed, although both
	// images were first built at once from new layers (the classic builder's cache would take the
	// frontend's WORKDIR layer and miss everything after it).
	assert.ok((dirtyBackend.build.cached ?? 0) >= 4, JSON.stringify(dirtyBackend.build));
	// The frontend folder did not change, so its tag did not either.
	assert.equal(dirty.output?.images.find(image => image.name === 'frontend')?.build.outcome, 'up-to-date');

	// Committing makes a clean tag on the new commit.
	const next = gitCommitAll(root, 'change main.py');
	const committed = await build([root, '--json']);
	assert.equal(committed.output?.images.find(image => image.name === 'backend')?.ref, `todo-backend:git-${next.slice(0, 12)}`);
});

test('outside git the tag is a hash of the files; build arguments change it', async () => {
	const root = makeTodoProject();
	const plain = await build([root, '--json']);
	assert.equal(plain.code, 0, plain.stderr);
	const ref = plain.output?.images[0]?.ref ?? '';
	assert.match(ref, /^todo-backend:src-[0-9a-f]{12}$/);
	const withArgs = await build([root, '--json', '--build-arg', 'APP_ENV=test']);
	assert.match(withArgs.output?.images[0]?.ref ?? '', new RegExp(`^${ref}-args-[0-9a-f]{6}$`));
	assert.ok(imageExists(withArgs.output?.images[0]?.ref ?? ''));
});

test('a failing RUN step shows the step, its last output lines and the fix; the other image still builds', async () => {
	const root = makeTodoProject({failingStep: 'pip could not find fastapi==0.115.0'});
	const result = await build([root]);
	assert.equal(result.code, 4);
	assert.match(
		result.stdout,
		/^build todo-backend:src-[0-9a-f]{12}: build failed: The command '\/bin\/sh -c echo "pip could not find fastapi==0\.115\.0" && exit 3' returned a non-zero code: 3$/m,
	);
	assert.match(result.stdout, /^ {2}at Step \d+\/\d+ : RUN echo "pip could not find/m);
	assert.match(result.stdout, /^ {2}\| pip could not find fastapi==0\.115\.0$/m);
	assert.match(result.stdout, /^ {2}fix: Fix "RUN echo .*" in .*backend\/Dockerfile; the lines above are its output\.$/m);
	// The frontend is the same as the previous test's, so it may already be there.
	assert.match(result.stdout, /^build todo-frontend:src-[0-9a-f]{12}: (built in|up to date)/m);
});

test('a missing Dockerfile, a missing base image and no Docker are clear messages', async () => {
	const root = makeTodoProject();
	rmSync(path.join(root, 'frontend/Dockerfile'));
	const missing = await build([root, '--frontend', path.join(root, 'frontend')]);
	assert.equal(missing.code, 4);
	assert.match(
		missing.stdout,
		/build todo-frontend: build failed: There is no Dockerfile in .*\/frontend\.\n {2}fix: Point todo-deploy at the frontend: --frontend DIR/,
	);

	const noBase = makeTodoProject();
	// A registry on a closed loopback port: the daemon's pull fails without leaving the machine.
	writeFileSync(path.join(noBase, 'backend/Dockerfile'), 'FROM 127.0.0.1:9/todo/not-here:1\nCMD ["true"]\n');
	const pulled = await build([noBase]);
	assert.equal(pulled.code, 4);
	assert.match(pulled.stdout, /build todo-backend:src-[0-9a-f]{12}: build failed: .*127\.0\.0\.1:9.*connection refused/);
	assert.match(pulled.stdout, /fix: The base image in .*backend\/Dockerfile is not on this machine and could not be pulled/);

	const noDocker = await runCli(['build', root], {env: {...env, DOCKER_HOST: 'unix:///nonexistent/docker.sock'}});
	assert.equal(noDocker.code, 3);
	assert.match(noDocker.stdout, /^Docker is not running: there is no socket at .*\n {2}fix: Start Docker .*todo-deploy doctor says more\.$/m);
});

test('a script written on Windows (CRLF) is found before building; the real engine shows why: the container cannot start it', async () => {
	const root = makeTodoProject();
	const backend = path.join(root, 'backend');
	writeFileSync(path.join(backend, 'docker-entrypoint.sh'), '#!/bin/sh\r\necho "entrypoint ran"\r\nexec "$@"\r\n', {mode: 0o755});
	appendFileSync(path.join(backend, 'Dockerfile'), 'COPY docker-entrypoint.sh /docker-entrypoint.sh\nENTRYPOINT ["/docker-entrypoint.sh"]\n');
	const refused = await build([root, '--json']);
	assert.equal(refused.code, 4);
	const image = refused.output?.images.find(entry => entry.name === 'backend');
	assert.equal(image?.build.type, 'failed');
	assert.match(
		image.build.message ?? '',
		/^docker-entrypoint\.sh has Windows line endings \(CRLF\): in the container it would fail with "exec docker-entrypoint\.sh: no such file or directory"/,
	);
	assert.match(image.build.fix ?? '', /^Convert to LF: sed -i 's\/\\r\$\/\/' docker-entrypoint\.sh \(in the build folder\)/);
	assert.equal(refused.output?.images.find(entry => entry.name === 'frontend')?.build.type, 'done');

	// What happens without the check: the real engine builds it, and the container cannot start.
	const proof = `todo-deploy-test/crlf-proof:${process.pid}`;
	made.push(proof);
	execFileSync('docker', ['build', '--network', 'host', '-q', '-t', proof, backend], {stdio: 'ignore'});
	let stderr = '';
	try {
		execFileSync('docker', ['run', '--rm', '--network', 'none', proof], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']});
	} catch (error) {
		stderr = String((error as {stderr?: string}).stderr);
	}

	assert.match(stderr, /no such file or directory/);
	assert.equal(execCause(stderr.split('\n'))?.kind, 'not-found', stderr);

	// The fix as given works: the same project builds, and its entrypoint runs.
	execFileSync('/bin/sh', ['-c', "sed -i 's/\\r$//' docker-entrypoint.sh"], {cwd: backend});
	const fixed = await build([root, '--json']);
	assert.equal(fixed.code, 0, fixed.stdout);
	const ref = fixed.output?.images.find(entry => entry.name === 'backend')?.ref ?? '';
	assert.match(run(ref), /^entrypoint ran\n/);
});

test('bad build flags are usage errors', async () => {
	const result = await runCli(['build', '--build-arg', 'NOVALUE'], {env});
	assert.equal(result.code, 2);
	assert.match(result.stderr, /--build-arg takes NAME=VALUE/);
	const two = await runCli(['load', '--kind', 'a', '--minikube', 'b'], {env});
	assert.equal(two.code, 2);
	assert.match(two.stderr, /Name one place to load into/);
	const severity = await runCli(['scan', '--severity', 'SEVERE'], {env});
	assert.equal(severity.code, 2);
	assert.match(severity.stderr, /--severity takes a list of CRITICAL, HIGH/);
});

test('Ctrl-C on the build screen stops the builds, tags nothing and exits 130', async () => {
	const root = makeTodoProject();
	appendFileSync(path.join(root, 'backend/Dockerfile'), 'RUN echo "long step started" && sleep 60\n');
	const terminal = openTerminal(
		cliCommandLine('build --only backend', {PATH: '/usr/bin:/bin', HOME: '/tmp', TERM: 'xterm-256color', LANG: 'C.UTF-8'}, {cwd: root}),
	);
	try {
		await terminal.waitFor(/long step started/, 60_000);
		const ref = /todo-backend:src-[0-9a-f]{12}/.exec(terminal.screen())?.[0] ?? '';
		terminal.press('C-c');
		const screen = await terminal.waitFor(/\[exit \d+\]/, 30_000);
		assert.match(screen, /build failed: cancelled|Cancelled/);
		assert.match(screen, /\[exit 130\]/);
		assert.ok(ref !== '' && !imageExists(ref), `${ref} was not tagged`);
	} finally {
		terminal.close();
	}
});
