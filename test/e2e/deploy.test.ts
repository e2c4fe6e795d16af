// deploy: the real helm installs the real chart into the simulated API server, whose simulated
// controller starts the pods (or fails them with a real kubelet's messages).
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {cpSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {after, before, beforeEach, test} from 'node:test';
import {promisify} from 'node:util';
import {gunzipSync, gzipSync} from 'node:zlib';
import {load} from 'js-yaml';
import {cliCommandLine, failureOf, makeBin, runCli, tempDir} from '../helpers/cli.js';
import {ensureBaseImage, makeTodoProject, removeImages} from '../helpers/images.js';
import {realKubeTool} from '../helpers/kube-tools.js';
import {capturedFixture, escapeRegExp, localFixtures} from '../helpers/paths.js';
import {capturedPod} from '../helpers/k8s-fixtures.js';
import {openTerminal} from '../helpers/tmux.js';
import {startSimulatedCluster, type SimulatedCluster} from '../sim/apiserver.js';
import {startController, type PodOutcome} from '../sim/controller.js';

const run = promisify(execFile);
let cluster: SimulatedCluster;
let stopController: () => void;
let outcome: (images: readonly string[]) => PodOutcome = () => ({type: 'ready'});
let helmLog: string;
let bin: string;

// What a real kubelet writes for a local image that is not on the node (describe-events-ErrImageNeverPull.txt).
const neverPull =
	/Container image "[^"]+" is not present with pull policy of Never/.exec(
		readFileSync(capturedFixture('k8s/events/describe-events-ErrImageNeverPull.txt'), 'utf8'),
	)?.[0] ?? '';

before(async () => {
	cluster = await startSimulatedCluster({kubeconfigPath: path.join(tempDir('sim'), 'kubeconfig')});
	stopController = startController(cluster, pod => outcome(pod.images));
	helmLog = path.join(tempDir('helm-log'), 'argv.log');
	// The real helm, behind a wrapper that records its arguments (secrets must never be among them).
	bin = makeBin({real: ['git'], scripts: {helm: `printf '%s\\n' "$*" >> ${helmLog}\nexec ${realKubeTool('helm')} "$@"`}});
});

after(async () => {
	stopController();
	await cluster.close();
});

beforeEach(() => {
	outcome = () => ({type: 'ready'});
});

const env = (extra: Record<string, string> = {}) => ({
	PATH: `${bin}:/usr/bin:/bin`,
	HOME: tempDir('home'),
	KUBECONFIG: cluster.kubeconfigPath,
	LANG: 'C.UTF-8',
	...extra,
});
const helmArgs = ['--helm-arg=--disable-openapi-validation'];
const helm = async (...args: string[]) => (await run(realKubeTool('helm'), args, {env: env(), encoding: 'utf8'})).stdout;
const secretValues = (namespace: string, name: string) =>
	Object.fromEntries(
		Object.entries((cluster.get('Secret', namespace, name)?.['data'] ?? {}) as Record<string, string>).map(([key, value]) => [
			key,
			Buffer.from(value, 'base64').toString(),
		]),
	);

