import assert from 'node:assert/strict';
import {execFile, spawn} from 'node:child_process';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {promisify} from 'node:util';
import {tempDir} from '../helpers/cli.js';
import {capturedPod} from '../helpers/k8s-fixtures.js';
import {realKubeTool} from '../helpers/kube-tools.js';
import {capturedFixture, repoRoot} from '../helpers/paths.js';
import {startSimulatedCluster, type SimulatedCluster} from '../sim/apiserver.js';

const run = promisify(execFile);
let cluster: SimulatedCluster;
const env = () => ({PATH: '/usr/bin:/bin', HOME: tempDir('kube-home'), KUBECONFIG: cluster.kubeconfigPath});
const kubectl = async (...args: string[]) => (await run(realKubeTool('kubectl'), args, {env: env(), encoding: 'utf8'})).stdout;
const helm = async (...args: string[]) => run(realKubeTool('helm'), args, {env: env(), encoding: 'utf8'});

function podFrom(fixture: string, name: string): Record<string, unknown> {
	const pod = capturedPod(fixture) as unknown as Record<string, unknown>;
	const {resourceVersion: _rv, uid: _uid, ownerReferences: _owners, ...metadata} = pod['metadata'] as Record<string, unknown>;
	return {...pod, metadata: {...metadata, name, namespace: 'todo'}};
}

before(async () => {
	cluster = await startSimulatedCluster({kubeconfigPath: path.join(tempDir('sim'), 'kubeconfig')});
	cluster.put({kind: 'Namespace', metadata: {name: 'todo'}, status: {phase: 'Active'}});
});

after(async () => {
	await cluster.close();
});

test('the real kubectl lists pods with server-side columns, as from a real cluster', async () => {
	cluster.put(podFrom('crashloop', 'todo-backend-1'));
	cluster.put(podFrom('healthy', 'todo-frontend-1'));
	const table = await kubectl('get', 'pods', '-n', 'todo');
	assert.match(table, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/m);
	assert.match(table, /^todo-backend-1\s+0\/1\s+CrashLoopBackOff\s+10\s+\d+d$/m);
	assert.match(table, /^todo-frontend-1\s+1\/1\s+Running\s+0\s+\d+d$/m);
	const json = JSON.parse(await kubectl('get', 'pod', 'todo-backend-1', '-n', 'todo', '-o', 'json')) as {
		status: {containerStatuses: Array<{state: {waiting: {reason: string}}}>};
	};
	assert.equal(json.status.containerStatuses[0]?.state.waiting.reason, 'CrashLoopBackOff');
});

test('kubectl get events shows what the cluster recorded', async () => {
	cluster.put({
		kind: 'Event',
		metadata: {name: 'todo-backend-1.1', namespace: 'todo'},
		involvedObject: {kind: 'Pod', name: 'todo-backend-1', namespace: 'todo', fieldPath: 'spec.containers{quitter}'},
		type: 'Warning',
		reason: 'BackOff',
		message: 'Back-off restarting failed container quitter in pod todo-backend-1_todo',
		count: 7,
		firstTimestamp: '2026-11-26T09:00:00Z',
		lastTimestamp: '2026-11-26T09:50:00Z',
		source: {component: 'kubelet'},
	});
	const events = await kubectl('get', 'events', '-n', 'todo', '-o', 'json');
	assert.match(events, /Back-off restarting failed container quitter/);
	assert.match(await kubectl('get', 'events', '-n', 'todo'), /todo-backend-1\.1/);
});

test('kubectl get pods -w sees a change as it happens', async () => {
	const child = spawn(realKubeTool('kubectl'), ['get', 'pods', '-n', 'todo', '-w', '--output-watch-events'], {env: env()});
	let output = '';
	child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
		output += chunk;
	});
	try {
		const waitFor = async (pattern: RegExp) => {
			const deadline = Date.now() + 10_000;
			while (!pattern.test(output)) {
				assert.ok(Date.now() < deadline, `kubectl -w never printed ${String(pattern)}:\n${output}`);
				await new Promise(resolve => setTimeout(resolve, 50));
			}
		};

		await waitFor(/ADDED\s+todo-frontend-1/);
		cluster.put(podFrom('oom', 'todo-frontend-1'));
		await waitFor(/MODIFIED\s+todo-frontend-1\s+0\/1\s+OOMKilled\s+10/);
		cluster.remove('Pod', 'todo', 'todo-frontend-1');
		await waitFor(/DELETED\s+todo-frontend-1/);
	} finally {
		child.kill();
	}
});

test('watch: resume from a resourceVersion, bookmarks, and 410 Gone once history is compacted', async () => {
	const before = cluster.resourceVersion;
	cluster.put(podFrom('readiness', 'todo-api-1'));
	const response = await fetch(`${cluster.url}/api/v1/namespaces/todo/pods?watch=true&resourceVersion=${before}&allowWatchBookmarks=true`);
	const reader = response.body?.getReader();
	let text = '';
	const deadline = Date.now() + 5000;
	while (!/BOOKMARK/.test(text) && Date.now() < deadline) {
		const {value, done} = await (reader as ReadableStreamDefaultReader<Uint8Array>).read();
		if (done) {
			break;
		}

		text += Buffer.from(value).toString('utf8');
	}

	await reader?.cancel();
	const events = text
		.trim()
		.split('\n')
		.map(line => JSON.parse(line) as {type: string; object: {metadata: {name?: string; resourceVersion: string}}});
	assert.deepEqual(
		events.filter(event => event.type !== 'BOOKMARK').map(event => [event.type, event.object.metadata.name]),
		[['ADDED', 'todo-api-1']],
	);
	assert.ok(events.some(event => event.type === 'BOOKMARK'));
	cluster.faults.compactedBefore = cluster.resourceVersion;
	try {
		const gone = JSON.parse((await (await fetch(`${cluster.url}/api/v1/namespaces/todo/pods?watch=true&resourceVersion=${before}`)).text()).trim()) as {
			type: string;
			object: {kind: string; code: number; reason: string; message: string};
		};
		assert.equal(gone.type, 'ERROR');
		assert.deepEqual([gone.object.kind, gone.object.code, gone.object.reason], ['Status', 410, 'Expired']);
		assert.match(gone.object.message, new RegExp(`^too old resource version: ${before} `));
	} finally {
		delete cluster.faults.compactedBefore;
	}
});

