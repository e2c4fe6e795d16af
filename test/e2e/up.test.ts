// The whole flow, non-interactive: real Docker builds of a backend that really answers, loaded into a
// "kind" node container, scanned by the Trivy stand-in, the real chart installed by the real helm
// into the simulated API server, whose simulated kubelet runs the backend pod as a real container.
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {readFileSync, writeFileSync} from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {makeBin, runCli, tempDir} from '../helpers/cli.js';
import {ensureBaseImage, makeTodoProject, removeImages} from '../helpers/images.js';
import {realKubeTool} from '../helpers/kube-tools.js';
import {kindScript, startKindNode, trivyReport, trivyScript} from '../helpers/stand-ins.js';
import {startSimulatedCluster, type SimulatedCluster} from '../sim/apiserver.js';
import {startController} from '../sim/controller.js';

const clusterName = `up${process.pid}`;
let cluster: SimulatedCluster;
let stopController: () => void;
let node: {stop(): void};
let database: net.Server;
let databasePort = 0;
let appPort = 0;
const containers = new Set<string>();
const made: string[] = [];

async function freePort(): Promise<number> {
	const server = net.createServer();
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	const {port} = server.address() as net.AddressInfo;
	await new Promise(resolve => server.close(resolve));
	return port;
}

before(async () => {
	ensureBaseImage();
	database = net.createServer(socket => socket.end());
	await new Promise<void>(resolve => {
		database.listen(0, '127.0.0.1', resolve);
	});
	databasePort = (database.address() as net.AddressInfo).port;
	appPort = await freePort();
	const kubeconfig = path.join(tempDir('sim'), 'kubeconfig');
	cluster = await startSimulatedCluster({kubeconfigPath: kubeconfig});
	// The kind context name: todo-deploy loads the images into the kind cluster of that name.
	writeFileSync(kubeconfig, readFileSync(kubeconfig, 'utf8').replaceAll(/\b(name|cluster|user|current-context): sim\b/g, `$1: kind-${clusterName}`));
	node = startKindNode(clusterName);
	// The simulated kubelet runs the backend pod's image for real, on the host's loopback.
	stopController = startController(cluster, async pod => {
		const image = pod.images[0] ?? '';
		if (!image.startsWith('todo-backend:')) {
			return {type: 'ready'};
		}

		// One backend at a time on the port: a new revision's pod replaces the old container.
		for (const old of containers) {
			execFileSync('docker', ['rm', '-f', old], {stdio: 'ignore'});
		}

		containers.clear();
		const name = `up-backend-${process.pid}-${Date.now()}`;
		execFileSync('docker', ['run', '-d', '--rm', '--network', 'host', '--name', name, '-e', `PORT=${appPort}`, '-e', `DATABASE_URL=postgresql://todo:x@127.0.0.1:${databasePort}/todo`, image]);
		containers.add(name);
		// As the readiness probe does: ready once /ready answers 200.
		const deadline = Date.now() + 30_000;
		while (Date.now() < deadline) {
			if (await fetch(`http://127.0.0.1:${appPort}/ready`).then(response => response.ok, () => false)) {
				return {type: 'ready'};
			}

			await new Promise(resolve => setTimeout(resolve, 100));
		}

		return {type: 'not-ready', message: `Readiness probe failed: Get "http://127.0.0.1:${appPort}/ready": dial tcp 127.0.0.1:${appPort}: connect: connection refused`};
	});
});

after(async () => {
	stopController();
	for (const name of containers) {
		execFileSync('docker', ['rm', '-f', name], {stdio: 'ignore'});
	}

	node.stop();
	await cluster.close();
	await new Promise(resolve => database.close(resolve));
	removeImages(made);
});

function environment(root: string) {
	const bin = makeBin({real: ['docker', 'git', 'sed', 'tr', 'cat', 'cp'], scripts: {kind: kindScript(), trivy: trivyScript}});
	execFileSync('/bin/sh', ['-c', `ln -s '${realKubeTool('helm')}' '${bin}/helm' && ln -s '${realKubeTool('kubectl')}' '${bin}/kubectl'`]);
	return {PATH: bin, HOME: tempDir('home'), KUBECONFIG: cluster.kubeconfigPath, LANG: 'C.UTF-8', TRIVY_TEST_BACKEND: trivyReport('trivy-golden-sl-micro-rancher5.4.json'), TRIVY_TEST_FRONTEND: trivyReport('trivy-golden-alpine-39-skip.json'), PWD: root};
}