test('deploy: secrets through the API, helm upgrade --install with the content tags, every pod watched until ready', async () => {
	const root = makeTodoProject({git: true});
	writeFileSync(path.join(root, '.env'), '# the chatbot\nGEMINI_API_KEY="AIzaSyD-real-looking-key-0123456789abcdef"\n');
	const first = await runCli(['deploy', root, '-n', 'demo', ...helmArgs], {env: env(), timeoutMs: 120_000});
	assert.equal(first.code, 0, first.stdout + first.stderr);
	assert.match(first.stdout, /^✔ Secrets: database password generated; auth secret generated; Gemini API key from GEMINI_API_KEY in \.env/m);
	assert.match(first.stdout, /^✔ Helm release: first install of todo into demo; the chart renders/m);
	// The Secret and the namespace are written only once Helm and the chart are known good.
	assert.match(first.stdout, /^✔ helm upgrade --install: revision 1 deployed \(Secret todo-todo-app-app-secrets written, namespace demo created\)/m);
	assert.match(first.stdout, /^✔ Rollout: 3 pods ready in [\d.]+ s/m);
	assert.match(first.stdout, /^Deployed: every pod of todo is ready\./m);

	const secret = secretValues('demo', 'todo-todo-app-app-secrets');
	assert.equal(secret['GEMINI_API_KEY'], 'AIzaSyD-real-looking-key-0123456789abcdef');
	assert.match(secret['DATABASE_PASSWORD'] ?? '', /^[\w-]{32}$/);
	assert.equal(secret['DATABASE_URL'], `postgresql://todo:${secret['DATABASE_PASSWORD'] ?? ''}@todo-todo-app-postgresql:5432/todo`);
	// The chart took the content tags and the Secret; the values never went through helm's arguments.
	const backend = cluster.get('Deployment', 'demo', 'todo-todo-app-backend') as {spec: {template: {spec: {containers: Array<{image: string}>}}}};
	assert.match(backend.spec.template.spec.containers[0]?.image ?? '', /^todo-backend:git-[0-9a-f]{12}$/);
	const argv = readFileSync(helmLog, 'utf8');
	assert.match(argv, /--set secrets\.existingSecret=todo-todo-app-app-secrets/);
	for (const value of Object.values(secret)) {
		assert.ok(!argv.includes(value), "no secret value in helm's arguments");
		assert.ok(!first.stdout.includes(value) && !first.stderr.includes(value), 'no secret value on screen');
	}

	// Nothing changed: the passwords stay, and helm is not run again.
	const same = await runCli(['deploy', root, '-n', 'demo', ...helmArgs], {env: env(), timeoutMs: 120_000});
	assert.equal(same.code, 0, same.stdout + same.stderr);
	assert.match(same.stdout, /database password kept from the cluster; auth secret kept from the cluster/);
	assert.match(same.stdout, /^✔ helm upgrade --install: revision 1 already has this chart, these images and values: helm not run/m);
	assert.match(same.stdout, /^✔ Rollout: 3 pods ready/m);

	// A changed value is an upgrade; the database password the database was started with stays.
	const second = await runCli(['deploy', root, '-n', 'demo', '--set', 'backend.replicas=1', ...helmArgs], {env: env(), timeoutMs: 120_000});
	assert.equal(second.code, 0, second.stdout + second.stderr);
	assert.match(second.stdout, /^✔ Helm release: upgrade of todo from revision 1 \(deployed\)/m);
	assert.match(second.stdout, /^✔ helm upgrade --install: revision 2 deployed/m);
	assert.equal(secretValues('demo', 'todo-todo-app-app-secrets')['DATABASE_PASSWORD'], secret['DATABASE_PASSWORD']);
	const history = JSON.parse(await helm('history', 'todo', '-n', 'demo', '-o', 'json')) as Array<{revision: number; status: string}>;
	assert.deepEqual(
		history.map(entry => entry.status),
		['superseded', 'deployed'],
	);
});

test('--kubeconfig FILE reaches helm as well as the API: one kubeconfig for the whole deploy', async () => {
	const root = makeTodoProject();
	const result = await runCli(['deploy', root, '-n', 'elsewhere', '--kubeconfig', cluster.kubeconfigPath, ...helmArgs], {
		env: env({KUBECONFIG: '/nonexistent/kubeconfig'}),
		timeoutMs: 120_000,
	});
	assert.equal(result.code, 0, failureOf(result));
	const upgrade = readFileSync(helmLog, 'utf8')
		.split('\n')
		.find(line => line.startsWith('upgrade --install todo') && line.includes('--namespace elsewhere'));
	assert.ok(upgrade?.includes(`--kubeconfig ${cluster.kubeconfigPath} --kube-context sim`), upgrade);
});

test('deploy names the tags build made: after build --build-arg, deploy without it refuses before anything changes, and with it deploys that tag', async () => {
	ensureBaseImage();
	const root = makeTodoProject({git: true});
	const built = await runCli(['build', root, '--build-arg', 'EXTRA=1'], {env: env(), timeoutMs: 240_000});
	const refs = [...built.stdout.matchAll(/todo-(?:backend|frontend):git-[0-9a-f]{12}-args-[0-9a-f]{6}/g)].map(match => match[0]);
	try {
		assert.equal(built.code, 0, failureOf(built));
		const backend = refs.find(ref => ref.startsWith('todo-backend:')) ?? '';
		assert.ok(backend, built.stdout);
		const refused = await runCli(['deploy', root, '-n', 'buildargs', ...helmArgs], {env: env(), timeoutMs: 60_000});
		assert.equal(refused.code, 1, failureOf(refused));
		assert.match(
			refused.stderr,
			new RegExp(
				`todo-backend:git-[0-9a-f]{12} was never built here: the last build of these sources made ${escapeRegExp(backend)} \\(with the build arguments EXTRA\\)`,
			),
		);
		assert.match(refused.stderr, /fix: give deploy the same --build-arg as the build/);
		assert.equal(cluster.get('Namespace', undefined, 'buildargs'), undefined, 'nothing was written');
		const deployed = await runCli(['deploy', root, '-n', 'buildargs', '--build-arg', 'EXTRA=1', ...helmArgs], {env: env(), timeoutMs: 120_000});
		assert.equal(deployed.code, 0, failureOf(deployed));
		const deployment = cluster.get('Deployment', 'buildargs', 'todo-todo-app-backend') as {spec: {template: {spec: {containers: Array<{image: string}>}}}};
		assert.equal(deployment.spec.template.spec.containers[0]?.image, backend);
	} finally {
		removeImages(refs);
	}
});

