import assert from 'node:assert/strict';
import {execFile, execFileSync} from 'node:child_process';
import {readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {promisify} from 'node:util';
import {checkOf, doctorEnv, emptyHome, makeBin, parseDoctor, runCli} from '../helpers/cli.js';
import {sharedDockerAnswers, startPrivateDockerd} from '../helpers/dockerd.js';
import {kubeconfigFor, startVersionServer, type FakeApiServer} from '../helpers/fake-apiserver.js';
import {realKubeTool} from '../helpers/kube-tools.js';
import {startSimulatedCluster} from '../sim/apiserver.js';
import {dockerHost, dockerSocket, escapeRegExp, localFixtures, capturedFixture} from '../helpers/paths.js';

const deadSocket = 'unix:///nonexistent/todo-deploy-e2e/docker.sock';
const noStackTrace = (text: string) => assert.doesNotMatch(text, /^\s+at .+:\d+:\d+\)?$/m, `a stack trace was printed:\n${text}`);

before(async () => {
	assert.ok(
		await sharedDockerAnswers(),
		`no Docker engine answers at ${dockerHost}: start one as .ci/run does (dockerd --bridge=none --iptables=false), or point DOCKER_HOST at one`,
	);
});

test('--version, --help, and usage errors exit 2 with a message that says what to do', async () => {
	const version = await runCli(['--version']);
	assert.equal(version.code, 0);
	assert.equal(version.stdout.trim(), (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {version: string}).version);
	const help = await runCli(['--help']);
	assert.equal(help.code, 0);
	assert.match(help.stdout, /doctor\s+checks this machine/);
	assert.match(help.stdout, /Exit codes/);
	const unknown = await runCli(['deploi']);
	assert.equal(unknown.code, 2);
	assert.match(unknown.stderr, /Unknown command "deploi"\.\nRun todo-deploy --help/);
	const flag = await runCli(['doctor', '--jsn']);
	assert.equal(flag.code, 2);
	assert.match(flag.stderr, /Unknown option '--jsn'/);
	noStackTrace(flag.stderr);
});

test('the launcher refuses an old Node.js with a clear message, not a stack trace', async t => {
	let systemNode: string;
	try {
		systemNode = execFileSync('/bin/sh', ['-c', 'PATH=/usr/local/bin:/usr/bin:/bin command -v node'], {encoding: 'utf8'}).trim();
	} catch {
		t.skip('no system Node.js to try');
		return;
	}

	const version = execFileSync(systemNode, ['--version'], {encoding: 'utf8'}).trim();
	const [major = 0, minor = 0] = version.slice(1).split('.').map(Number);
	if (major > 22 || (major === 22 && minor >= 19)) {
		t.skip(`system Node.js ${version} is supported`);
		return;
	}

	const result = await runCli(['doctor'], {node: systemNode});
	assert.equal(result.code, 1);
	assert.equal(
		result.stderr,
		`todo-deploy needs Node.js 22.19 or newer; this is Node.js ${version.slice(1)}.\nInstall a current Node.js (https://nodejs.org/, or: nvm install 24) and run it again.\n`,
	);
});

test('a running Docker engine is found and minikube with the docker driver is recommended', async () => {
	const bin = makeBin({real: ['docker']});
	const result = await runCli(['doctor', '--json'], {env: doctorEnv(bin, emptyHome())});
	const output = parseDoctor(result);
	const docker = checkOf(output, 'docker');
	// What the real docker CLI says of the same daemon.
	const serverVersion = execFileSync('docker', ['version', '--format', '{{.Server.Version}}'], {encoding: 'utf8'}).trim();
	const cgroup = execFileSync('docker', ['info', '--format', '{{.CgroupVersion}}'], {encoding: 'utf8'}).trim();
	assert.match(docker.summary, new RegExp(`^Docker Engine ${serverVersion.replaceAll('+', '\\+')} \\(API [\\d.]+\\) answers at ${escapeRegExp(dockerHost)}$`));
	if (cgroup === '1') {
		// Kubernetes 1.35's kubelet refuses cgroup v1: said, and the new cluster is pinned to 1.34.
		assert.equal(docker.status, 'warn', docker.summary);
		assert.match(docker.detail ?? '', /^Linux containers, \d+ CPUs and [\d.]+ GiB for the engine\. It runs containers with cgroup v1 \(driver \w+\)/);
		assert.match(output.recommendation.command ?? '', /^minikube start --driver=docker --cpus=\d --memory=\d+mb --kubernetes-version=v1\.34\.0$/);
	} else {
		assert.equal(docker.status, 'ok', docker.summary);
		assert.match(docker.detail ?? '', /^Linux containers, \d+ CPUs and [\d.]+ GiB for the engine\.$/);
		assert.match(output.recommendation.command ?? '', /^minikube start --driver=docker --cpus=\d --memory=\d+mb$/);
	}

	assert.equal(output.recommendation.target, 'minikube-docker');
	assert.deepEqual(
		output.recommendation.install.map(step => step.tool),
		['minikube', 'helm', 'trivy', 'kubectl'],
	);
	assert.equal(result.code, 0);
	for (const id of ['platform', 'docker', 'kvm2', 'minikube', 'kind', 'kubectl', 'cluster', 'helm', 'trivy']) {
		checkOf(output, id);
	}
});

