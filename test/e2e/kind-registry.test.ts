// kind's local registry, end to end: a real registry (Debian's docker-registry, run as kind's script runs
// registry:2) in a container beside the kind node, the real dockerd pushing to it, the node's containerd
// settings written for real in the node container, and the simulated kubelet pulling as containerd
// would (test/helpers/node-pull.ts) before it runs the team's real app.
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {copyTeamProject, startAppWorld} from '../helpers/app-world.js';
import {failureOf, runCli, startCli} from '../helpers/cli.js';
import {removeImages} from '../helpers/images.js';
import {ensureRegistryImage, registryImage} from '../helpers/runtime-images.js';
import {removeLocalRegistry} from '../helpers/stand-ins.js';

const made: string[] = [];
const removeRegistry = removeLocalRegistry;

before(() => {
	ensureRegistryImage();
	removeRegistry();
});

after(async () => {
	removeRegistry();
	removeImages(made);
});

const imagesIn = (output: string) =>
	[...output.matchAll(/(?:localhost:\d+\/)?todo-(?:backend|frontend):src-[0-9a-f]{12}(?:-args-[0-9a-f]+)?/g)].map(match => match[0]);
const sentBy = (output: string, side: string) => {
	const match = new RegExp(`todo-${side}:\\S+ (?:built|up to date), pushed, ([\\d.]+) (B|kB|MB|GB) sent`).exec(output);
	assert.ok(match, `no "pushed, … sent" for the ${side} in:\n${output}`);
	return Number(match[1]) * {B: 1, kB: 1e3, MB: 1e6, GB: 1e9}[match[2] as 'B'];
};

test('up makes a kind cluster with a local registry: the images are pushed there, the node pulls them, and a one-line change sends only its layer', async t => {
	const world = await startAppWorld(`reg${process.pid}`, {bare: true});
	// Each world's Services take the same loopback addresses: one world at a time.
	t.after(async () => world.stop());
	const root = copyTeamProject();
	const env = world.env({TODO_DEPLOY_REGISTRY_IMAGE: registryImage});
	const args = ['up', root, '--yes', '--kind', world.clusterName, '--skip', 'load-check'];
	const first = await runCli(args, {env, timeoutMs: 600_000});
	made.push(...imagesIn(first.stdout));
	assert.equal(first.code, 0, failureOf(first));
	// The cluster was created with containerd reading certs.d, then the registry set up beside it.
	assert.match(first.stdout, new RegExp(`kind create cluster --name ${world.clusterName} --config \\S+kind-cluster\\.yaml`));
	const host =
		/images go through a local registry (localhost:\d+), set up now: a registry container kind-registry \(todo-deploy-test\/registry:2\) on 127\.0\.0\.1:\d+, \/etc\/containerd\/certs\.d\/localhost:\d+\/hosts\.toml on the node, kube-public\/local-registry-hosting\./.exec(
			first.stdout,
		)?.[1];
	assert.ok(host, first.stdout);
	const node = `${world.clusterName}-control-plane`;
	assert.match(execFileSync('docker', ['exec', node, 'cat', '/etc/containerd/config.toml'], {encoding: 'utf8'}), /config_path = "\/etc\/containerd\/certs\.d"/);
	assert.match(
		execFileSync('docker', ['exec', node, 'cat', `/etc/containerd/certs.d/${host}/hosts.toml`], {encoding: 'utf8'}),
		/\[host\."http:\/\/127\.0\.0\.1:\d+"\]/,
	);
	const hosting = world.cluster.get('ConfigMap', 'kube-public', 'local-registry-hosting') as {data: Record<string, string>};
	assert.match(hosting.data['localRegistryHosting.v1'] ?? '', new RegExp(`^host: "${host}"$`, 'm'));
	// The node pulled both images from the registry, and the app was verified.
	assert.deepEqual(new Set(world.pulls.map(pull => pull.image.replace(/:src-.*/, ''))), new Set([`${host}/todo-backend`, `${host}/todo-frontend`]));
	assert.ok(
		world.pulls.every(pull => pull.error === undefined),
		JSON.stringify(world.pulls),
	);
	// The node maps the browser's addresses to the sides' NodePorts: the app answers with todo-deploy closed.
	const [, url = ''] =
		/^Open (http:\/\/localhost:\d+) in your browser: .* The kind cluster's port mapping serves that address, with todo-deploy closed too; .* Verified; report: /m.exec(
			first.stdout,
		) ?? [];
	assert.ok(url, first.stdout);
	const config = readFileSync(path.join(root, '.todo-deploy/kind-cluster.yaml'), 'utf8');
	assert.match(config, new RegExp(`- containerPort: 30080\n {4}hostPort: ${new URL(url).port}\n {4}listenAddress: "127\\.0\\.0\\.1"`));
	const backendPort = /- containerPort: 30081\n {4}hostPort: (\d+)/.exec(config)?.[1];
	assert.ok(backendPort, config);
	const page = await fetch(url, {signal: AbortSignal.timeout(10_000)});
	assert.equal(page.status, 200);
	const health = await fetch(`http://localhost:${backendPort}/healthz`, {signal: AbortSignal.timeout(10_000)});
	assert.equal(health.status, 200, "the backend answers at its mapped address, as the page's scripts call it");
	// todo-deploy open finds the addresses served by the mapping, and holds nothing of its own.
	const open = startCli(['open', root, '--no-browser'], {env});
	try {
		await open.waitFor(new RegExp(`^frontend ${url} {2}→ \\S+ \\(the kind node's port mapping, which stays with todo-deploy closed\\)$`, 'm'), 0, 60_000);
	} finally {
		open.kill('SIGINT');
	}

	assert.equal(await open.exited, 0, open.stderr());
	const firstSent = sentBy(first.stdout, 'backend');

	// One line of the backend changes: the registry has every other layer, so only the app's layer travels.
	const main = path.join(root, 'Phase-II/backend/app/main.py');
	writeFileSync(main, `${readFileSync(main, 'utf8')}\n# one line changed\n`);
	const second = await runCli(['up', root, '--yes', '--skip', 'load-check'], {env, timeoutMs: 600_000});
	made.push(...imagesIn(second.stdout));
	assert.equal(second.code, 0, failureOf(second));
	assert.match(second.stdout, new RegExp(`images go through its local registry ${host}\\.`));
	// The mapped ports are the app's own: the next build keeps them.
	assert.match(second.stdout, new RegExp(`^Open ${url} in your browser`, 'm'));
	const secondSent = sentBy(second.stdout, 'backend');
	t.diagnostic(`backend pushed to the local registry: ${firstSent} bytes the first time, ${secondSent} after a one-line change`);
	assert.ok(secondSent > 0 && secondSent < firstSent / 20, `the change sent ${secondSent} bytes, the first push ${firstSent}`);
	const newest = world.pulls.at(-1);
	assert.equal(newest?.error, undefined);
	assert.ok(second.stdout.includes(newest?.image.replace(`${host}/`, '') ?? '?'), 'the new backend tag was pulled');

	// deploy on its own names the registry's copies with the tags build gave them (what it left out of
	// the contexts counts): the release already has exactly these, so Helm is not run.
	const alone = await runCli(['deploy', root, '--yes', '--chart', 'builtin'], {env, timeoutMs: 600_000});
	assert.equal(alone.code, 0, failureOf(alone));
	assert.match(alone.stdout, /these images and values: helm not run/);
});