test('a placeholder secret is refused before anything is deployed; secrets on --set are a usage error', async () => {
	const root = makeTodoProject();
	writeFileSync(path.join(root, '.env'), 'GEMINI_API_KEY=your-api-key-here\n');
	const result = await runCli(['deploy', root, '-n', 'placeholder', ...helmArgs], {env: env(), timeoutMs: 60_000});
	assert.equal(result.code, 1);
	// Said before the cluster is asked anything.
	assert.match(
		result.stderr,
		/^todo-deploy: The Gemini API key from GEMINI_API_KEY in \.env is a "your-…-here" placeholder, not a real value\.\n {2}fix: Set GEMINI_API_KEY to your real key, or leave it empty.*\nNothing was changed\./m,
	);
	assert.equal(cluster.get('Namespace', undefined, 'placeholder'), undefined);
	assert.equal(cluster.get('Secret', 'placeholder', 'todo-todo-app-app-secrets'), undefined);
	// A chart that does not render with the values: said by the release step, and nothing is written.
	const unrendered = await runCli(['deploy', makeTodoProject(), '-n', 'unrendered', '--set', 'backend.replicas=many', ...helmArgs], {
		env: env(),
		timeoutMs: 60_000,
	});
	assert.equal(unrendered.code, 1, unrendered.stdout + unrendered.stderr);
	assert.match(
		unrendered.stdout,
		/^✖ Helm release: The chart does not render with these values, so nothing was changed in the cluster: values don't meet[\s\S]*\/backend\/replicas'?: got string, want integer/m,
	);
	assert.equal(cluster.get('Namespace', undefined, 'unrendered'), undefined);
	// helm itself fails after the Secret was written: a first install leaves nothing behind, and says so.
	const failing = await runCli(['deploy', makeTodoProject(), '-n', 'helmfails', '--helm-arg=--no-such-flag'], {env: env(), timeoutMs: 60_000});
	assert.equal(failing.code, 6, failing.stdout + failing.stderr);
	assert.match(failing.stdout, /Nothing was installed, so what deploy wrote is removed: the namespace helmfails \(with the Secret\)\./);
	assert.equal(cluster.get('Secret', 'helmfails', 'todo-todo-app-app-secrets'), undefined);
	const kept = await runCli(['deploy', makeTodoProject(), '-n', 'helmkeeps', '--helm-arg=--no-such-flag', '--on-failure', 'keep'], {
		env: env(),
		timeoutMs: 60_000,
	});
	assert.equal(kept.code, 6);
	assert.match(kept.stdout, /Kept \(--on-failure keep\): the Secret todo-todo-app-app-secrets and the namespace helmkeeps\./);
	assert.ok(cluster.get('Secret', 'helmkeeps', 'todo-todo-app-app-secrets'));

	const usage = await runCli(['deploy', '--set', 'secrets.databasePassword=hunter2'], {env: env()});
	assert.equal(usage.code, 2);
	assert.match(usage.stderr, /Secrets never go on the command line/);
});