test('a namespace Role: refusals are the Status a real API server gives, and kubectl auth can-i gets the same answers', async () => {
	const captured = (name: string) => JSON.parse(readFileSync(capturedFixture('k8s', 'rbac', name), 'utf8')) as Record<string, unknown>;
	cluster.faults.role = {user: 'system:serviceaccount:todo:dev', namespace: 'todo', rules: [{apiGroups: [''], resources: ['pods'], verbs: ['list']}]};
	try {
		const asked = async (pathname: string) => (await fetch(`${cluster.url}${pathname}`)).json() as Promise<Record<string, unknown>>;
		// The captured bodies, with this Role's user and namespace.
		const as = (body: Record<string, unknown>, user: string, namespace: string) =>
			JSON.parse(
				JSON.stringify(body)
					.replaceAll(user, 'system:serviceaccount:todo:dev')
					.replaceAll(`\\"${namespace}\\"`, String.raw`\"todo\"`),
			) as unknown;
		assert.deepEqual(
			await asked('/apis/apps/v1/namespaces/todo/deployments'),
			as(captured('forbidden-list-deployments.json'), 'system:node:10.54.252.60', 'default'),
		);
		assert.equal((await fetch(`${cluster.url}/api/v1/namespaces/todo/pods`)).status, 200);
		// In another namespace, the same verb is refused.
		assert.deepEqual(
			await asked('/api/v1/namespaces/gluu/pods'),
			JSON.parse(JSON.stringify(captured('forbidden-list-pods.json')).replaceAll('system:serviceaccount:gluu:default', 'system:serviceaccount:todo:dev')),
		);
		const canI = async (...args: string[]) =>
			new Promise<string>(resolve => {
				execFile(realKubeTool('kubectl'), ['auth', 'can-i', ...args], {env: env()}, (_error, stdout) => resolve(stdout.trim()));
			});
		assert.deepEqual(await Promise.all([canI('list', 'pods', '-n', 'todo'), canI('watch', 'pods', '-n', 'todo'), canI('list', 'pods', '-n', 'gluu')]), [
			'yes',
			'no',
			'no',
		]);
		// What kubectl auth can-i --list prints from the SelfSubjectRulesReview: the Role's rule where it is bound, and only basic-user's elsewhere.
		const [here, elsewhere] = await Promise.all([canI('--list', '-n', 'todo'), canI('--list', '-n', 'gluu')]);
		assert.match(here, /^Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs$/m, here);
		assert.match(here, /^pods\s+\[\]\s+\[\]\s+\[list\]$/m, here);
		assert.match(here, /^selfsubjectrulesreviews\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]$/m, here);
		assert.doesNotMatch(elsewhere, /^pods\s/m, elsewhere);
	} finally {
		cluster.faults.role = undefined;
	}
});

test('injected 500s reach kubectl as server errors', async () => {
	cluster.faults.errorRate = 1;
	try {
		await assert.rejects(kubectl('get', 'pods', '-n', 'todo', '--request-timeout=5s'), /InternalError|injected fault|an error on the server/);
	} finally {
		cluster.faults.errorRate = 0;
	}
});

test('the real helm installs, upgrades and uninstalls the chart in the simulator', async () => {
	const chart = path.join(repoRoot, 'charts/todo-app');
	// helm validates objects against OpenAPI v2 served as protobuf, which the simulator does not serve.
	const install = await helm('upgrade', '--install', 'todo', chart, '-n', 'todo', '--disable-openapi-validation');
	assert.match(install.stdout, /STATUS: deployed/);
	assert.ok(cluster.get('Deployment', 'todo', 'todo-todo-app-backend'));
	assert.equal(cluster.list('NetworkPolicy', 'todo').length, 6);
	await helm('upgrade', '--install', 'todo', chart, '-n', 'todo', '--disable-openapi-validation', '--set', 'backend.replicas=2');
	const deployment = cluster.get('Deployment', 'todo', 'todo-todo-app-backend') as {spec: {replicas: number}};
	assert.equal(deployment.spec.replicas, 2);
	const history = JSON.parse((await helm('history', 'todo', '-n', 'todo', '-o', 'json')).stdout) as Array<{revision: number; status: string}>;
	assert.deepEqual(
		history.map(entry => [entry.revision, entry.status]),
		[
			[1, 'superseded'],
			[2, 'deployed'],
		],
	);
	await helm('uninstall', 'todo', '-n', 'todo');
	assert.equal(cluster.get('Deployment', 'todo', 'todo-todo-app-backend'), undefined);
	assert.equal(cluster.list('Secret', 'todo').length, 0);
});