test('DOCKER_HOST at a dead socket: the daemon is "not running", no path, exit 1', async () => {
	const bin = makeBin({real: ['docker']});
	const result = await runCli(['doctor', '--json'], {env: doctorEnv(bin, emptyHome(), {DOCKER_HOST: deadSocket})});
	const output = parseDoctor(result);
	const docker = checkOf(output, 'docker');
	assert.equal(docker.status, 'fail');
	assert.equal(docker.summary, 'The Docker daemon is not running (no socket at /nonexistent/todo-deploy-e2e/docker.sock)');
	assert.match(docker.fix ?? '', /unset DOCKER_HOST/);
	assert.equal(output.recommendation.target, null);
	assert.equal(result.code, 1);
});

test('a user who may not open the Docker socket is told about the docker group', async t => {
	if (process.getuid?.() !== 0) {
		t.skip('needs root to run the CLI as another user');
		return;
	}

	const bin = makeBin({real: ['docker']});
	const result = await runCli(['doctor', '--json'], {env: doctorEnv(bin, emptyHome()), uid: 65_534, gid: 65_534});
	const output = parseDoctor(result);
	const docker = checkOf(output, 'docker');
	assert.equal(docker.status, 'fail');
	assert.equal(docker.summary, `Permission denied on ${dockerSocket}`);
	assert.match(docker.fix ?? '', /sudo usermod -aG docker \$USER, then start a new login shell/);
	assert.equal(result.code, 1);
});

test("behind a proxy: the shell's NO_PROXY and the engine's own proxy are both checked, the password never shown", async () => {
	const bin = makeBin({real: ['docker']});
	// A proxy on a closed loopback port: nothing is sent anywhere.
	const proxy = {HTTPS_PROXY: 'http://dev:hunter2secret@127.0.0.1:9', NO_PROXY: 'localhost'};
	const shared = await runCli(['doctor', '--json'], {env: doctorEnv(bin, emptyHome(), proxy)});
	assert.doesNotMatch(shared.stdout, /hunter2secret/);
	const output = parseDoctor(shared);
	const platform = checkOf(output, 'platform');
	assert.equal(platform.status, 'warn');
	assert.match(
		platform.detail ?? '',
		/A proxy is set \(http:\/\/dev:\*\*\*@127\.0\.0\.1:9\), but NO_PROXY \(localhost\) lacks 127\.0\.0\.1, 192\.168\.49\.0\/24, 10\.96\.0\.0\/12/,
	);
	// The engine here was started without one: it would pull nothing through the proxy.
	assert.match(checkOf(output, 'docker').detail ?? '', /This shell goes through a proxy \(http:\/\/dev:\*\*\*@127\.0\.0\.1:9\), but the engine has none/);

	const daemon = await startPrivateDockerd({env: {HTTPS_PROXY: 'http://127.0.0.1:9', NO_PROXY: 'localhost,127.0.0.1'}});
	try {
		const withProxy = parseDoctor(await runCli(['doctor', '--json'], {env: doctorEnv(bin, emptyHome(), {...proxy, DOCKER_HOST: daemon.host})}));
		assert.match(checkOf(withProxy, 'docker').summary, new RegExp(`answers at ${daemon.host}`));
		assert.doesNotMatch(checkOf(withProxy, 'docker').detail ?? '', /engine has none/);
	} finally {
		await daemon.stop();
	}
});