test('pods that cannot start: the rollout names them and why, exits 7, and --on-failure rollback removes a first install', async () => {
	outcome = images =>
		images.some(image => image.startsWith('todo-backend:'))
			? {type: 'waiting', reason: 'ErrImageNeverPull', message: neverPull.replace(/"[^"]+"/, `"${images[0] ?? ''}"`)}
			: {type: 'ready'};
	const root = makeTodoProject({git: true});
	const kept = await runCli(['deploy', root, '-n', 'broken', '--timeout', '3', ...helmArgs], {env: env(), timeoutMs: 60_000});
	assert.equal(kept.code, 7, kept.stdout);
	assert.match(kept.stdout, /^✖ Rollout: 1 of 3 pods not ready after 3 s: todo-todo-app-backend-[a-z0-9]+-[a-z]+: /m);
	assert.match(kept.stdout, /ErrImageNeverPull|not present with pull policy of Never|not on the node/i);
	assert.match(kept.stdout, /todo-deploy load|minikube image load|kind load/);
	assert.match(kept.stdout, /^! Kept: release todo revision 1 stays deployed in broken with pods that are not ready\./m);
	assert.match(await helm('status', 'todo', '-n', 'broken'), /STATUS: deployed/);

	const rolledBack = await runCli(['deploy', root, '-n', 'broken2', '--timeout', '2', '--on-failure', 'rollback', ...helmArgs], {
		env: env(),
		timeoutMs: 60_000,
	});
	assert.equal(rolledBack.code, 7);
	assert.match(rolledBack.stdout, /^! Removed the failed first install of todo; the Secret todo-todo-app-app-secrets stays for the next try\./m);
	await assert.rejects(helm('status', 'todo', '-n', 'broken2'), /release: not found/);
});

test("the project's own chart, whose pods are labelled app: backend: the rollout follows the workloads in the release's manifest, names the failing pod, and status --release shows the same pods", async () => {
	outcome = images => (images.some(image => image.startsWith('todo-backend:')) ? {type: 'crash', exitCode: 1, logs: ['KeyError: LOG_LEVEL']} : {type: 'ready'});
	const root = makeTodoProject({git: true});
	const chart = path.join(root, 'charts/todo-app');
	cpSync(path.join(localFixtures, 'real-app/Phase-IV/charts/todo-app'), chart, {recursive: true});
	// A crash-looping pod of another team in the same namespace, labelled app: backend too: not the release's.
	const other = capturedPod('crashloop');
	cluster.put({...other, metadata: {name: 'billing-backend-0', namespace: 'own', labels: {app: 'backend', release: 'billing'}}});
	const result = await runCli(['deploy', root, '-n', 'own', '--release', 'shop', '--chart', chart, '--timeout', '4', '--on-failure', 'keep', ...helmArgs], {
		env: env(),
		timeoutMs: 90_000,
	});
	assert.equal(result.code, 7, result.stdout + result.stderr);
	assert.doesNotMatch(result.stdout, /0 of 0 pods/);
	assert.match(result.stdout, /^✖ Rollout: 1 of 2 pods not ready after 4 s: shop-backend-[a-z0-9]+-[a-z]+: /m);
	assert.match(result.stdout, /KeyError: LOG_LEVEL|exit(ed)? (with )?code 1/);

	const status = await runCli(['status', '-n', 'own', '--release', 'shop', '--json'], {env: env(), timeoutMs: 60_000});
	const pods = (JSON.parse(status.stdout) as {pods: Array<{name: string}>}).pods.map(pod => pod.name).sort();
	assert.equal(pods.length, 2, status.stdout);
	assert.match(pods[0] ?? '', /^shop-backend-/);
	assert.equal(pods[1], 'shop-db-0');
});

test('two clones deploying a new release at once where Leases are not allowed: both read no Secret, and still the database password is written once and never changed', async () => {
	// Two checkouts (two lock files), and a Role without coordination.k8s.io: no lock keeps them apart.
	const roots = [makeTodoProject({git: true}), makeTodoProject({git: true})];
	cluster.put({apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'twice'}});
	cluster.faults.role = {
		user: 'ci@example.com',
		namespace: 'twice',
		rules: [{apiGroups: ['', 'apps', 'networking.k8s.io', 'policy', 'autoscaling'], resources: ['*'], verbs: ['*']}],
	};
	const secretPath = '/api/v1/namespaces/twice/secrets/todo-todo-app-app-secrets';
	// Both runs' reads of the Secret are held until both have asked: each finds none, as two runs started together do.
	let release: () => void = () => undefined;
	const bothAsked = new Promise<void>(resolve => {
		release = resolve;
	});
	let reads = 0;
	cluster.faults.hold = (method, pathname) => {
		if (method !== 'GET' || pathname !== secretPath) {
			return undefined;
		}

		reads++;
		if (reads === 2) {
			release();
		}

		return reads <= 2 ? bothAsked : undefined;
	};
	const passwords: string[] = [];
	const unsubscribe = cluster.subscribe(event => {
		const object = event.object as {kind?: string; metadata?: {name?: string; namespace?: string}; data?: Record<string, string>};
		if (object.kind === 'Secret' && object.metadata?.namespace === 'twice' && object.metadata.name === 'todo-todo-app-app-secrets') {
			passwords.push(Buffer.from(object.data?.['databasePassword'] ?? object.data?.['DATABASE_PASSWORD'] ?? '', 'base64').toString());
		}
	});
	try {
		const runs = await Promise.all(
			roots.map(async root => runCli(['deploy', root, '-n', 'twice', '--timeout', '30', ...helmArgs], {env: env(), timeoutMs: 120_000})),
		);
		assert.equal(reads >= 2, true);
		assert.ok(passwords.length >= 2, `the Secret was written ${passwords.length} times`);
		assert.equal(new Set(passwords).size, 1, 'the database password changed between writes');
		assert.notEqual(passwords[0], '');
		const kept = runs.find(result => /Another run wrote the Secret todo-todo-app-app-secrets while this one was starting/.test(result.stdout));
		assert.ok(kept, runs.map(result => result.stdout).join('\n---\n'));
		assert.ok(
			runs.some(result => result.code === 0),
			runs.map(result => result.stdout + result.stderr).join('\n---\n'),
		);
	} finally {
		unsubscribe();
		cluster.faults.hold = undefined;
		cluster.faults.role = undefined;
	}
});

