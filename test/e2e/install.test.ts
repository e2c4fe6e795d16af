import assert from 'node:assert/strict';
import {execFileSync, spawn} from 'node:child_process';
import {chmodSync, existsSync, mkdirSync, readdirSync, statSync} from 'node:fs';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {cliCommandLine, emptyHome, makeBin, runCli, tempDir, type CliResult, failureOf} from '../helpers/cli.js';
import {buildReleases, startConnectProxy, startReleaseServer, type ReleaseServer} from '../helpers/release-server.js';
import {makeTodoProject} from '../helpers/images.js';
import {realKubeTool} from '../helpers/kube-tools.js';
import {cliPath, nodePath} from '../helpers/paths.js';
import {openTerminal} from '../helpers/tmux.js';

type InstallJson = {
	dir: string;
	tools: Array<{tool: string; wanted: string | null; type: string; outcome?: string; version?: string; path?: string; message?: string; fix?: string}>;
	cancelled: boolean;
};

const helmArchive = '/get.helm.sh/helm-v4.1.4-linux-amd64.tar.gz';
const kindBinary = '/github.com/kubernetes-sigs/kind/releases/download/v0.32.0/kind-linux-amd64';
let server: ReleaseServer;

before(async () => {
	server = await startReleaseServer(buildReleases());
});

after(async () => {
	await server.close();
});

function install(args: string[], options: {env?: Record<string, string>; uid?: number; gid?: number} = {}): Promise<CliResult> {
	const home = emptyHome();
	return runCli(['install', ...args, '--mirror', server.url, '--json'], {
		env: {PATH: makeBin({}), HOME: home, ...options.env},
		uid: options.uid,
		gid: options.gid,
		timeoutMs: 60_000,
	});
}

