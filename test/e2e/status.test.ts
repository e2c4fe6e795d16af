import assert from 'node:assert/strict';
import {execFile, execFileSync} from 'node:child_process';
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import path from 'node:path';
import {test, type TestContext} from 'node:test';
import {cliCommandLine, freePort, makeBin, runCli, tempDir} from '../helpers/cli.js';
import {realKubeTool} from '../helpers/kube-tools.js';
import {openTerminal} from '../helpers/tmux.js';
import {startSimulatedCluster, type SimulatedCluster} from '../sim/apiserver.js';
import {scenarios} from '../sim/scenarios.js';
import {capturedPod} from '../helpers/k8s-fixtures.js';
import {ensureBaseImage} from '../helpers/images.js';
import {capturedFixture} from '../helpers/paths.js';

/** A simulated cluster of the test's own, with a scenario's pods and events, closed when the test ends: no test sees another's changes. */
async function simulated(t: TestContext, scenario: 'failures' | 'healthy' | 'every-failure'): Promise<SimulatedCluster> {
	const cluster = await startSimulatedCluster({kubeconfigPath: path.join(tempDir('sim'), 'kubeconfig')});
	t.after(async () => cluster.close());
	scenarios[scenario]?.(cluster);
	return cluster;
}

const env = (cluster: SimulatedCluster) => ({PATH: '/usr/bin:/bin', HOME: tempDir('home'), KUBECONFIG: cluster.kubeconfigPath});

/** The live status screen of a simulated cluster, in a real terminal. */
const statusScreen = (cluster: SimulatedCluster, size: {width: number; height: number}, extra: Record<string, string> = {}) =>
	openTerminal(cliCommandLine('status -n todo', {...env(cluster), TERM: 'xterm-256color', LANG: 'C.UTF-8', ...extra}), size);

/** The status engine against a simulated cluster, without a screen: its store, the snapshot, and the watches. */
async function statusEngine(cluster: SimulatedCluster) {
	const [{resolveAndConnect}, {createSystem}, {createStore}, {initialStatusState, statusReducer}, run] = await Promise.all([
		import('../../source/engine/cluster.js'),
		import('../../source/adapters/system.js'),
		import('../../source/engine/store.js'),
		import('../../source/engine/status/reducer.js'),
		import('../../source/engine/status/run.js'),
	]);
	const {cluster: connected} = await resolveAndConnect(createSystem(env(cluster)), {namespace: 'todo'});
	const store = createStore(statusReducer, initialStatusState());
	return {store, loadSnapshot: async () => run.loadSnapshot(connected, store), followCluster: () => run.followCluster(connected, store)};
}

/** Waits until the test holds, for at most 15 s. */
async function eventually(holds: () => boolean, what: string): Promise<void> {
	const deadline = Date.now() + 15_000;
	while (!holds()) {
		assert.ok(Date.now() < deadline, `never: ${what}`);
		await new Promise(resolve => setTimeout(resolve, 20));
	}
}

test('status --once: every pod with its diagnosis and fix; exit 1 while any pod is not ready', async t => {
	const [failing, healthy] = await Promise.all([simulated(t, 'failures'), simulated(t, 'healthy')]);
	const result = await runCli(['status', '-n', 'todo', '--once'], {env: env(failing)});
	assert.equal(result.code, 1, result.stderr);
	assert.match(result.stdout, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/m);
	assert.match(result.stdout, /^todo-backend-6c9f7d5b8-x2x7q\s+0\/1\s+CrashLoopBackOff\s+10 \(\d+d ago\)/m);
	assert.match(result.stdout, /todo-chatbot-8e7d6c5b4-q1w2e: hog keeps running out of memory \(exit 137, 10 restarts\)\n.*Its memory limit is 64Mi/);
	assert.match(result.stdout, /todo-worker-7f6d5c4b3-m2n3b: app: the ConfigMap "this-configmap-does-not-exist" it reads does not exist/);
	assert.match(result.stdout, /todo-postgresql-0: the pod cannot be scheduled/);
	// One snapshot reads a crashed container's previous lines too, and diagnoses from them.
	assert.match(result.stdout, /todo-backend-6c9f7d5b8-x2x7q: quitter keeps crashing: the database host "todo-postgresql" does not resolve/);
	const ok = await runCli(['status', '-n', 'todo', '--once'], {env: env(healthy)});
	assert.equal(ok.code, 0, ok.stdout + ok.stderr);
});