test('one run at a time on a release: a second deploy from the same project is told who holds it and changes nothing; the lock is given back', async () => {
	const root = makeTodoProject({git: true});
	// Whichever run gets the lock is held at its rollout until the other has ended.
	let release: () => void = () => undefined;
	const released = new Promise<void>(resolve => {
		release = resolve;
	});
	let held = false;
	cluster.faults.hold = (method, pathname) => {
		if (method === 'GET' && pathname === '/api/v1/namespaces/locked/pods' && !held) {
			held = true;
			return released;
		}

		return undefined;
	};
	try {
		const runs = [1, 2].map(async () => runCli(['deploy', root, '-n', 'locked', ...helmArgs], {env: env(), timeoutMs: 120_000}));
		const loser = await Promise.race(runs);
		release();
		const both = await Promise.all(runs);
		assert.deepEqual(both.map(result => result.code).sort(), [0, 6], both.map(result => result.stdout + result.stderr).join('\n---\n'));
		assert.equal(loser.code, 6, loser.stdout);
		assert.match(
			loser.stdout,
			/^✖ Secrets: Another run is changing the release todo in locked \(on this machine\): todo-deploy deploy on \S+ \(pid \d+\), since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\. Nothing was changed\.\n {2}fix: Let it finish, or let this run wait for it: --lock-timeout 300\./m,
		);
		// Given back: no Lease left, no lock file, and the next run goes through.
		assert.equal(cluster.list('Lease', 'locked').length, 0);
		const again = await runCli(['deploy', root, '-n', 'locked', ...helmArgs], {env: env(), timeoutMs: 120_000});
		assert.equal(again.code, 0, again.stdout + again.stderr);
	} finally {
		cluster.faults.hold = undefined;
	}
});