test('a docker context chosen with the real docker CLI is followed as the CLI follows it; DOCKER_HOST still wins', async () => {
	const daemon = await startPrivateDockerd();
	const bin = makeBin({real: ['docker']});
	const home = emptyHome();
	try {
		// The docker CLI writes the context where it keeps it (~/.docker/contexts/meta/<sha256>/meta.json).
		const cli = {env: {...process.env, HOME: home, DOCKER_HOST: ''}, stdio: 'ignore' as const};
		execFileSync('docker', ['context', 'create', 'todo-private', '--docker', `host=${daemon.host}`], cli);
		execFileSync('docker', ['context', 'use', 'todo-private'], cli);
		const followed = checkOf(parseDoctor(await runCli(['doctor', '--json'], {env: doctorEnv(bin, home, {DOCKER_HOST: undefined})})), 'docker');
		assert.match(followed.summary, new RegExp(`answers at ${daemon.host} \\(docker context todo-private\\)$`));

		const overridden = checkOf(parseDoctor(await runCli(['doctor', '--json'], {env: doctorEnv(bin, home, {DOCKER_HOST: dockerHost})})), 'docker');
		assert.match(overridden.summary, new RegExp(`answers at ${escapeRegExp(dockerHost)}$`));

		const missing = checkOf(
			parseDoctor(await runCli(['doctor', '--json'], {env: doctorEnv(bin, home, {DOCKER_HOST: undefined, DOCKER_CONTEXT: 'gone'})})),
			'docker',
		);
		assert.equal(missing.status, 'fail');
		assert.match(missing.detail ?? '', /The docker context "gone" \(DOCKER_CONTEXT\) does not exist: docker context ls lists them/);
	} finally {
		await daemon.stop();
	}
});

test('the same daemon is reachable while it runs and "not running" once it is stopped', async () => {
	const daemon = await startPrivateDockerd();
	const bin = makeBin({real: ['docker']});
	const env = doctorEnv(bin, emptyHome(), {DOCKER_HOST: daemon.host});
	try {
		const running = parseDoctor(await runCli(['doctor', '--json'], {env}));
		assert.match(checkOf(running, 'docker').status, /^(ok|warn)$/);
		assert.match(checkOf(running, 'docker').summary, new RegExp(`answers at ${daemon.host}`));
	} finally {
		await daemon.stop();
	}

	const stopped = parseDoctor(await runCli(['doctor', '--json'], {env}));
	const docker = checkOf(stopped, 'docker');
	assert.equal(docker.status, 'fail');
	assert.match(docker.summary, /^The Docker daemon is not running/);
});

test("Docker Desktop's stub in a WSL distro is named as the cause of DRV_NOT_DETECTED", async () => {
	const message = capturedFixture('docker', 'docker-desktop-wsl2-integration-disabled-message-2023.txt');
	const bin = makeBin({scripts: {docker: `/bin/cat '${message}'\nexit 1`}});
	const output = parseDoctor(
		await runCli(['doctor', '--json'], {
			env: doctorEnv(bin, emptyHome(), {DOCKER_HOST: deadSocket, WSL_DISTRO_NAME: 'Ubuntu', WSL_INTEROP: '/run/WSL/8_interop'}),
		}),
	);
	assert.equal(output.platform.wsl, 2);
	const docker = checkOf(output, 'docker');
	assert.equal(docker.summary, "Docker Desktop's WSL integration is off for this distro");
	assert.match(docker.detail ?? '', /could not be found in this WSL 2 distro/);
	assert.match(docker.fix ?? '', /WSL integration, turn on Ubuntu/);
	assert.match(output.recommendation.fixes[0] ?? '', /WSL integration/);
});