function parse(result: CliResult): InstallJson {
	try {
		return JSON.parse(result.stdout) as InstallJson;
	} catch {
		throw new Error(`install printed no JSON (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
	}
}

/** Nothing at the final path and no partial file: a failed install leaves the folder as it was. */
function assertNothingLeft(dir: string) {
	const left = existsSync(dir) ? readdirSync(dir) : [];
	assert.deepEqual(left, [], `left behind in ${dir}: ${left.join(', ')}`);
}

test('the real helm archive is downloaded through --mirror, verified, installed, and runs', async () => {
	const dir = path.join(tempDir('tools'), 'bin');
	const result = await install(['helm', '--version', '4.1.4', '--dir', dir]);
	const output = parse(result);
	assert.equal(result.code, 0, result.stderr);
	assert.deepEqual(
		output.tools.map(tool => [tool.tool, tool.type, tool.outcome, tool.path]),
		[['helm', 'done', 'installed', path.join(dir, 'helm')]],
	);
	assert.equal(execFileSync(path.join(dir, 'helm'), ['version', '--short'], {encoding: 'utf8'}).trim(), 'v4.1.4+g05fa379');
	assert.equal(statSync(path.join(dir, 'helm')).mode & 0o777, 0o755);
	assert.deepEqual(readdirSync(dir), ['helm']);
	assert.ok(server.requests.includes(`${helmArchive}.sha256sum`) && server.requests.includes(helmArchive));
});

test('every tool in its own release layout at once; a second run downloads nothing', async () => {
	const dir = path.join(tempDir('tools'), 'bin');
	const first = parse(await install(['kubectl', 'minikube', 'kind', 'trivy', '--dir', dir]));
	assert.deepEqual(
		first.tools.map(tool => [tool.tool, tool.outcome, tool.version]),
		[
			['kubectl', 'installed', 'v1.35.2'],
			['minikube', 'installed', 'v1.38.1'],
			['kind', 'installed', 'v0.32.0'],
			['trivy', 'installed', 'v0.74.0'],
		],
	);
	assert.deepEqual(readdirSync(dir).sort(), ['kind', 'kubectl', 'minikube', 'trivy']);
	const before = server.requests.length;
	const second = await install(['kubectl', 'minikube', 'kind', 'trivy', '--dir', dir]);
	assert.equal(second.code, 0);
	assert.deepEqual(
		parse(second).tools.map(tool => tool.outcome),
		['already-installed', 'already-installed', 'already-installed', 'already-installed'],
	);
	assert.equal(server.requests.length, before, 'the second run fetched something');
});

test('a tool already on PATH is used as it is, unless --force', async () => {
	const dir = path.join(tempDir('tools'), 'bin');
	const bin = makeBin({scripts: {kind: 'echo "kind v0.29.0 go1.24.2 linux/amd64"'}});
	const found = parse(await install(['kind', '--dir', dir], {env: {PATH: bin}}));
	assert.equal(found.tools[0]?.outcome, 'found-elsewhere');
	assert.equal(found.tools[0].path, path.join(bin, 'kind'));
	assert.equal(found.tools[0].version, 'v0.29.0');
	assertNothingLeft(dir);
	const forced = parse(await install(['kind', '--dir', dir, '--force'], {env: {PATH: bin}}));
	assert.equal(forced.tools[0]?.outcome, 'installed');
	assert.equal(execFileSync(path.join(dir, 'kind'), ['version'], {encoding: 'utf8'}).trim(), 'kind v0.32.0 go1.25.5 linux/amd64');
});

test('faults each stop with a clear message and leave nothing installed', async t => {
	// A file that is wrong, or a request for what does not exist, is something to fix (1); a server or a
	// network that fails is the environment (3), as the README's exit codes say.
	const cases: Array<{name: string; args: string[]; fault?: [string, Parameters<ReleaseServer['fault']>[1]]; message: RegExp; code?: number}> = [
		{
			name: 'checksum mismatch',
			args: ['kind'],
			fault: [kindBinary, {type: 'replace', body: Buffer.from('#!/bin/sh\necho pwned\n')}],
			message:
				/^checksum mismatch for kind-linux-amd64 \(0\.0 MB\): expected [\da-f]{64}, got [\da-f]{64}; the file was corrupted or altered on the way, so it was deleted$/,
		},
		{
			name: 'checksum file missing',
			args: ['kind'],
			fault: [`${kindBinary}.sha256sum`, {type: 'status', status: 404}],
			message:
				/^no checksum is published at http:\/\/127\.0\.0\.1:\d+\/github\.com\/.*kind-linux-amd64\.sha256sum; todo-deploy does not install a binary it cannot verify$/,
		},
		{
			name: '404 for an unknown version',
			args: ['kind', '--version', '9.9.9'],
			message: /^The checksum file .*\/v9\.9\.9\/kind-linux-amd64\.sha256sum does not exist \(HTTP 404\)$|^no checksum is published at .*v9\.9\.9/,
		},
		{
			name: 'truncated body',
			args: ['helm', '--version', '4.1.4'],
			fault: [helmArchive, {type: 'truncate', bytes: 100_000}],
			message: /was cut off before the end|stopped after 100000 of \d+ bytes/,
			code: 3,
		},
		{
			name: 'connection dropped mid-download',
			args: ['helm', '--version', '4.1.4'],
			fault: [helmArchive, {type: 'drop', bytes: 1_000_000}],
			message: /cut off before the end|connection to 127\.0\.0\.1:\d+ failed|stopped after/,
			code: 3,
		},
		{
			name: 'server that never answers',
			args: ['helm', '--version', '4.1.4', '--timeout', '1'],
			fault: [helmArchive, {type: 'hang'}],
			message: /^http:\/\/127\.0\.0\.1:\d+\/get\.helm\.sh\/helm-v4\.1\.4-linux-amd64\.tar\.gz stopped answering$/,
			code: 3,
		},
	];
	for (const item of cases) {
		await t.test(item.name, async () => {
			const dir = path.join(tempDir('tools'), 'bin');
			if (item.fault) {
				server.fault(...item.fault);
			}

			try {
				const result = await install([...item.args, '--dir', dir]);
				const output = parse(result);
				assert.equal(result.code, item.code ?? 1);
				assert.equal(output.tools[0]?.type, 'failed');
				assert.match(output.tools[0].message ?? '', item.message);
				assertNothingLeft(dir);
				assert.doesNotMatch(result.stderr, /^\s+at /m);
			} finally {
				if (item.fault) {
					server.fault(item.fault[0], undefined);
				}
			}
		});
	}
});

test('a connection dropped once is retried and the install succeeds', async () => {
	const dir = path.join(tempDir('tools'), 'bin');
	server.fault(helmArchive, {type: 'drop', bytes: 500_000, times: 1});
	try {
		const result = await runCli(['install', 'helm', '--version', '4.1.4', '--mirror', server.url, '--dir', dir], {
			env: {PATH: makeBin({}), HOME: emptyHome()},
			timeoutMs: 60_000,
		});
		assert.equal(result.code, 0, failureOf(result));
		assert.match(result.stderr, /helm 4\.1\.4: .*trying again in [\d.]+ m?s \(attempt 2\)/);
		assert.match(result.stdout, /helm 4\.1\.4 installed at .* \(checksum verified, runs: v4\.1\.4\+g05fa379\)/);
	} finally {
		server.fault(helmArchive, undefined);
	}
});

test('an install directory the user may not write to is refused before downloading', async t => {
	if (process.getuid?.() !== 0) {
		t.skip('needs root to run as another user');
		return;
	}

	const dir = tempDir('root-owned');
	chmodSync(dir, 0o755);
	const requestsBefore = server.requests.length;
	const result = await install(['kind', '--dir', dir], {uid: 65_534, gid: 65_534});
	const output = parse(result);
	assert.equal(result.code, 1);
	assert.match(output.tools[0]?.message ?? '', new RegExp(`^cannot write to ${dir} \\(EACCES\\)$`));
	assert.match(output.tools[0]?.fix ?? '', /--dir DIR/);
	assert.equal(server.requests.length, requestsBefore);
	assertNothingLeft(dir);
});

test('unknown tools and bad flags are usage errors', async () => {
	const unknown = await runCli(['install', 'helm', 'kubeadm']);
	assert.equal(unknown.code, 2);
	assert.match(unknown.stderr, /Unknown tool "kubeadm": todo-deploy installs helm, kubectl, minikube, kind, trivy\./);
	const none = await runCli(['install']);
	assert.equal(none.code, 2);
	assert.match(none.stderr, /Name the tools to install/);
	const twoVersions = await runCli(['install', 'helm', 'kind', '--version', '1.0.0']);
	assert.equal(twoVersions.code, 2);
	const badMirror = await runCli(['install', 'helm', '--mirror', 'ftp://mirror']);
	assert.equal(badMirror.code, 2);
	assert.match(badMirror.stderr, /is not an http:\/\/ or https:\/\/ address/);
});

test('an install killed half-way leaves no file at the final path, and the next run completes and clears the partial file', async () => {
	const dir = path.join(tempDir('tools'), 'bin');
	server.fault(helmArchive, {type: 'slow', bytesPerSecond: 2_000_000});
	try {
		const child = spawn(nodePath, [cliPath, 'install', 'helm', '--version', '4.1.4', '--mirror', server.url, '--dir', dir], {
			env: {PATH: makeBin({}), HOME: emptyHome()},
			stdio: 'ignore',
		});
		const deadline = Date.now() + 20_000;
		// Wait until the download is under way, then kill it without warning.
		while (!(existsSync(dir) && readdirSync(dir).some(name => name.endsWith('-download') && statSync(path.join(dir, name)).size > 1_000_000))) {
			assert.ok(Date.now() < deadline, 'the download never started');
			await new Promise(resolve => setTimeout(resolve, 50));
		}

		child.kill('SIGKILL');
		await new Promise(resolve => child.once('exit', resolve));
		assert.ok(!existsSync(path.join(dir, 'helm')), 'a half-written helm is at the final path');
	} finally {
		server.fault(helmArchive, undefined);
	}

	const result = await install(['helm', '--version', '4.1.4', '--dir', dir]);
	assert.equal(result.code, 0);
	assert.deepEqual(readdirSync(dir), ['helm']);
});

test('Ctrl-C (SIGINT) cancels, removes the partial download, and exits 130', async () => {
	const dir = path.join(tempDir('tools'), 'bin');
	server.fault(helmArchive, {type: 'slow', bytesPerSecond: 2_000_000});
	try {
		const child = spawn(nodePath, [cliPath, 'install', 'helm', '--version', '4.1.4', '--mirror', server.url, '--dir', dir], {
			env: {PATH: makeBin({}), HOME: emptyHome()},
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let stdout = '';
		child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
			stdout += chunk;
		});
		const deadline = Date.now() + 20_000;
		while (!(existsSync(dir) && readdirSync(dir).some(name => name.endsWith('-download') && statSync(path.join(dir, name)).size > 500_000))) {
			assert.ok(Date.now() < deadline, 'the download never started');
			await new Promise(resolve => setTimeout(resolve, 50));
		}

		child.kill('SIGINT');
		const code = await new Promise(resolve => child.once('exit', resolve));
		assert.equal(code, 130);
		assert.match(stdout, /helm 4\.1\.4 not installed: cancelled/);
		assertNothingLeft(dir);
	} finally {
		server.fault(helmArchive, undefined);
	}
});

test('Ctrl-C on the live screen, mid-download: the partial file goes, the screen says cancelled, exit 130', async () => {
	const dir = path.join(tempDir('tools'), 'bin');
	server.fault(helmArchive, {type: 'slow', bytesPerSecond: 2_000_000});
	const terminal = openTerminal(
		cliCommandLine(`install helm --version 4.1.4 --mirror ${server.url} --dir ${dir}`, {
			PATH: makeBin({}),
			HOME: emptyHome(),
			TERM: 'xterm-256color',
			LANG: 'C.UTF-8',
		}),
		{width: 100, height: 30},
	);
	try {
		const deadline = Date.now() + 20_000;
		while (!(existsSync(dir) && readdirSync(dir).some(name => name.endsWith('-download') && statSync(path.join(dir, name)).size > 500_000))) {
			assert.ok(Date.now() < deadline, 'the download never started');
			await new Promise(resolve => setTimeout(resolve, 50));
		}

		terminal.press('C-c');
		const screen = await terminal.waitFor(/\[exit 130\]/, 5000);
		assert.match(screen, /[Cc]ancelled/);
		assertNothingLeft(dir);
	} finally {
		terminal.close();
		server.fault(helmArchive, undefined);
	}
});

test('HTTPS_PROXY/HTTP_PROXY carry the downloads; NO_PROXY bypasses the proxy', async () => {
	const proxy = await startConnectProxy();
	try {
		const dir = path.join(tempDir('tools'), 'bin');
		const proxied = await install(['kind', '--dir', dir], {env: {HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url}});
		assert.equal(proxied.code, 0, proxied.stdout);
		assert.ok(proxy.tunnels.length >= 2, `the proxy saw ${proxy.tunnels.length} tunnels`);
		const tunnels = proxy.tunnels.length;
		const direct = await install(['minikube', '--dir', dir], {env: {HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1'}});
		assert.equal(direct.code, 0, direct.stdout);
		assert.equal(proxy.tunnels.length, tunnels);
	} finally {
		await proxy.close();
	}
});

test('when Trivy cannot be installed but a local aquasec/trivy image exists, it is offered', async () => {
	const rootfs = tempDir('trivy-rootfs');
	mkdirSync(path.join(rootfs, 'etc'));
	execFileSync('/bin/sh', ['-c', `echo trivy-test > '${rootfs}/etc/hostname' && tar -C '${rootfs}' -c etc | docker import - aquasec/trivy:0.58.1`], {
		stdio: 'ignore',
	});
	const checksums = '/github.com/aquasecurity/trivy/releases/download/v0.74.0/trivy_0.74.0_checksums.txt';
	server.fault(checksums, {type: 'status', status: 503});
	try {
		const output = parse(await install(['trivy', '--dir', path.join(tempDir('tools'), 'bin')], {env: {PATH: makeBin({})}}));
		assert.equal(output.tools[0]?.type, 'failed');
		assert.match(output.tools[0].fix ?? '', /The image aquasec\/trivy:0\.58\.1 is on this machine: todo-deploy can run Trivy from it/);
	} finally {
		server.fault(checksums, undefined);
		execFileSync('docker', ['rmi', 'aquasec/trivy:0.58.1'], {stdio: 'ignore'});
	}
});

test('the wizard with --yes installs exactly what the doctor found missing, then starts the cluster the doctor recommends', async () => {
	const home = emptyHome();
	const bin = makeBin({real: ['docker', 'git']});
	// The real helm and kubectl are "already there"; minikube, kind and trivy are not.
	execFileSync('/bin/sh', ['-c', `ln -s '${realKubeTool('helm')}' '${bin}/helm' && ln -s '${realKubeTool('kubectl')}' '${bin}/kubectl'`]);
	const result = await runCli(['up', makeTodoProject(), '--yes'], {env: {PATH: bin, HOME: home, TODO_DEPLOY_MIRROR: server.url}, timeoutMs: 60_000});
	const dir = path.join(home, '.local/share/todo-deploy/bin');
	assert.match(result.stdout, /^✔ Check this machine: Docker Engine [^\n]* answers/m);
	assert.match(result.stdout, /^✔ Install missing tools: minikube, trivy installed \(checksums verified\)/m);
	assert.deepEqual(readdirSync(dir).sort(), ['minikube', 'trivy']);
	// The stand-in minikube cannot start a cluster: the step says so, and nothing after it runs.
	// Its captured failure (no way to gcr.io) is said by its reason, not by its last line (a box asking for a bug report).
	assert.match(
		result.stdout,
		/^✖ Local cluster: minikube start --driver=docker --cpus=\d --memory=\d+mb( --kubernetes-version=v1\.34\.0)? failed: Docker cannot download minikube's node image \(gcr\.io\/k8s-minikube\/kicbase\)/m,
	);
	assert.match(result.stdout, /Exiting due to GUEST_PROVISION: error provisioning guest/);
	assert.doesNotMatch(result.stdout, /please let us know/);
	assert.match(result.stdout, /^- helm upgrade --install: skipped \(no cluster\)/m);
	assert.equal(result.code, 3);

	// Now the doctor finds them itself, in the folder it installed to, though the user's PATH lacks it.
	const again = await runCli(['doctor', '--json'], {env: {PATH: bin, HOME: home}});
	const output = JSON.parse(again.stdout) as {
		checks: Array<{id: string; status: string; summary: string}>;
		recommendation: {install: unknown[]; pathSetup: string | null};
	};
	assert.match(output.checks.find(check => check.id === 'minikube')?.summary ?? '', /^minikube v1\.38\.1/);
	assert.deepEqual(output.recommendation.install, []);
});

test('without a terminal the wizard does not ask; it names --yes instead', async () => {
	const result = await runCli([], {env: {PATH: makeBin({real: ['docker']}), HOME: emptyHome(), TODO_DEPLOY_MIRROR: server.url}});
	assert.equal(result.code, 1);
	assert.match(result.stderr, /todo-deploy: there is no terminal to ask before installing tools, starting a cluster and deploying; run with --yes to go ahead/);
});