test('a Lease held from another machine: deploy waits (--lock-timeout) while it is renewed, goes on once it is gone, and takes over one whose holder stopped renewing', async () => {
	const root = makeTodoProject({git: true});
	const lease = (renewed: Date) => ({
		apiVersion: 'coordination.k8s.io/v1',
		kind: 'Lease',
		metadata: {name: 'todo-deploy-todo', namespace: 'leased', annotations: {'todo-deploy/command': 'todo-deploy up'}},
		spec: {holderIdentity: 'laptop-of-bob/4242', leaseDurationSeconds: 30, acquireTime: '2026-12-02T09:00:00.000Z', renewTime: renewed.toISOString()},
	});
	cluster.put({apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'leased'}});
	cluster.put(lease(new Date()));
	const stopped = await runCli(['deploy', root, '-n', 'leased', ...helmArgs], {env: env(), timeoutMs: 60_000});
	assert.equal(stopped.code, 6, stopped.stdout);
	assert.match(
		stopped.stdout,
		/Another run is changing the release todo in leased \(its Lease in the cluster\): todo-deploy up on laptop-of-bob \(pid 4242\), since 2026-12-02 09:00:00 UTC/,
	);
	assert.match(stopped.stdout, /taken over once its Lease goes 30 s without renewal/);

	// Waiting: the run asks again and again while the Lease is there; once it is gone, it deploys.
	const leasePath = '/apis/coordination.k8s.io/v1/namespaces/leased/leases/todo-deploy-todo';
	const asked = () => cluster.requests.filter(request => request.startsWith(`GET ${leasePath}`)).length;
	const before = asked();
	const waiting = runCli(['deploy', root, '-n', 'leased', '--lock-timeout', '60', ...helmArgs], {env: env(), timeoutMs: 120_000});
	const deadline = Date.now() + 60_000;
	while (asked() < before + 3) {
		assert.ok(Date.now() < deadline, 'the waiting run never asked for the Lease again');
		await new Promise(resolve => setTimeout(resolve, 50));
	}

	cluster.remove('Lease', 'leased', 'todo-deploy-todo');
	const waited = await waiting;
	assert.equal(waited.code, 0, waited.stdout + waited.stderr);
	assert.match(waited.stdout, /^! Waiting for another run on the release todo in leased to end \(up to 60 s\): todo-deploy up on laptop-of-bob \(pid 4242\)/m);

	// A holder that died: its Lease is not renewed, and is taken over.
	cluster.put(lease(new Date(Date.now() - 5 * 60_000)));
	const took = await runCli(['deploy', root, '-n', 'leased', '--set', 'backend.replicas=2', ...helmArgs], {env: env(), timeoutMs: 120_000});
	assert.equal(took.code, 0, took.stdout + took.stderr);
	assert.equal(cluster.list('Lease', 'leased').length, 0);
});