test('stand-in minikube and kind print real outputs; a hung helm and a crashing trivy do not stop the doctor', async () => {
	const profileList = path.join(localFixtures, 'minikube/profile-list-stopped-docker.json');
	const kindClusters = capturedFixture('kind', 'kind-get-clusters-one-cluster-v0.5.1.txt');
	const bin = makeBin({
		real: ['docker'],
		scripts: {
			minikube: `case "$1" in version) echo '{"commit":"65318f4cfff9c12cc87ec9eb8f4cdd57b25047f3","minikubeVersion":"v1.37.0"}';; profile) /bin/cat '${profileList}';; *) exit 64;; esac`,
			kind: `case "$1" in version) echo 'kind v0.32.0 go1.25.5 linux/amd64';; get) /usr/bin/tail -n +2 '${kindClusters}';; *) exit 64;; esac`,
			// Hung, ignoring SIGTERM, with a child of its own: the whole group must go when the probe gives up.
			helm: "trap '' TERM; /bin/sleep 61.25; /bin/sleep 61.25",
			trivy: "printf '\\000\\001\\377garbage'; echo 'Segmentation fault' >&2; exit 139",
		},
	});
	const result = await runCli(['doctor', '--json'], {env: doctorEnv(bin, emptyHome())});
	const output = parseDoctor(result);
	assert.equal(checkOf(output, 'minikube').summary, 'minikube v1.37.0, profiles: minikube (Stopped, docker)');
	assert.equal(checkOf(output, 'kind').summary, 'kind v0.32.0, clusters: halkyon');
	const helm = checkOf(output, 'helm');
	assert.equal(helm.status, 'warn');
	assert.match(`${helm.summary} ${helm.detail ?? ''}`, /did not answer within 4 s|did not finish within 5 s/);
	assert.equal(checkOf(output, 'trivy').status, 'warn');
	assert.match(checkOf(output, 'trivy').detail ?? '', /exited with code 139/);
	// The existing stopped docker profile is started rather than a new one created.
	assert.equal(output.recommendation.command, 'minikube start -p minikube');
	assert.ok(result.ms < 9000, `doctor took ${Math.round(result.ms)} ms with a hung helm`);
	noStackTrace(result.stdout + result.stderr);
	// Nothing the probe started outlives the doctor.
	const left = await promisify(execFile)('pgrep', ['-f', 'sleep 61.25']).then(
		found => found.stdout.trim(),
		() => '',
	);
	assert.equal(left, '', 'the hung helm stand-in and its sleep are gone');
});

test('kube contexts: a local kind cluster that answers is used as it is, and the real kubectl agrees', async () => {
	let server: FakeApiServer | undefined;
	try {
		server = await startVersionServer('v1.36.1');
		const home = emptyHome();
		const kubeconfig = path.join(home, '.kube/config');
		writeFileSync(
			kubeconfig,
			kubeconfigFor(
				[
					{name: 'kind-todo', server: server.url},
					{name: 'prod', server: 'https://127.0.0.2:1'},
				],
				'prod',
			),
		);
		const bin = makeBin({real: ['docker']});
		const output = parseDoctor(await runCli(['doctor', '--json'], {env: doctorEnv(bin, home)}));
		const cluster = checkOf(output, 'cluster');
		assert.equal(cluster.status, 'ok');
		assert.match(cluster.summary, /^Local context kind-todo answers; the current context prod is not a local cluster/);
		assert.equal(output.recommendation.target, 'existing-context');
		assert.equal(output.recommendation.command, 'kubectl config use-context kind-todo');
		// Asynchronously: the API server answers from this very process.
		const {stdout} = await promisify(execFile)(realKubeTool('kubectl'), ['--kubeconfig', kubeconfig, '--context', 'kind-todo', 'version', '-o', 'json'], {
			encoding: 'utf8',
		});
		const kubectl = JSON.parse(stdout) as {serverVersion: {gitVersion: string}};
		assert.equal(kubectl.serverVersion.gitVersion, 'v1.36.1');
		assert.match(cluster.detail ?? '', /kind-todo \(kind\): answers, Kubernetes v1\.36\.1/);
		assert.match(cluster.detail ?? '', /\* prod: /);
	} finally {
		await server?.close();
	}
});