test('up --yes: from the sources to a verified deployment and a truthful report; the second run changes nothing', async () => {
	const root = makeTodoProject({git: true, app: true});
	const env = environment(root);
	const args = ['up', root, '--yes', '--url', `http://127.0.0.1:${appPort}`, '--users', '20', '--duration', '2', '--helm-arg=--disable-openapi-validation', '--timeout', '60'];
	const first = await runCli(args, {env, timeoutMs: 240_000});
	made.push(...[...first.stdout.matchAll(/todo-(?:backend|frontend):git-[0-9a-f]{12}/g)].map(match => match[0]));
	assert.equal(first.code, 0, first.stdout + first.stderr);
	for (const line of [
		/^✔ Check this machine: /m,
		/^- Install missing tools: skipped \(every tool is there\)/m,
		new RegExp(`^✔ Local cluster: kind cluster "${clusterName}" \\(context kind-${clusterName}\\)`, 'm'),
		/^✔ Build and load images: todo-backend:git-[0-9a-f]{12} built, loaded; todo-frontend:git-[0-9a-f]{12} built, loaded/m,
		/^✔ Scan images \(Trivy\): backend: no known vulnerabilities; frontend: no known vulnerabilities/m,
		/^✔ Lint the chart: \d+ objects, no errors/m,
		/^✔ Secrets: Secret todo-todo-app-app-secrets in todo \(namespace created\)/m,
		/^✔ helm upgrade --install: revision 1 deployed/m,
		/^✔ Rollout: 3 pods ready/m,
		/^✔ Health endpoints: \/health 200, \/ready 200/m,
		/^✔ Smoke test \(todo API\): create 201/m,
		/^✔ Load check: 20 users for 2 s: \d+ requests/m,
		/^✔ Report: \.todo-deploy\/report\.md/m,
		/^The todo app runs in todo, verified\./m,
	]) {
		assert.match(first.stdout, line);
	}

	const report = readFileSync(path.join(root, '.todo-deploy/report.md'), 'utf8');
	for (const section of ['Environment and tools', 'Images', 'Image scan', 'Chart lint', 'Deployment', 'Verification']) {
		assert.match(report, new RegExp(`\\| ${section} \\| ✅ verified \\|`));
	}

	assert.match(report, /\| todo-todo-app-backend-[a-z0-9-]+ \| 1\/1 \| Running \| probes passing \|/);
	// The images the cluster runs are the ones built from these sources.
	const deployment = cluster.get('Deployment', 'todo', 'todo-todo-app-backend') as {spec: {template: {spec: {containers: Array<{image: string}>}}}};
	assert.match(deployment.spec.template.spec.containers[0]?.image ?? '', /^todo-backend:git-[0-9a-f]{12}$/);

	const second = await runCli(args, {env, timeoutMs: 240_000});
	assert.equal(second.code, 0, second.stdout + second.stderr);
	assert.match(second.stdout, /^✔ Build and load images: todo-backend:git-[0-9a-f]{12} up to date, already loaded; todo-frontend:git-[0-9a-f]{12} up to date, already loaded/m);
	assert.match(second.stdout, /^✔ Secrets: .*database password kept from the cluster/m);
	assert.match(second.stdout, /^✔ helm upgrade --install: revision 2 deployed/m);
});

test('up stops before deploying an image that fails the scan gate, and says so in the report', async () => {
	const root = makeTodoProject({git: true});
	const env = {...environment(root), TRIVY_TEST_BACKEND: trivyReport('trivy-golden-alpine-39.json')};
	const result = await runCli(['up', root, '--yes', '-n', 'gated', '--helm-arg=--disable-openapi-validation'], {env, timeoutMs: 240_000});
	made.push(...[...result.stdout.matchAll(/todo-(?:backend|frontend):git-[0-9a-f]{12}/g)].map(match => match[0]));
	assert.equal(result.code, 5, result.stdout + result.stderr);
	assert.match(result.stdout, /^✖ Scan images \(Trivy\): todo-backend:git-[0-9a-f]{12} fails the gate \(fail on CRITICAL with a fix available\)/m);
	assert.match(result.stdout, /backend: CRITICAL CVE-2019-14697 musl 1\.1\.20-r4 -> 1\.1\.20-r5/);
	assert.match(result.stdout, /^- helm upgrade --install: skipped \(nothing is deployed that fails the scan gate\)/m);
	assert.equal(cluster.get('Namespace', undefined, 'gated'), undefined, 'nothing reached the cluster');
	const report = readFileSync(path.join(root, '.todo-deploy/report.md'), 'utf8');
	assert.match(report, /\| Image scan \| ❌ failed \|/);
	assert.match(report, /\| Deployment \| ⏸ not run \|/);
	assert.match(report, /\| Verification \| ⏸ not run \|/);
});

test('without a terminal and without --yes, up asks for --yes instead of changing anything', async () => {
	const root = makeTodoProject();
	const result = await runCli(['up', root], {env: environment(root), timeoutMs: 30_000});
	assert.equal(result.code, 1);
	assert.match(result.stderr, /there is no terminal to ask before installing tools, starting a cluster and deploying; run with --yes/);
	const usage = await runCli(['up', '--skip', 'everything'], {env: environment(root)});
	assert.equal(usage.code, 2);
	assert.match(usage.stderr, /--skip takes install, scan, lint, verify, load-check/);
});