test("a namespace Role without the chart's kinds: deploy names each missing permission with its rule and writes nothing; with the rules it printed, the same deploy goes through", async () => {
	const root = makeTodoProject({git: true});
	cluster.put({apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'shared'}});
	const role = {
		user: 'ada@example.com',
		namespace: 'shared',
		rules: [
			{apiGroups: [''], resources: ['pods', 'pods/log', 'secrets', 'services', 'configmaps', 'persistentvolumeclaims', 'events'], verbs: ['*']},
			{apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list', 'watch']},
		],
	};
	cluster.faults.role = role;
	try {
		// The real kubectl asks the simulated API server as it asks a real one.
		const canI = await new Promise<string>(resolve => {
			execFile(realKubeTool('kubectl'), ['auth', 'can-i', 'create', 'deployments.apps', '-n', 'shared'], {env: env()}, (_error, stdout) => resolve(stdout));
		});
		assert.equal(canI.trim(), 'no');

		const refused = await runCli(['deploy', root, '-n', 'shared', ...helmArgs], {env: env(), timeoutMs: 90_000});
		assert.equal(refused.code, 3, refused.stdout + refused.stderr);
		assert.match(
			refused.stdout,
			/^✖ Helm release: You may not do all that this deploy needs in shared \(sim\), so nothing was written: not allowed on .*\bdeployments\.apps \(create, patch, delete\); statefulsets\.apps \(get, create, patch, delete\)\.$/m,
		);
		// What the Role allows is not among them.
		assert.doesNotMatch(refused.stdout, /not allowed on .*(\bsecrets\b|\bpods\b|deployments\.apps \(get)/);
		const rules = [...refused.stdout.matchAll(/rule: (\{apiGroups: .*\})$/gm)].map(match => match[1] ?? '');
		assert.ok(
			rules.some(rule => /^\{apiGroups: \["apps"\], resources: \["deployments", "statefulsets"\], verbs: \["create", "patch", "delete", "get"\]\}$/.test(rule)),
			refused.stdout,
		);
		assert.equal(cluster.get('Secret', 'shared', 'todo-todo-app-app-secrets'), undefined, 'a Secret was written');
		assert.equal(cluster.list('Secret', 'shared').length, 0);

		// The rules it printed, added to the Role: the deploy goes through with namespace rights alone.
		const granted = rules.map(rule => load(rule) as {apiGroups: string[]; resources: string[]; verbs: string[]});
		cluster.faults.role = {...role, rules: [...role.rules, ...granted]};
		const deployed = await runCli(['deploy', root, '-n', 'shared', ...helmArgs], {env: env(), timeoutMs: 120_000});
		assert.equal(deployed.code, 0, deployed.stdout + deployed.stderr);
		assert.match(deployed.stdout, /^✔ Rollout: /m);
		// The Role has no leases: this machine's runs are kept apart, other machines' are not, and that is said.
		assert.match(deployed.stdout, /Runs on other machines are not kept apart from this one: the Role does not allow leases \(coordination\.k8s\.io/);
	} finally {
		cluster.faults.role = undefined;
	}
});

test('a release that made no pods says so at once, with what it made', async () => {
	const root = makeTodoProject({git: true});
	const chart = path.join(root, 'charts/empty');
	mkdirSync(path.join(chart, 'templates'), {recursive: true});
	writeFileSync(path.join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: empty\nversion: 0.1.0\n');
	writeFileSync(path.join(chart, 'templates/config.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-settings\ndata: {a: b}\n');
	const started = Date.now();
	const result = await runCli(['deploy', root, '-n', 'nopods', '--release', 'quiet', '--chart', chart, '--timeout', '120', ...helmArgs], {
		env: env(),
		timeoutMs: 90_000,
	});
	assert.equal(result.code, 7, result.stdout + result.stderr);
	assert.match(result.stdout, /^✖ Rollout: The release quiet made no pods: nothing to wait for\. It made ConfigMap\/quiet-settings\./m);
	assert.match(result.stdout, /helm get manifest quiet -n nopods/);
	// Said at once, not after the 120 s timeout.
	assert.ok(Date.now() - started < 90_000);
});

test('a release stuck in pending-upgrade is explained; --recover rolls it back and deploys', async () => {
	const root = makeTodoProject();
	assert.equal((await runCli(['deploy', root, '-n', 'stuck', ...helmArgs], {env: env(), timeoutMs: 60_000})).code, 0);
	// What an interrupted `helm upgrade` leaves: revision 2 in pending-upgrade (helm's release Secret, gzip+base64).
	const first = cluster.get('Secret', 'stuck', 'sh.helm.release.v1.todo.v1') as {data: {release: string}; metadata: {labels: Record<string, string>}};
	const release = JSON.parse(gunzipSync(Buffer.from(Buffer.from(first.data.release, 'base64').toString(), 'base64')).toString()) as {
		version: number;
		info: {status: string};
	};
	release.version = 2;
	release.info.status = 'pending-upgrade';
	const encoded = Buffer.from(gzipSync(Buffer.from(JSON.stringify(release))).toString('base64')).toString('base64');
	cluster.put({
		...first,
		metadata: {name: 'sh.helm.release.v1.todo.v2', namespace: 'stuck', labels: {...first.metadata.labels, version: '2', status: 'pending-upgrade'}},
		data: {release: encoded},
	});

	const blocked = await runCli(['deploy', root, '-n', 'stuck', ...helmArgs], {env: env(), timeoutMs: 60_000});
	assert.equal(blocked.code, 6, blocked.stdout);
	assert.match(
		blocked.stdout,
		/^✖ Helm release: The release "todo" is stuck in pending-upgrade \(revision 2\): an earlier helm run was interrupted, and helm refuses with "another operation \(install\/upgrade\/rollback\) is in progress"\.\n {2}fix: todo-deploy deploy --recover rolls back to revision 1, then deploys\./m,
	);
	const recovered = await runCli(['deploy', root, '-n', 'stuck', '--recover', ...helmArgs], {env: env(), timeoutMs: 60_000});
	assert.equal(recovered.code, 0, recovered.stdout);
	assert.match(recovered.stdout, /^! The release was stuck in pending-upgrade; rolled back to revision 1 first\./m);
	const history = JSON.parse(await helm('history', 'todo', '-n', 'stuck', '-o', 'json')) as Array<{status: string}>;
	assert.equal(history.at(-1)?.status, 'deployed');
});

test('no cluster: exit 3 with what to do', async () => {
	const result = await runCli(['deploy', makeTodoProject()], {env: {...env(), KUBECONFIG: path.join(tempDir('none'), 'missing')}, timeoutMs: 30_000});
	assert.equal(result.code, 3);
	assert.match(result.stderr, /no kubeconfig .*start a cluster first/);
});

test("down: the release goes, the database's data and its password stay (the next deploy logs in); --delete-data removes both; the namespace only when asked and only if todo-deploy made it; never a cluster it did not start", async () => {
	const root = makeTodoProject();
	assert.equal((await runCli(['deploy', root, '-n', 'gone', ...helmArgs], {env: env(), timeoutMs: 60_000})).code, 0);
	const password = secretValues('gone', 'todo-todo-app-app-secrets')['DATABASE_PASSWORD'];
	const down = await runCli(['down', root, '-n', 'gone'], {env: env(), timeoutMs: 60_000});
	assert.equal(down.code, 0, down.stdout + down.stderr);
	assert.match(down.stdout, /^✔ Helm release: uninstalled todo \(it had 1 revision\)/m);
	assert.match(down.stdout, /^✔ Database data: kept data-todo-todo-app-postgresql-0: every todo stays \(--delete-data removes it, and every todo with it\)/m);
	assert.match(down.stdout, /^✔ Secret: kept todo-todo-app-app-secrets: the database's data keeps the password in it \(--delete-data removes both\)/m);
	await assert.rejects(helm('status', 'todo', '-n', 'gone'), /release: not found/);
	// The next deploy finds the password the data was made with: no "password authentication failed".
	const again = await runCli(['deploy', root, '-n', 'gone', ...helmArgs], {env: env(), timeoutMs: 60_000});
	assert.equal(again.code, 0, again.stdout + again.stderr);
	assert.match(again.stdout, /database password kept from the cluster/);
	assert.equal(secretValues('gone', 'todo-todo-app-app-secrets')['DATABASE_PASSWORD'], password);
	// Deleting the namespace would delete the kept data: not without --delete-data.
	const refused = await runCli(['down', root, '-n', 'gone', '--delete-namespace'], {env: env(), timeoutMs: 60_000});
	assert.equal(refused.code, 1);
	assert.match(refused.stdout, /^✖ Namespace: gone holds the database's data \(data-todo-todo-app-postgresql-0\)[^\n]*\n {2}fix: Add --delete-data/m);
	assert.ok(cluster.get('Namespace', undefined, 'gone'));
	const all = await runCli(['down', root, '-n', 'gone', '--delete-data', '--delete-namespace'], {env: env(), timeoutMs: 60_000});
	assert.equal(all.code, 0, all.stdout + all.stderr);
	assert.match(all.stdout, /^✔ Database data: deleted data-todo-todo-app-postgresql-0: the todos are gone/m);
	assert.match(all.stdout, /^✔ Secret: deleted todo-todo-app-app-secrets/m);
	assert.match(all.stdout, /^✔ Namespace: deleted gone and what was left in it/m);
	assert.match(all.stdout, /^- Cluster: skipped \(kept\)/m);
	assert.equal(cluster.get('Namespace', undefined, 'gone'), undefined);

	// A namespace someone else made stays, and so does a cluster todo-deploy did not start.
	cluster.put({kind: 'Namespace', metadata: {name: 'theirs'}, status: {phase: 'Active'}});
	const theirs = await runCli(['down', root, '-n', 'theirs', '--delete-namespace', '--delete-cluster'], {env: env(), timeoutMs: 60_000});
	assert.equal(theirs.code, 1);
	assert.match(theirs.stdout, /^✔ Helm release: no release todo in theirs/m);
	assert.match(
		theirs.stdout,
		/^✖ Namespace: theirs was not created by todo-deploy, so it stays\.\n {2}fix: Delete it yourself if nothing else lives there: kubectl delete namespace theirs/m,
	);
	assert.match(theirs.stdout, /^✖ Cluster: todo-deploy did not start this cluster, so it stays\./m);
	assert.ok(cluster.get('Namespace', undefined, 'theirs'));
});

test('on a terminal, the Gemini key nobody gave is asked for, masked; it reaches the Secret and never the screen', async () => {
	const root = makeTodoProject();
	const key = 'AIzaSyD-typed-at-the-prompt-0123456789a';
	const terminal = openTerminal(cliCommandLine(`deploy -n prompted ${helmArgs.join(' ')}`, env({TERM: 'xterm-256color'}), {cwd: root}), {
		width: 120,
		height: 50,
	});
	try {
		await terminal.waitFor(/\? Gemini API key \(the chatbot; without it the chatbot is off\):\s+\(Enter to give, Esc to skip\)/, 30_000);
		terminal.keys(key);
		await terminal.waitFor(new RegExp(`•{${key.length}}`));
		terminal.press('Enter');
		const screen = await terminal.waitFor(/\[exit \d+\]/, 60_000);
		assert.match(screen, /Gemini API key as typed/);
		assert.match(screen, /\[exit 0\]/);
		assert.ok(!screen.includes(key), 'the key is not on the screen');
	} finally {
		terminal.close();
	}

	assert.equal(secretValues('prompted', 'todo-todo-app-app-secrets')['GEMINI_API_KEY'], key);
});