test("a namespace Role: doctor says what deploy may not do in todo, the Role's rules that grant it, and that the context's own namespace allows it all", async () => {
	const home = emptyHome();
	const cluster = await startSimulatedCluster({kubeconfigPath: path.join(home, 'sim-kubeconfig')});
	try {
		// A shared cluster's user: bound to a Role in team-a only, the context pointing there.
		cluster.faults.role = {user: 'dev@example.com', namespace: 'team-a', rules: [{apiGroups: ['*'], resources: ['*'], verbs: ['*']}]};
		writeFileSync(path.join(home, '.kube/config'), readFileSync(cluster.kubeconfigPath, 'utf8').replace('namespace: default', 'namespace: team-a'));
		const bin = makeBin({real: ['docker']});
		const output = parseDoctor(await runCli(['doctor', '--json'], {env: doctorEnv(bin, home)}));
		const check = checkOf(output, 'cluster');
		assert.equal(check.status, 'warn');
		assert.match(check.summary, /; you may not deploy to the namespace todo$/);
		assert.match(
			check.detail ?? '',
			/^Rights in the namespace todo: not allowed: secrets \(get, list, create, update, delete, patch\); pods \(list, watch, get, create, patch, delete\); .*deployments\.apps \(get, create, patch, delete\)/m,
		);
		assert.match(
			check.detail ?? '',
			/^ {4}rule: \{apiGroups: \["apps"\], resources: \["deployments", "statefulsets"\], verbs: \["get", "create", "patch", "delete"\]\}$/m,
		);
		assert.match(check.detail ?? '', /^Rights in the namespace team-a: all that a deploy needs$/m);
		assert.match(check.fix ?? '', /^Deploy where you may: todo-deploy up -n team-a .*kubectl auth can-i --list -n todo/);
		assert.ok(
			cluster.requests.some(request => /POST \/apis\/authorization\.k8s\.io\/v1\/selfsubjectrulesreviews/.test(request)),
			'asked as kubectl auth can-i --list asks',
		);

		// The cluster's admin: everything allowed, one line, and the check is ok again as before.
		cluster.faults.role = undefined;
		const admin = checkOf(parseDoctor(await runCli(['doctor', '--json'], {env: doctorEnv(bin, home)})), 'cluster');
		assert.match(admin.detail ?? '', /^Rights in the namespace todo: all that a deploy needs$/m);
		assert.equal(admin.fix, null);
	} finally {
		await cluster.close();
	}
});

test('an HTTPS API server trusted through certificate-authority-data answers; an untrusted one is explained', async () => {
	let server: FakeApiServer | undefined;
	try {
		server = await startVersionServer('v1.35.0', {tls: true});
		const home = emptyHome();
		writeFileSync(
			path.join(home, '.kube/config'),
			kubeconfigFor(
				[
					{name: 'minikube', server: server.url, caData: server.caData},
					{name: 'kind-untrusted', server: server.url},
				],
				'minikube',
			),
		);
		const output = parseDoctor(await runCli(['doctor', '--json'], {env: doctorEnv(makeBin({}), home)}));
		const cluster = checkOf(output, 'cluster');
		assert.equal(cluster.summary, 'Current context minikube (minikube) answers: Kubernetes v1.35.0');
		assert.match(cluster.detail ?? '', /kind-untrusted \(kind\): the server's TLS certificate is not trusted by this kubeconfig/);
		// /version, and what the user may do (a server without the authorization API answers 404: said, not a failure).
		assert.ok(
			server.requests.every(request => request === 'GET /version' || request === 'POST /apis/authorization.k8s.io/v1/selfsubjectrulesreviews'),
			server.requests.join('\n'),
		);
		assert.match(cluster.detail ?? '', /^Rights in the namespace todo: not known: the cluster has no authorization API to ask/m);
	} finally {
		await server?.close();
	}
});

test('a broken kubeconfig is a finding, not a crash', async () => {
	const home = emptyHome();
	writeFileSync(path.join(home, '.kube/config'), 'apiVersion: v1\nclusters: [\n  - this is: not: yaml\n');
	const bin = makeBin({real: ['docker']});
	const result = await runCli(['doctor', '--json'], {env: doctorEnv(bin, home)});
	const cluster = checkOf(parseDoctor(result), 'cluster');
	assert.equal(cluster.status, 'fail');
	assert.match(cluster.summary, /^The kubeconfig .*\/\.kube\/config cannot be read$/);
	assert.match(cluster.fix ?? '', /kubectl config view/);
	noStackTrace(result.stdout + result.stderr);
});

test('plain output (no TTY) prints every check once, in order, then the recommendation', async () => {
	const bin = makeBin({real: ['docker']});
	const result = await runCli(['doctor'], {env: doctorEnv(bin, emptyHome(), {DOCKER_HOST: deadSocket})});
	assert.equal(result.code, 1);
	const titles = result.stdout
		.split('\n')
		.filter(line => /^(ok|warn|FAIL|missing)\s/.test(line))
		.map(line => line.split(/\s+/)[1]);
	assert.deepEqual(titles, ['Platform', 'Docker', 'KVM2', 'minikube', 'kind', 'kubectl', 'Kubernetes', 'Helm', 'Trivy']);
	assert.match(result.stdout, /Nothing can run a cluster here yet\.\n.*\n {2}Fix, in this order:\n {4}1\. /);
	assert.match(result.stderr, /checking this machine/);
	assert.ok(!result.stdout.includes('\u001B['), 'plain output has escape codes');
});

after(() => {
	// Nothing shared to clean: every test made its own folders under the OS temp dir.
});
