// The whole flow, non-interactive: real Docker builds of a backend that really answers, loaded into a
// "kind" node container, scanned by the Trivy stand-in, the real chart installed by the real helm
// into the simulated API server, whose simulated kubelet runs the backend pod as a real container.
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {readdirSync, readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {cliCommandLine, runCli, failureOf} from '../helpers/cli.js';
import {openTerminal} from '../helpers/tmux.js';
import {baseImage, makeTodoProject, removeImages} from '../helpers/images.js';
import {trivyReport} from '../helpers/stand-ins.js';
import {startUpWorld, type UpWorld} from '../helpers/up-world.js';

let world: UpWorld;
const made: string[] = [];

before(async () => {
	world = await startUpWorld();
});

after(async () => {
	await world.stop();
	removeImages(made);
});

test('up --yes: from the sources to a verified deployment and a truthful report; the second run changes nothing', async () => {
	const root = makeTodoProject({git: true, app: true});
	const env = world.env();
	const args = ['up', root, '--yes', '--url', world.appUrl, '--users', '20', '--duration', '2', '--helm-arg=--disable-openapi-validation', '--timeout', '60'];
	const first = await runCli(args, {env, timeoutMs: 240_000});
	made.push(...[...first.stdout.matchAll(/todo-(?:backend|frontend):git-[0-9a-f]{12}/g)].map(match => match[0]));
	assert.equal(first.code, 0, first.stdout + first.stderr);
	for (const line of [
		/^✔ Check this machine: /m,
		/^- Install missing tools: skipped \(every tool is there\)/m,
		new RegExp(`^✔ Local cluster: kind cluster "${world.clusterName}" \\(context kind-${world.clusterName}\\)`, 'm'),
		/^✔ Build and load images: todo-backend:git-[0-9a-f]{12} built, loaded, [\d.]+ [kM]?B sent; todo-frontend:git-[0-9a-f]{12} built, loaded, [\d.]+ [kM]?B sent/m,
		/^✔ Scan images \(Trivy\): backend: no known vulnerabilities; frontend: no known vulnerabilities/m,
		/^✔ Lint the chart: \d+ objects, no errors/m,
		/^✔ Secrets: database password generated; auth secret generated/m,
		/^✔ helm upgrade --install: revision 1 deployed \(Secret todo-todo-app-app-secrets written, namespace todo created\)/m,
		/^✔ helm upgrade --install: revision 1 deployed/m,
		/^✔ Rollout: 3 pods ready/m,
		/^✔ Health endpoints: \/health 200, \/ready 200/m,
		/^✔ Smoke test \(todo API\): create 201/m,
		/^✔ Load check: 20 users for 2 s: \d+ requests/m,
		/^✔ Report: \.todo-deploy\/report\.md/m,
		/^Open http:\/\/localhost:\d+ in your browser: sign up in the app .* Verified; report: /m,
	]) {
		assert.match(first.stdout, line);
	}

	const report = readFileSync(path.join(root, '.todo-deploy/report.md'), 'utf8');
	for (const section of ['Environment and tools', 'Images', 'Image scan', 'Chart lint', 'Deployment', 'Verification']) {
		assert.match(report, new RegExp(`\\| ${section} \\| ✅ verified \\|`));
	}

	assert.match(report, /\| todo-todo-app-backend-[a-z0-9-]+ \| 1\/1 \| Running \| probes passing \|/);
	// The images the cluster runs are the ones built from these sources.
	const deployment = world.cluster.get('Deployment', 'todo', 'todo-todo-app-backend') as {spec: {template: {spec: {containers: Array<{image: string}>}}}};
	assert.match(deployment.spec.template.spec.containers[0]?.image ?? '', /^todo-backend:git-[0-9a-f]{12}$/);

	const second = await runCli(args, {env, timeoutMs: 240_000});
	assert.equal(second.code, 0, second.stdout + second.stderr);
	assert.match(
		second.stdout,
		/^✔ Build and load images: todo-backend:git-[0-9a-f]{12} up to date, already loaded; todo-frontend:git-[0-9a-f]{12} up to date, already loaded/m,
	);
	assert.match(second.stdout, /^✔ Secrets: .*database password kept from the cluster/m);
	assert.match(second.stdout, /^✔ helm upgrade --install: revision 1 already has this chart, these images and values: helm not run/m);
	assert.match(second.stdout, /^✔ Health endpoints: \/health 200, \/ready 200/m);
	assert.match(second.stdout, /^✔ Load check: 20 users for 2 s: .*\(measured [^;]*; nothing was deployed since, so not measured again\)/m);
	// verify's own way in on kind: the real kubectl port-forward to the backend Service, through the
	// simulated API server (its SPDY tunnel) to the pod's container.
	const verified = await runCli(['verify', root, '--no-load'], {env, timeoutMs: 120_000});
	assert.equal(verified.code, 0, verified.stdout + verified.stderr);
	assert.match(verified.stdout, /^✔ Reach the backend: http:\/\/127\.0\.0\.1:\d+ \(kubectl port-forward service\/todo-todo-app-backend\)/m);
	assert.match(verified.stdout, /^✔ Health endpoints: \/health 200, \/ready 200/m);
	assert.match(verified.stdout, /^✔ Smoke test \(todo API\): create 201/m);
});

test('up stops before deploying an image that fails the scan gate, and says so in the report', async () => {
	const root = makeTodoProject({git: true});
	const env = world.env({TRIVY_TEST_BACKEND: trivyReport('trivy-golden-alpine-39.json')});
	const result = await runCli(['up', root, '--yes', '-n', 'gated', '--helm-arg=--disable-openapi-validation'], {env, timeoutMs: 240_000});
	made.push(...[...result.stdout.matchAll(/todo-(?:backend|frontend):git-[0-9a-f]{12}/g)].map(match => match[0]));
	assert.equal(result.code, 5, failureOf(result));
	assert.match(
		result.stdout,
		/^✖ Scan images \(Trivy\): todo-backend:git-[0-9a-f]{12} fails the gate \(fail on CRITICAL with a fix available, or any secret in the image\)/m,
	);
	assert.match(result.stdout, /backend: CRITICAL CVE-2019-14697 musl 1\.1\.20-r4 -> 1\.1\.20-r5/);
	assert.match(result.stdout, /^- helm upgrade --install: skipped \(nothing is deployed that fails the scan gate\)/m);
	assert.equal(world.cluster.get('Namespace', undefined, 'gated'), undefined, 'nothing reached the cluster');
	const report = readFileSync(path.join(root, '.todo-deploy/report.md'), 'utf8');
	assert.match(report, /\| Image scan \| ❌ failed \|/);
	assert.match(report, /\| Deployment \| ⏸ not run \|/);
	assert.match(report, /\| Verification \| ⏸ not run \|/);
});

test('without a terminal and without --yes, up asks for --yes instead of changing anything', async () => {
	const root = makeTodoProject();
	const result = await runCli(['up', root], {env: world.env(), timeoutMs: 30_000});
	assert.equal(result.code, 1);
	assert.match(result.stderr, /there is no terminal to ask before installing tools, starting a cluster and deploying; run with --yes/);
	const usage = await runCli(['up', '--skip', 'everything'], {env: world.env()});
	assert.equal(usage.code, 2);
	assert.match(usage.stderr, /--skip takes install, scan, lint, verify, load-check/);
});

test('the session log records each command with its output, never a secret value; Ctrl-C during the load check stops, names the release state and exits 130', async () => {
	const root = makeTodoProject({git: true, app: true});
	const terminal = openTerminal(
		cliCommandLine(
			`up --yes --namespace logged --url ${world.appUrl} --users 10 --duration 60 --helm-arg=--disable-openapi-validation`,
			world.env({TERM: 'xterm-256color', GEMINI_API_KEY: 'AIzaSyD-session-log-test-key-0123456789'}),
			{cwd: root},
		),
		{width: 120, height: 60},
	);
	try {
		await terminal.waitFor(/⠋|⠙|⠹|⠸|⠼|⠴|⠦|⠧|⠇|⠏/, 30_000);
		await terminal.waitFor(/Load check\s+10 users on GET \/api\/todos: \d+\/60 s/, 120_000);
		made.push(...[...terminal.screen().matchAll(/todo-(?:backend|frontend):git-[0-9a-f]{12}/g)].map(match => match[0]));
		terminal.press('C-c');
		const screen = await terminal.waitFor(/\[exit \d+\]/, 30_000);
		assert.match(screen, /Release todo: revision 1 is deployed/);
		assert.match(screen, /\[exit 130\]/);
	} finally {
		terminal.close();
	}

	const logs = readdirSync(path.join(root, '.todo-deploy/logs'));
	assert.equal(logs.length, 1);
	const file = path.join(root, '.todo-deploy/logs', logs[0] ?? '');
	assert.equal(statSync(file).mode & 0o777, 0o600);
	const log = readFileSync(file, 'utf8');
	assert.match(log, /\$ helm upgrade --install todo \S+ .*--namespace logged --kube-context kind-\S+ .*\(exit 0, \d+ ms\)/);
	assert.match(log, /\$ kind load docker-image todo-backend:git-[0-9a-f]{12} --name /);
	const secret = world.cluster.get('Secret', 'logged', 'todo-todo-app-app-secrets') as {data: Record<string, string>};
	for (const value of Object.values(secret.data).map(encoded => Buffer.from(encoded, 'base64').toString())) {
		assert.ok(!log.includes(value), 'a secret value is in the session log');
	}

	assert.ok(!log.includes('AIzaSyD-session-log-test-key'), 'the Gemini key from the environment is not in the log');
});

test('on a terminal, after the deploy the wizard stays open as the live status screen; q quits', async () => {
	const root = makeTodoProject({git: true, app: true});
	const terminal = openTerminal(
		cliCommandLine(
			`up --yes --namespace live --url ${world.appUrl} --skip load-check --helm-arg=--disable-openapi-validation`,
			world.env({TERM: 'xterm-256color'}),
			{
				cwd: root,
			},
		),
		{width: 120, height: 60},
	);
	try {
		const screen = await terminal.waitFor(/todo-deploy status live @ kind-\S+\s+● live/, 120_000);
		made.push(...[...screen.matchAll(/todo-(?:backend|frontend):git-[0-9a-f]{12}/g)].map(match => match[0]));
		assert.match(screen, /todo-deploy open -n live holds it again\. Verified;/);
		assert.match(screen, /todo-todo-app-backend-[a-z0-9]+-[a-z]+\s+1\/1\s+Running/);
		terminal.keys('q');
		assert.match(await terminal.waitFor(/\[exit \d+\]/, 10_000), /\[exit 0\]/);
	} finally {
		terminal.close();
	}
});

test('options before the command, and option values that look like words, are not taken for a command', async () => {
	const usersZero = await runCli(['--url', 'http://127.0.0.1:1', '--users', '0'], {env: world.env()});
	assert.equal(usersZero.code, 2);
	assert.match(usersZero.stderr, /--users takes a whole number from 1 to 10000, like --users 100 \(got "0"\)/);
	const status = await runCli(['-n', 'todo', 'status', '--once', '--context', 'nope'], {env: world.env()});
	assert.match(status.stderr, /no context "nope" in the kubeconfig/);
});

test('up with minikube (docker driver): the images are built in its Docker, nothing is sent, and verify reaches the backend through minikube service --url', async () => {
	const minikube = await startUpWorld('minikube', 'minikube');
	try {
		const root = makeTodoProject({git: true, app: true});
		const result = await runCli(['up', root, '--yes', '-n', 'mk', '--users', '10', '--duration', '1', '--helm-arg=--disable-openapi-validation'], {
			env: minikube.env(),
			timeoutMs: 240_000,
		});
		made.push(...[...result.stdout.matchAll(/todo-(?:backend|frontend):git-[0-9a-f]{12}/g)].map(match => match[0]));
		assert.equal(result.code, 0, failureOf(result));
		assert.match(result.stdout, /^✔ Local cluster: minikube profile "minikube" \(context minikube\)/m);
		assert.match(result.stdout, /^✔ Build and load images: todo-backend:git-[0-9a-f]{12} built, built in place, nothing sent/m);
		assert.match(result.stdout, /^✔ Reach the backend: http:\/\/127\.0\.0\.1:\d+ \(minikube service todo-todo-app-backend --url\)/m);
		assert.match(result.stdout, /^✔ Smoke test \(todo API\): create 201/m);
	} finally {
		await minikube.stop();
	}
});

test('on a bare machine, up --kind NAME creates the kind cluster, deploys to it, and down --delete-cluster removes only that', async () => {
	const name = `made${process.pid}`;
	const bare = await startUpWorld(name, 'bare-kind');
	try {
		const root = makeTodoProject({git: true, app: true});
		const result = await runCli(
			['up', root, '--yes', '--kind', name, '-n', 'fresh', '--url', bare.appUrl, '--no-load', '--helm-arg=--disable-openapi-validation'],
			{env: bare.env(), timeoutMs: 240_000},
		);
		made.push(...[...result.stdout.matchAll(/todo-(?:backend|frontend):git-[0-9a-f]{12}/g)].map(match => match[0]));
		assert.equal(result.code, 0, failureOf(result));
		assert.match(result.stdout, /^- Install missing tools: skipped \(every tool is there\)/m);
		assert.match(
			result.stdout,
			new RegExp(
				`^✔ Local cluster: kind cluster "${name}" \\(through its local registry localhost:\\d+\\) \\(context kind-${name}\\), started with kind create cluster --name ${name} --config `,
				'm',
			),
		);
		// A cluster todo-deploy makes gets a local registry with it.
		assert.match(result.stdout, /Note: images go through a local registry localhost:\d+, set up now/);
		assert.match(result.stdout, /^✔ Rollout: 3 pods ready/m);
		assert.match(readFileSync(path.join(root, '.todo-deploy/cluster.json'), 'utf8'), new RegExp(`"name": "${name}"`));

		const down = await runCli(['down', root, '-n', 'fresh', '--delete-data', '--delete-namespace', '--delete-cluster'], {env: bare.env(), timeoutMs: 60_000});
		assert.equal(down.code, 0, down.stdout + down.stderr);
		assert.match(
			down.stdout,
			new RegExp(`^✔ Cluster: kind cluster "${name}" deleted; the local registry container kind-registry stays .*docker rm -f kind-registry`, 'm'),
		);
	} finally {
		await bare.stop();
	}
});

test('status says whether the kind cluster has the image a pod may not pull: another tag loaded, then this one', async () => {
	// A kind cluster of this test's own: it holds only the tags this test loads.
	const own = await startUpWorld(`never${process.pid}`);
	try {
		const env = own.env();
		const [loadedTag, wantedTag] = [`todo-backend:never-${process.pid}-a`, `todo-backend:never-${process.pid}-b`];
		execFileSync('docker', ['tag', baseImage, loadedTag]);
		made.push(loadedTag, wantedTag);
		const kind = (tag: string) =>
			execFileSync('kind', ['load', 'docker-image', tag, '--name', own.clusterName], {env: {...process.env, ...env}, encoding: 'utf8'});
		kind(loadedTag);
		own.cluster.put({kind: 'Namespace', metadata: {name: 'never'}, status: {phase: 'Active'}});
		// As the kubelet reports it (the message is the real one, from a captured event), with the pull policy Never.
		const message = `Container image "${wantedTag}" is not present with pull policy of Never`;
		own.cluster.put({
			apiVersion: 'v1',
			kind: 'Pod',
			metadata: {name: 'todo-backend-never', namespace: 'never', creationTimestamp: new Date().toISOString()},
			spec: {nodeName: `${own.clusterName}-control-plane`, containers: [{name: 'backend', image: wantedTag, imagePullPolicy: 'Never'}]},
			status: {
				phase: 'Pending',
				containerStatuses: [
					{name: 'backend', image: wantedTag, imageID: '', ready: false, restartCount: 0, state: {waiting: {reason: 'ErrImageNeverPull', message}}},
				],
			},
		});
		const first = await runCli(['status', '-n', 'never', '--once'], {env});
		assert.equal(first.code, 1, first.stdout + first.stderr);
		assert.match(first.stdout, new RegExp(`backend: image ${wantedTag} is not in the cluster`));
		assert.match(first.stdout, new RegExp(`it has ${loadedTag}, a different tag`));
		assert.match(first.stdout, new RegExp(`fix: Deploy the tag that was loaded \\(${loadedTag}\\), or load ${wantedTag}\\.`));
		// The live screen looks again while the pod waits: a kind load in another terminal shows within seconds.
		const terminal = openTerminal(cliCommandLine('status -n never', own.env({TERM: 'xterm-256color', LANG: 'C.UTF-8'})), {width: 120, height: 40});
		try {
			await terminal.waitFor(new RegExp(`image ${wantedTag} is not in the cluster`));
			execFileSync('docker', ['tag', baseImage, wantedTag]);
			kind(wantedTag);
			await terminal.waitFor(new RegExp(`image ${wantedTag} is loaded now`), 20_000);
			terminal.keys('q');
			await terminal.waitFor(/\[exit 1\]/);
		} finally {
			terminal.close();
		}

		const second = await runCli(['status', '-n', 'never', '--once'], {env});
		assert.match(second.stdout, new RegExp(`backend: image ${wantedTag} is loaded now`));
		assert.match(second.stdout, new RegExp(`kind cluster "${own.clusterName}" has it now`));
	} finally {
		await own.stop();
	}
});