test('a Role that allows only the pods and their logs: status shows the pods, names what it may not list with the rule that grants it, and exits by the pods alone', async t => {
	const [failing, healthy] = await Promise.all([simulated(t, 'failures'), simulated(t, 'healthy')]);
	const role = {
		user: 'system:serviceaccount:todo:dev',
		namespace: 'todo',
		rules: [{apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list', 'watch']}],
	};
	failing.faults.role = role;
	healthy.faults.role = role;
	// The simulated API server refuses as a real one does: the real kubectl says it in its own words.
	const refused = await new Promise<string>(resolve => {
		execFile(realKubeTool('kubectl'), ['get', 'services', '-n', 'todo'], {env: env(failing)}, (_error, _stdout, stderr) => resolve(stderr));
	});
	assert.match(
		refused,
		/Error from server \(Forbidden\): services is forbidden: User "system:serviceaccount:todo:dev" cannot list resource "services" in API group "" in the namespace "todo"/,
	);

	const result = await runCli(['status', '-n', 'todo', '--once'], {env: env(failing)});
	assert.equal(result.code, 1, result.stdout + result.stderr);
	assert.match(result.stdout, /^todo-backend-6c9f7d5b8-x2x7q\s+0\/1\s+CrashLoopBackOff/m);
	assert.match(
		result.stdout,
		/^Not allowed: the Role needs list on events, deployments\.apps, statefulsets\.apps, services in todo, so the warnings and each pod's events, the rollouts, the database host check and the browser's addresses stay empty; the pods are shown\.$/m,
	);
	assert.match(result.stdout, /^ {2}rule: \{apiGroups: \[""\], resources: \["events", "services"\], verbs: \["get", "list", "watch"\]\}$/m);
	assert.match(result.stdout, /^ {2}rule: \{apiGroups: \["apps"\], resources: \["deployments", "statefulsets"\]/m);
	// Nothing is claimed of the Services it could not see.
	assert.match(result.stdout, /the Services here could not be listed \(the Role does not allow it\), so the host was not checked against them/);
	assert.doesNotMatch(result.stdout, /the Services are: none/);
	const ok = await runCli(['status', '-n', 'todo', '--once'], {env: env(healthy)});
	assert.equal(ok.code, 0, ok.stdout + ok.stderr);

	// The live screen: the pods, live (the lists it may not make are not retried), and the same line.
	const terminal = statusScreen(failing, {width: 200, height: 45});
	try {
		await terminal.waitFor(/● live[\s\S]*todo-backend-6c9f7d5b8-x2x7q[\s\S]*Not allowed: the Role needs list on events, deployments\.apps/);
		failing.put({...capturedPod('crashloop'), metadata: {name: 'todo-backend-new', namespace: 'todo'}});
		await terminal.waitFor(/todo-backend-new\s+0\/1\s+CrashLoopBackOff/);
		assert.doesNotMatch(terminal.screen(), /reconnecting/);
	} finally {
		terminal.close();
	}

	// A Role without even the pods: said as that, exit 3.
	healthy.faults.role = {...role, rules: []};
	const none = await runCli(['status', '-n', 'todo', '--once'], {env: env(healthy)});
	assert.equal(none.code, 3, none.stdout + none.stderr);
	assert.match(none.stderr, /pods is forbidden: User "system:serviceaccount:todo:dev" cannot list resource "pods"/);
});

test('status --json: pods with rows, probes and diagnoses, for scripts', async t => {
	const failing = await simulated(t, 'failures');
	const result = await runCli(['status', '-n', 'todo', '--json'], {env: env(failing)});
	const report = JSON.parse(result.stdout) as {
		context: string;
		namespace: string;
		pods: Array<{name: string; status: string; diagnosis: {state: string; reason: string; fix: string}}>;
	};
	assert.equal(report.context, 'sim');
	assert.deepEqual(
		report.pods.map(pod => [pod.name.split('-')[1], pod.diagnosis.reason]),
		[
			['api', 'NotReady'],
			['backend', 'CrashLoopBackOff'],
			['chatbot', 'OOMKilled'],
			['frontend', 'ImagePullBackOff'],
			['postgresql', 'Unschedulable'],
			['worker', 'CreateContainerConfigError'],
		],
	);
	assert.ok(report.pods.every(pod => pod.diagnosis.fix.length > 10));
});

test('a context that does not exist, or no kubeconfig, is a clear message', async t => {
	const failing = await simulated(t, 'failures');
	const wrong = await runCli(['status', '--context', 'prod', '--once'], {env: env(failing)});
	// The README's exit codes: a cluster that cannot be reached is 3.
	assert.equal(wrong.code, 3);
	assert.match(wrong.stderr, /^todo-deploy: no context "prod" in the kubeconfig \(it has sim\)$/m);
	const none = await runCli(['status', '--once'], {env: {PATH: '/usr/bin:/bin', HOME: tempDir('home')}});
	assert.equal(none.code, 3);
	assert.match(none.stderr, /no kubeconfig \(looked in .*\.kube\/config\): start a cluster first/);
});

test('--kubeconfig FILE: that file instead of $KUBECONFIG or ~/.kube/config; one that does not exist is said', async t => {
	const healthy = await simulated(t, 'healthy');
	const elsewhere = {PATH: '/usr/bin:/bin', HOME: tempDir('home'), KUBECONFIG: '/nonexistent/kubeconfig'};
	const ok = await runCli(['status', '-n', 'todo', '--once', '--kubeconfig', healthy.kubeconfigPath], {env: elsewhere});
	assert.equal(ok.code, 0, ok.stdout + ok.stderr);
	assert.match(ok.stdout, /todo-frontend-5d8c9b7f6-k4l9p\s+1\/1\s+Running/);
	const missing = await runCli(['status', '-n', 'todo', '--once', '--kubeconfig', '/nonexistent/other'], {env: elsewhere});
	assert.equal(missing.code, 3);
	assert.match(missing.stderr, /the kubeconfig \/nonexistent\/other \(--kubeconfig\) does not exist/);
});

test('the live screen follows the cluster, shows a dropped watch reconnecting, and its keys work', async t => {
	const failing = await simulated(t, 'failures');
	const terminal = statusScreen(failing, {width: 120, height: 45});
	try {
		await terminal.waitFor(/● live/);
		await terminal.waitFor(/› todo-api-5b4c3d2e1-z9y8x/);
		// A new pod appears on the screen as soon as the cluster has it.
		const pod = capturedPod('crashloop') as unknown as {metadata: Record<string, unknown>};
		failing.put({...pod, metadata: {name: 'todo-backend-new', namespace: 'todo'}});
		await terminal.waitFor(/todo-backend-new\s+0\/1\s+CrashLoopBackOff/);
		// The API server drops every watch: the informers come back and the screen says live again.
		failing.faults.errorRate = 1;
		failing.dropWatches();
		await terminal.waitFor(/reconnecting \(/);
		failing.faults.errorRate = 0;
		await terminal.waitFor(/● live/, 20_000);
		failing.remove('Pod', 'todo', 'todo-backend-new');
		await terminal.waitFor(/^(?![\s\S]*todo-backend-new)/);
		// Keys: down to the crashing backend, its logs, then restart it.
		terminal.keys('j');
		await terminal.waitFor(/todo-backend-6c9f7d5b8-x2x7q: quitter keeps crashing/);
		terminal.keys('l');
		await terminal.waitFor(/Logs of quitter in todo-backend-6c9f7d5b8-x2x7q[\s\S]*panic: dial tcp: lookup todo-postgresql: no such host/);
		// f follows the logs: a line written later appears on the screen.
		terminal.keys('f');
		await terminal.waitFor(/Logs of quitter in todo-backend-6c9f7d5b8-x2x7q \(following\)/);
		failing.setLogs('todo', 'todo-backend-6c9f7d5b8-x2x7q', 'quitter', ['starting', 'panic: dial tcp: lookup todo-postgresql: no such host', 'retrying in 5s']);
		await terminal.waitFor(/\(following\)[\s\S]*retrying in 5s/);
		// e: the pod's own events, folded and newest first (captured ones, from kubectl events).
		terminal.keys('e');
		await terminal.waitFor(
			/Events of todo-backend-6c9f7d5b8-x2x7q, newest first\s+│\s+│ Warning BackOff\s+3m\d*s? \(x256 over 58m\)\s+Back-off restarting failed container quitter/,
		);
		// w: the namespace's warnings; the main screen counts them.
		terminal.keys('w');
		await terminal.waitFor(
			/Warnings in todo, newest first[\s\S]*FailedScheduling Pod\/todo-postgresql-0 \(x3\): 0\/4 nodes are available: 1 node\(s\) had untolerated taint\(s\)/,
		);
		assert.match(await terminal.waitFor(/⚠ 2 warnings in todo, newest: FailedScheduling on Pod\/todo-postgresql-0 · w lists them/), /w warnings/);
		// d: describe-like.
		terminal.keys('d');
		await terminal.waitFor(
			/conditions PodReadyToStartContainers ✔ · Initialized ✔ · Ready ✖ · ContainersReady ✖ · PodScheduled ✔[\s\S]*container quitter: busybox[\s\S]*Waiting \(CrashLoopBackOff\) · ready ✖ · restarts 10 · last Terminated \(Error, exit 1/,
		);
		// p: the previous container's logs (the simulator keeps one log per container, as for a pod that restarted).
		terminal.keys('p');
		await terminal.waitFor(/Logs of quitter \(previous container\) in todo-backend-6c9f7d5b8-x2x7q/);
		terminal.keys('r');
		await terminal.waitFor(/Delete pod todo-backend-6c9f7d5b8-x2x7q so its controller starts a new one\? \(y\/n\)/);
		terminal.keys('y');
		await terminal.waitFor(/Pod todo-backend-6c9f7d5b8-x2x7q deleted/);
		assert.equal(failing.get('Pod', 'todo', 'todo-backend-6c9f7d5b8-x2x7q'), undefined);
		terminal.keys('q');
		await terminal.waitFor(/\[exit 1\]/);
	} finally {
		terminal.close();
	}
});

test('resizing the window draws the screen again for the new size: columns dropped when narrow, fewer rows when short, compact when tiny; NO_COLOR has no colour', async t => {
	const failing = await simulated(t, 'failures');
	const terminal = statusScreen(failing, {width: 140, height: 45}, {NO_COLOR: '1'});
	try {
		await terminal.waitFor(/NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE[\s\S]*todo-worker-7f6d5c4b3-m2n3b/, 15_000, {visible: true});
		// tmux writes a colour as an SGR code (ESC [ 3x or 9x m); bold and dim are not colours.
		const colour = new RegExp(String.raw`${String.fromCodePoint(27)}\[(?:[0-9;]*;)?(?:3[0-7]|9[0-7]|38;[25])[;m]`);
		assert.doesNotMatch(terminal.screen({colors: true, visible: true}), colour);
		terminal.resize(64, 22);
		const small = await terminal.waitFor(/NAME\s+READY\s+STATUS\s*\n[\s\S]*more below/, 15_000, {visible: true});
		assert.doesNotMatch(small, /RESTARTS/);
		assert.match(small, /› todo-api-5b4c3d2e1-z9y8x/);
		// A tiny window: the screen goes compact, so that the header and the selected pod stay in view.
		terminal.resize(40, 14);
		const tiny = await terminal.waitFor(/^ todo-deploy status[\s\S]*› todo-api[\s\S]*todo-api-5b4c3d2e1-z9y8x: app is[\s\S]*q quit/, 15_000, {visible: true});
		assert.doesNotMatch(tiny, /╭/, 'no border in a compact screen');
		terminal.resize(140, 45);
		await terminal.waitFor(/NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE[\s\S]*todo-worker-7f6d5c4b3-m2n3b[\s\S]*╭/, 15_000, {visible: true});
		terminal.keys('q');
		await terminal.waitFor(/\[exit 1\]/);
	} finally {
		terminal.close();
	}
});

test('every failure, one pod each, in a real terminal: ↓ through them shows the right diagnosis and fix', async t => {
	const every = await simulated(t, 'every-failure');
	// Each pod (in the screen's order) with its diagnosis title and the start of its fix.
	const expected: Array<[string, string, string]> = [
		['todo-api-5b4c3d2e1-z9y8x', 'app is running, not ready yet', 'Wait a few probe periods'],
		// Its last lines say why: a database host that does not resolve (read from the previous container's logs).
		[
			'todo-backend-6c9f7d5b8-x2x7q',
			'quitter keeps crashing: the database host "todo-postgresql" does not resolve (10 restarts)',
			'Make the database URL name',
		],
		['todo-big-6f7a8b9c0-y5z6a', 'the pod cannot be scheduled', 'Lower resources.requests.memory in the values'],
		['todo-chatbot-8e7d6c5b4-q1w2e', 'hog keeps running out of memory (exit 137, 10 restarts)', 'Raise the memory limit above 64Mi'],
		['todo-evicted-4d5e6f7a8-u1v2w', 'the pod was evicted', 'Free disk or memory on the node'],
		['todo-flaky-0f1a2b3c4-m3n4o', 'ready, after 3 restarts of flaky', 'kubectl logs todo-flaky-0f1a2b3c4-m3n4o -c flaky --previous shows the last crash'],
		['todo-frontend-5d8c9b7f6-k4l9p', 'nope: cannot pull registry.invalid/does-not-exist:v9', 'Check the image name and tag'],
		['todo-job-8d9e0f1a2-i9j0k', 'app: its state was lost', 'Delete the pod so its controller makes a new one'],
		[
			'todo-migrate-4f5e6d7c8-a1b2c',
			'init container migrate keeps crashing (exit 1, 10 restarts)',
			'Read the last lines (kubectl logs todo-migrate-4f5e6d7c8-a1b2c -c migrate --previous)',
		],
		[
			'todo-never-5e6f7a8b9-w3x4y',
			'platform: image docker-registry.services.stellar-ops.com/dev/anchor-platform:e6ca4be8 is not in the cluster',
			'Load it: minikube image load',
		],
		['todo-notfound-5a6b7c8d9-c3d4e', 'app keeps crashing (exit 127, 9 restarts)', "Check the image's command and entrypoint"],
		['todo-old-3c4d5e6f7-s9t0u', 'the pod is stuck terminating', 'Check the finalizers and the node'],
		['todo-postgresql-0', 'the pod cannot be scheduled', 'Remove the nodeSelector, affinity'],
		['todo-ready503-2b3c4d5e6-q7r8s', 'app is not ready: HTTP probe failed with statuscode: 503', 'Check what the endpoint depends on'],
		['todo-sigterm-6b7c8d9e0-e5f6g', 'app keeps crashing (exit 143, 15 restarts)', 'Look at the liveness probe events'],
		['todo-slow-9e0f1a2b3-k1l2m', 'slowboot is starting (startup probe not passed yet)', 'Wait; if it never passes'],
		['todo-web-1a2b3c4d5-o5p6q', 'ready', 'Nothing to do'],
		['todo-wedged-7c8d9e0f1-g7h8i', 'containers are being created', 'Wait; if it lasts minutes'],
		[
			'todo-worker-7f6d5c4b3-m2n3b',
			'app: the ConfigMap "this-configmap-does-not-exist" it reads does not exist',
			'Create ConfigMap this-configmap-does-not-exist',
		],
	];
	// Text in the panel may wrap: between two words there may be the box's edge and a new line.
	const boxed = (text: string) => text.replaceAll(/[.*+?^${}()|[\]\\]/g, String.raw`\$&`).replaceAll(' ', String.raw`[\s│]+`);
	const terminal = statusScreen(every, {width: 160, height: 50});
	try {
		// Columns stay aligned when one image name is long (they used to shrink around it).
		assert.match(
			await terminal.waitFor(/todo-never/, 15_000, {visible: true}),
			/\n {3}todo-never-5e6f7a8b9-w3x4y {4}0\/1 {4}ErrImageNeverPull {10}0 {14}60m {3}k8rs-worker {9}docker-registry/,
		);
		for (const [index, [pod, title, fix]] of expected.entries()) {
			if (index > 0) {
				terminal.press('Down');
			}

			await terminal.waitFor(new RegExp(`› ${pod}[\\s\\S]*│ ${boxed(`${pod}: ${title}`)}[\\s\\S]*→ ${boxed(fix)}`), 15_000, {visible: true});
			if (pod.startsWith('todo-migrate-')) {
				// c: the next container, here the init container that holds the pod, and its logs.
				every.setLogs('todo', pod, 'migrate', ['running migrations', 'FATAL: password authentication failed for user "todo"']);
				terminal.keys('c');
				await terminal.waitFor(/Logs of migrate in todo-migrate-4f5e6d7c8-a1b2c[\s\S]*FATAL: password authentication failed for user "todo"/, 15_000, {
					visible: true,
				});
				terminal.press('Enter');
			}
		}

		terminal.keys('q');
		await terminal.waitFor(/\[exit 1\]/);
	} finally {
		terminal.close();
	}
});

test('after 410 Gone (history compacted) the watch lists again and misses nothing', async t => {
	const healthy = await simulated(t, 'healthy');
	const {store, loadSnapshot, followCluster} = await statusEngine(healthy);
	await loadSnapshot();
	const stop = followCluster();
	try {
		await eventually(() => store.getState().connection.type === 'live', 'live');
		// Everything so far is compacted away; the dropped watches come back with a too-old resourceVersion.
		healthy.faults.compactedBefore = healthy.resourceVersion + 1;
		const pod = capturedPod('healthy') as unknown as {metadata: Record<string, unknown>};
		healthy.put({...pod, metadata: {name: 'todo-added-while-gone', namespace: 'todo'}});
		healthy.remove('Pod', 'todo', 'todo-frontend-5d8c9b7f6-k4l9p');
		healthy.dropWatches();
		await eventually(
			() => store.getState().pods.has('todo-added-while-gone') && !store.getState().pods.has('todo-frontend-5d8c9b7f6-k4l9p'),
			'the re-list to bring the change',
		);
		assert.ok(healthy.requests.some(request => /^GET \/api\/v1\/namespaces\/todo\/pods\?watch=true&resourceVersion=\d+/.test(request)));
	} finally {
		stop();
	}
});

test('a watch that ends in an ERROR other than 410 (a token that expired, a server error) is said as what it is, and the screen comes back', async t => {
	const healthy = await simulated(t, 'healthy');
	const {store, loadSnapshot, followCluster} = await statusEngine(healthy);
	await loadSnapshot();
	const stop = followCluster();
	try {
		await eventually(() => store.getState().connection.type === 'live', 'live');
		for (const [code, reason, message] of [
			[403, 'Forbidden', 'pods is forbidden: User "system:serviceaccount:todo:default" cannot watch resource "pods" in API group "" in the namespace "todo"'],
			[500, 'InternalError', 'Internal error occurred: etcdserver: request timed out'],
		] as const) {
			healthy.failWatches({code, reason, message});
			await eventually(() => {
				const {connection} = store.getState();
				return connection.type === 'reconnecting' && connection.reason.startsWith(`HTTP ${code}: ${message.slice(0, 20)}`);
			}, `the ${code} said as it is`);
			// Not taken for 410 Gone: no list is made again while it lasts.
			delete healthy.faults.watchError;
			const pod = capturedPod('healthy') as unknown as {metadata: Record<string, unknown>};
			healthy.put({...pod, metadata: {name: `todo-after-${code}`, namespace: 'todo'}});
			await eventually(() => store.getState().connection.type === 'live' && store.getState().pods.has(`todo-after-${code}`), `back after the ${code}`);
		}
	} finally {
		stop();
	}
});

test('the watch resumes from the snapshot: no second list, and a change made in between still arrives', async t => {
	const healthy = await simulated(t, 'healthy');
	const {store, loadSnapshot, followCluster} = await statusEngine(healthy);
	const podLists = () => healthy.requests.filter(request => /^GET \/api\/v1\/namespaces\/todo\/pods\?(?!.*watch=true)/.test(request)).length;
	const listsBefore = podLists();
	await loadSnapshot();
	assert.equal(podLists(), listsBefore + 1);
	// Between the snapshot and the watch: a real API server keeps this in its history, and so does the simulator.
	const pod = capturedPod('healthy') as unknown as {metadata: Record<string, unknown>};
	healthy.put({...pod, metadata: {name: 'todo-added-in-between', namespace: 'todo'}});
	const stop = followCluster();
	try {
		await eventually(() => store.getState().pods.has('todo-added-in-between'), 'the pod added between the snapshot and the watch to arrive');
		assert.equal(podLists(), listsBefore + 1, 'the pods were listed again instead of resuming from the snapshot');
	} finally {
		stop();
	}
});

test('o port-forwards through the real kubectl to the chosen ports, says what went wrong in plain words, and o again stops it', async t => {
	const failing = await simulated(t, 'failures');
	const bin = makeBin({});
	execFileSync('/bin/sh', ['-c', `ln -s '${realKubeTool('kubectl')}' '${bin}/kubectl'`]);
	// What listens on the pod's port 8000 (its port 9090 has nothing).
	const app = http.createServer((request, response) => response.end(`todo-api answered ${request.url ?? ''}`));
	await new Promise<void>(resolve => app.listen(0, '127.0.0.1', resolve));
	const appPort = (app.address() as AddressInfo).port;
	const terminal = statusScreen(failing, {width: 150, height: 50}, {PATH: `${bin}:/usr/bin:/bin`});
	// A pod that declares two ports, first in the list so it is selected.
	const healthy = capturedPod('healthy') as unknown as {metadata: Record<string, unknown>; spec: {containers: Array<Record<string, unknown>>}};
	failing.put({
		...healthy,
		metadata: {name: 'todo-aaa-web', namespace: 'todo'},
		spec: {...healthy.spec, containers: healthy.spec.containers.map(container => ({...container, ports: [{containerPort: 8000}, {containerPort: 9090}]}))},
	});
	failing.servePort('todo', 'todo-aaa-web', 8000, appPort);
	// A message as it may wrap on the screen: any space can be a line break and indentation.
	const wrapped = (text: string) => new RegExp(text.replaceAll(/[.*+?^${}()|[\]\\]/g, String.raw`\$&`).replaceAll(' ', String.raw`\s+`));
	const get = async (url: string) =>
		fetch(`${url}/health`).then(
			async response => response.text(),
			(error: unknown) => `failed: ${String((error as {cause?: unknown}).cause ?? error)}`,
		);
	try {
		await terminal.waitFor(/› todo-aaa-web/);
		terminal.keys('o');
		await terminal.waitFor(/Port-forward to todo-aaa-web[\s\S]*pod port\s+8000\s+←\/→ for another: 8000, 9090[\s\S]*local port 8000/);
		// A chosen local port: the default erased, another typed.
		const local = await freePort();
		for (let index = 0; index < 4; index++) {
			terminal.press('BSpace');
		}

		terminal.keys(String(local));
		await terminal.waitFor(new RegExp(`local port ${local}`));
		terminal.press('Enter');
		await terminal.waitFor(new RegExp(`⇄ http://127\\.0\\.0\\.1:${local} → todo-aaa-web:8000`), 30_000);
		assert.equal(
			await get(`http://127.0.0.1:${local}`),
			'todo-api answered /health',
			"the request went through the real kubectl and the simulated API server to the pod's port",
		);
		assert.ok(failing.requests.some(request => request.startsWith('POST /api/v1/namespaces/todo/pods/todo-aaa-web/portforward (upgrade: SPDY/3.1)')));

		// o on the same pod stops it; the port is closed again.
		terminal.keys('o');
		await terminal.waitFor(/port-forward to todo-aaa-web:8000 stopped/);
		assert.match(await get(`http://127.0.0.1:${local}`), /^failed: .*ECONNREFUSED/);

		// The other port, on any free local port: nothing listens there, and the screen says so.
		terminal.keys('o');
		await terminal.waitFor(/local port 8000/);
		terminal.press('Right');
		await terminal.waitFor(/pod port\s+9090/);
		terminal.press('Enter');
		const running = await terminal.waitFor(/⇄ http:\/\/127\.0\.0\.1:\d+ → todo-aaa-web:9090/, 30_000);
		const url = /⇄ (http:\/\/127\.0\.0\.1:\d+)/.exec(running)?.[1] ?? '';
		assert.match(await get(url), /^failed: /);
		await terminal.waitFor(
			wrapped(
				"✖ port-forward to todo-aaa-web:9090: nothing listens on port 9090 in todo-aaa-web (connection refused): check the container's port, and that the app has started; kubectl stopped forwarding",
			),
			30_000,
		);

		// A local port that is taken.
		terminal.keys('o');
		await terminal.waitFor(/local port 8000/);
		for (let index = 0; index < 4; index++) {
			terminal.press('BSpace');
		}

		terminal.keys(String(appPort));
		terminal.press('Enter');
		await terminal.waitFor(
			wrapped(
				`✖ port-forward to todo-aaa-web:8000: local port ${appPort} is already in use on this machine: choose another, or leave it empty for any free port`,
			),
			30_000,
		);

		// Esc leaves the panel without quitting; a pod without ports says so.
		terminal.keys('o');
		await terminal.waitFor(/Port-forward to todo-aaa-web/);
		terminal.press('Escape');
		await terminal.waitFor(/todo-aaa-web: /);
		terminal.press('Down');
		terminal.keys('o');
		await terminal.waitFor(/port-forward to todo-api-5b4c3d2e1-z9y8x: it declares no container port/);
		terminal.keys('q');
		await terminal.waitFor(/\[exit \d+\]/);
	} finally {
		terminal.close();
		app.close();
	}
});

test("uvicorn's module that cannot be imported is looked for in the image itself: where the file lies, and the module name that is", async t => {
	const cluster = await simulated(t, 'healthy');
	// An image built here, as FastAPI's docs write the Dockerfile, started with the wrong module name.
	const context = tempDir('asgi');
	mkdirSync(path.join(context, 'app'), {recursive: true});
	writeFileSync(path.join(context, 'app/__init__.py'), '');
	writeFileSync(path.join(context, 'app/main.py'), 'app = None\n');
	writeFileSync(path.join(context, 'Dockerfile'), `FROM ${ensureBaseImage()}\nWORKDIR /code\nCOPY ./app /code/app\nCMD ["uvicorn", "main:app"]\n`);
	const image = `todo-deploy-test/asgi-wrong:${process.pid}`;
	execFileSync('docker', ['build', '--network', 'host', '-q', '-t', image, context], {stdio: 'ignore'});
	t.after(() => execFileSync('docker', ['rmi', '-f', image], {stdio: 'ignore'}));
	const crashing = capturedPod('crashloop') as unknown as {
		metadata: Record<string, unknown>;
		spec: {containers: Array<Record<string, unknown>>};
		status: {containerStatuses: Array<Record<string, unknown>>};
	};
	const name = String(crashing.status.containerStatuses[0]?.['name'] ?? 'quitter');
	cluster.put({
		...crashing,
		metadata: {...crashing.metadata, name: 'todo-api-asgi-1', namespace: 'todo'},
		spec: {...crashing.spec, containers: crashing.spec.containers.map(container => ({...container, image}))},
		status: {...crashing.status, containerStatuses: crashing.status.containerStatuses.map(status => ({...status, image}))},
	});
	cluster.setLogs('todo', 'todo-api-asgi-1', name, readFileSync(capturedFixture('app-logs', 'uvicorn-could-not-import-module-main.txt'), 'utf8').split('\n'));
	const result = await runCli(['status', '-n', 'todo', '--once'], {env: env(cluster)});
	assert.match(result.stdout, /todo-api-asgi-1: \S+ keeps crashing: uvicorn cannot import the module "main"/);
	assert.match(result.stdout, /the image todo-deploy-test\/asgi-wrong:\d+ runs in \/code and holds main\.py at \/code\/app\/main\.py/);
	assert.match(result.stdout, /The image has it at \/code\/app\/main\.py: start it as uvicorn app\.main:app/);
});