test('an existing kind cluster without a registry: kind load, saying why and how to add one; one whose containerd cannot take one says so', async t => {
	removeRegistry();
	const world = await startAppWorld(`old${process.pid}`);
	// Each world's Services take the same loopback addresses: one world at a time.
	t.after(async () => world.stop());
	const root = copyTeamProject();
	const env = world.env({TODO_DEPLOY_REGISTRY_IMAGE: registryImage});
	const plain = await runCli(['build', root, '--load', '--kind', world.clusterName], {env, timeoutMs: 600_000});
	made.push(...imagesIn(plain.stdout + plain.stderr));
	assert.equal(plain.code, 0, failureOf(plain));
	assert.match(
		plain.stderr,
		new RegExp(
			`Images: kind load \\(kind cluster "${world.clusterName}" has no local registry, so each change sends the whole image\\); todo-deploy up --local-registry adds one`,
		),
	);
	assert.match(plain.stdout, /loaded/);

	const asked = await runCli(['build', root, '--load', '--kind', world.clusterName, '--local-registry'], {env, timeoutMs: 600_000});
	assert.equal(asked.code, 0, failureOf(asked));
	assert.match(
		asked.stderr,
		/Images: kind load \(the nodes' containerd was started without a registry folder \(config_path \/etc\/containerd\/certs\.d\); adding one means restarting containerd on every node\); Make the cluster again with it: kind delete cluster/,
	);
	// Nothing was set up half-way: no registry container, no ConfigMap.
	assert.throws(() => execFileSync('docker', ['inspect', 'kind-registry'], {stdio: 'ignore'}));
	assert.equal(world.cluster.get('ConfigMap', 'kube-public', 'local-registry-hosting'), undefined);
});

test('watch mode on kind with its local registry: a saved line is pushed as one small layer and the node pulls the new tag', async t => {
	removeRegistry();
	const world = await startAppWorld(`wreg${process.pid}`, {bare: true});
	// Each world's Services take the same loopback addresses: one world at a time.
	t.after(async () => world.stop());
	const root = copyTeamProject();
	const cli = startCli(['up', root, '--yes', '--watch', '--kind', world.clusterName, '--skip', 'load-check'], {env: world.env()});
	try {
		await cli.waitFor(/^Watching Phase-II\/backend and Phase-II\/frontend/m, 0, 300_000);
		made.push(...imagesIn(cli.stdout()));
		const mark = cli.stdout().length;
		const main = path.join(root, 'Phase-II/backend/app/main.py');
		writeFileSync(main, `${readFileSync(main, 'utf8')}\n# saved once more\n`);
		const shipped = await cli.waitFor(
			/^backend \(app\/main\.py\): new pod Ready [\d.]+ m?s after the save \(build [\d.]+ m?s · transfer [\d.]+ m?s \(pushed, ([\d.]+) (B|kB) sent\) · rollout [\d.]+ m?s\)$/m,
			mark,
			120_000,
		);
		t.diagnostic(shipped[0]);
		made.push(...imagesIn(cli.stdout()));
		const newest = world.pulls.at(-1);
		assert.match(newest?.image ?? '', /^localhost:\d+\/todo-backend:src-[0-9a-f]{12}$/);
		assert.equal(newest?.error, undefined);
	} finally {
		cli.kill('SIGINT');
		await cli.exited;
	}
});
