// load into kind and minikube. kind and minikube are stand-ins that print the real tools' outputs;
// the kind "node" is a real container answering `crictl inspecti`, minikube's Docker is a real
// private dockerd, so every image really travels.
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {freePort, makeBin, runCli, tempDir} from '../helpers/cli.js';
import {startPrivateDockerd, type PrivateDockerd} from '../helpers/dockerd.js';
import {ensureBaseImage, imageId, makeTodoProject, removeImages} from '../helpers/images.js';
import {startRegistry} from '../helpers/registry.js';
import {kindScript, minikubeScript, startKindNode} from '../helpers/stand-ins.js';

const cluster = `tdt${process.pid}`;
const node = `${cluster}-control-plane`;
let kindNode: {stop(): void} | undefined;
let minikubeDocker: PrivateDockerd | undefined;
const made: string[] = [];

before(async () => {
	ensureBaseImage();
	kindNode = startKindNode(cluster);
	minikubeDocker = await startPrivateDockerd();
});

after(async () => {
	kindNode?.stop();
	await minikubeDocker?.stop();
	removeImages(made);
});

function tools() {
	return makeBin({real: ['git', 'docker', 'sed', 'tr', 'cat'], scripts: {kind: kindScript(), minikube: minikubeScript}});
}

type LoadJson = {
	target: unknown;
	images: Array<{
		name: string;
		ref: string;
		load: {type: string; outcome?: string; where?: string; message?: string; fix?: string; bytes?: number; why?: string};
	}>;
};

test('load into kind: sends each image once, then sees the node has it and does not call kind again', async () => {
	const root = makeTodoProject({git: true});
	const log = path.join(tempDir('log'), 'kind.log');
	const env = {PATH: tools(), HOME: tempDir('home'), KIND_LOG: log};
	const first = await runCli(['load', root, '--kind', cluster, '--json'], {env, timeoutMs: 120_000});
	assert.equal(first.code, 0, first.stderr + first.stdout);
	const output = JSON.parse(first.stdout) as LoadJson;
	made.push(...output.images.map(image => image.ref));
	assert.deepEqual(output.target, {type: 'kind', cluster});
	for (const image of output.images) {
		assert.equal(image.load.outcome, 'loaded', JSON.stringify(image.load));
		// The node really has it, with the same ID as the local image.
		const answer = execFileSync('docker', ['exec', node, 'crictl', 'inspecti', '-o', 'json', `docker.io/library/${image.ref}`], {encoding: 'utf8'});
		assert.equal((JSON.parse(answer) as {status: {id: string}}).status.id, imageId(image.ref));
	}

	const loads = () =>
		readFileSync(log, 'utf8')
			.split('\n')
			.filter(line => line.startsWith('kind load')).length;
	assert.equal(loads(), 2);
	const second = await runCli(['load', root, '--kind', cluster], {env, timeoutMs: 60_000});
	assert.equal(second.code, 0, second.stderr);
	assert.match(second.stdout, new RegExp(`^load {2}todo-backend:git-[0-9a-f]{12}: already in kind cluster "${cluster}" \\(1 node\\), not sent again$`, 'm'));
	assert.equal(loads(), 2, 'kind load was not called again');
});

test('load into kind takes the cluster from the current context; a missing cluster says how to make one', async () => {
	const root = makeTodoProject();
	const home = tempDir('home');
	const kubeconfig = path.join(home, 'config');
	const config = (name: string) =>
		`apiVersion: v1\nkind: Config\ncurrent-context: kind-${name}\nclusters:\n- name: kind-${name}\n  cluster: {server: "https://127.0.0.1:1"}\ncontexts:\n- name: kind-${name}\n  context: {cluster: kind-${name}, user: kind-${name}}\nusers:\n- name: kind-${name}\n  user: {}\n`;
	writeFileSync(kubeconfig, config(cluster));
	const env = {PATH: tools(), HOME: home, KUBECONFIG: kubeconfig};
	const fromContext = await runCli(['load', root], {env, timeoutMs: 120_000});
	assert.equal(fromContext.code, 0, fromContext.stderr + fromContext.stdout);
	assert.match(fromContext.stderr, new RegExp(`Loading into kind cluster "${cluster}" \\(the context "kind-${cluster}"\\)`));
	made.push(...[...fromContext.stdout.matchAll(/todo-(?:backend|frontend):src-[0-9a-f]{12}/g)].map(match => match[0]));

	writeFileSync(kubeconfig, config('gone'));
	const missing = await runCli(['load', root], {env, timeoutMs: 60_000});
	assert.equal(missing.code, 3);
	assert.match(missing.stdout, /not loaded: There is no kind cluster "gone" \(.*No kind nodes found|not loaded: There is no kind cluster "gone"\./);
	assert.match(missing.stdout, /fix: kind create cluster --name gone/);

	const remote = `apiVersion: v1\nkind: Config\ncurrent-context: prod\nclusters:\n- name: prod\n  cluster: {server: "https://127.0.0.1:1"}\ncontexts:\n- name: prod\n  context: {cluster: prod, user: prod}\nusers:\n- name: prod\n  user: {}\n`;
	writeFileSync(kubeconfig, remote);
	const noTarget = await runCli(['load', root], {env});
	assert.equal(noTarget.code, 3);
	assert.match(noTarget.stderr, /no cluster to load into: the context "prod" is neither minikube nor kind.*--registry HOST\/NAMESPACE/s);
});

test("load into minikube: builds in minikube's own Docker, so nothing is sent; on containerd it builds here and minikube loads it", async () => {
	const root = makeTodoProject({git: true});
	const log = path.join(tempDir('log'), 'minikube.log');
	const env = {PATH: tools(), HOME: tempDir('home'), MINIKUBE_LOG: log, MINIKUBE_TEST_PROFILE: 'todo', MINIKUBE_TEST_DOCKER_HOST: minikubeDocker?.host};
	const first = await runCli(['load', root, '--minikube', 'todo', '--json'], {env, timeoutMs: 120_000});
	assert.equal(first.code, 0, first.stderr + first.stdout);
	const output = JSON.parse(first.stdout) as LoadJson;
	const inside = {...process.env, DOCKER_HOST: minikubeDocker?.host};
	for (const image of output.images) {
		assert.equal(image.load.outcome, 'built-in-place', JSON.stringify(image.load));
		assert.equal(image.load.where, 'minikube profile "todo"');
		// Built there (its labels say which build), and never here.
		assert.match(
			execFileSync('docker', ['image', 'inspect', '-f', '{{index .Config.Labels "dev.todo-deploy.tag"}}', image.ref], {env: inside, encoding: 'utf8'}),
			/^git-/,
		);
		assert.throws(() => imageId(image.ref), /No such image/);
	}

	// The private engine had no base image: it was copied there once, for both builds.
	assert.equal(output.images.filter(image => (image.load.bytes ?? 0) > 0).length, 1, JSON.stringify(output.images.map(image => image.load)));

	const second = await runCli(['load', root, '--minikube', 'todo'], {env, timeoutMs: 60_000});
	assert.equal(second.code, 0, second.stderr);
	assert.match(second.stdout, /^build todo-frontend:git-[0-9a-f]{12}: up to date \(.*\), nothing to build$/m);
	assert.match(second.stdout, /^load {2}todo-frontend:git-[0-9a-f]{12}: built in minikube profile "todo"'s own Docker, nothing to send$/m);

	// A cluster on containerd: built here, then `minikube image load`, and the reason is said.
	const onContainerd = makeTodoProject({git: true});
	const copied = await runCli(['load', onContainerd, '--minikube', 'todo'], {env: {...env, MINIKUBE_TEST_RUNTIME: 'containerd'}, timeoutMs: 120_000});
	assert.equal(copied.code, 0, copied.stderr + copied.stdout);
	const refs = [
		...copied.stdout.matchAll(
			/^load {2}(todo-(?:backend|frontend):git-[0-9a-f]{12}): loaded into minikube profile "todo" in [\d.]+ m?s; not built in place: minikube "todo" does not run Docker as its container runtime$/gm,
		),
	].map(match => match[1] ?? '');
	assert.equal(refs.length, 2, copied.stdout);
	made.push(...refs, ...output.images.map(image => image.ref));
	for (const ref of refs) {
		assert.equal(imageId(ref, inside), imageId(ref));
	}

	assert.match(readFileSync(log, 'utf8'), /^minikube -p todo image load todo-backend:git-[0-9a-f]{12}$/m);

	// minikube 1.32's image load cannot read the image from Docker 25 (GUEST_IMAGE_LOAD, kubernetes/minikube#18021): sent as an archive instead.
	const buggy = makeTodoProject({git: true});
	const archived = await runCli(['load', buggy, '--minikube', 'todo'], {
		env: {...env, MINIKUBE_TEST_RUNTIME: 'containerd', MINIKUBE_TEST_IMAGE_LOAD_BUG: '1'},
		timeoutMs: 120_000,
	});
	assert.equal(archived.code, 0, archived.stderr + archived.stdout);
	const sent = [
		...archived.stdout.matchAll(
			/^load {2}(todo-(?:backend|frontend):git-[0-9a-f]{12}): loaded into minikube profile "todo" .*sent as an archive: minikube's image load could not read it from Docker/gm,
		),
	].map(match => match[1] ?? '');
	assert.equal(sent.length, 2, archived.stdout);
	made.push(...sent);
	for (const ref of sent) {
		assert.equal(imageId(ref, inside), imageId(ref));
	}

	assert.match(readFileSync(log, 'utf8'), /^minikube -p todo image load \/\S+\/image\.tar$/m);

	const wrongProfile = await runCli(['load', root, '--minikube', 'nope'], {env, timeoutMs: 60_000});
	assert.equal(wrongProfile.code, 3);
	assert.match(wrongProfile.stdout, /not loaded: minikube profile "nope" is not running: .*Profile "nope" not found/);
	assert.match(wrongProfile.stdout, /fix: minikube -p nope start --driver=docker/);
});

test('load --registry pushes with the credentials in ~/.docker/config.json; wrong ones say to log in', async () => {
	const registry = await startRegistry({username: 'dev', password: 'pa55word'});
	try {
		const root = makeTodoProject({git: true});
		const home = tempDir('home');
		mkdirSync(path.join(home, '.docker'));
		const config = (password: string) =>
			writeFileSync(
				path.join(home, '.docker/config.json'),
				JSON.stringify({auths: {[registry.host]: {auth: Buffer.from(`dev:${password}`).toString('base64')}}}),
			);
		config('pa55word');
		const env = {PATH: tools(), HOME: home};
		const pushed = await runCli(['load', root, '--registry', `${registry.host}/team`, '--json'], {env, timeoutMs: 120_000});
		assert.equal(pushed.code, 0, pushed.stderr + pushed.stdout);
		const output = JSON.parse(pushed.stdout) as {images: Array<{ref: string; load: {outcome: string; where: string; digest: string}}>};
		made.push(...output.images.map(image => image.ref), ...output.images.map(image => image.load.where));
		for (const image of output.images) {
			const tag = image.ref.split(':')[1] ?? '';
			assert.equal(image.load.outcome, 'pushed');
			assert.equal(image.load.where, `${registry.host}/team/${image.ref}`);
			// The registry really holds the manifest, under the digest todo-deploy reports.
			assert.equal(registry.manifests.get(`team/${image.ref.split(':')[0] ?? ''}:${tag}`)?.digest, image.load.digest);
		}

		// The password never reaches the process arguments or the output.
		assert.doesNotMatch(pushed.stdout + pushed.stderr, /pa55word/);

		config('wrong');
		const denied = await runCli(['load', root, '--registry', `${registry.host}/team`], {env, timeoutMs: 60_000});
		assert.equal(denied.code, 3);
		assert.match(
			denied.stdout,
			new RegExp(
				`not loaded: Pushing ${registry.host.replace('.', '\\.')}/team/todo-backend:git-[0-9a-f]{12} failed: .*(unauthorized|authentication required)`,
			),
		);
		assert.match(denied.stdout, new RegExp(`fix: docker login ${registry.host.replace(/\./g, '\\.')}`));

		// Credentials kept by a credential helper (credsStore), run as the docker CLI runs it: `get`, the
		// server on stdin, JSON on stdout. The helper here is a small one speaking that protocol.
		const helperBin = makeBin({
			real: ['git', 'docker', 'sed', 'tr', 'cat'],
			scripts: {
				'docker-credential-todotest': `read server
[ "$1" = get ] || exit 2
if [ "$server" = '${registry.host}' ]; then printf '{"ServerURL":"%s","Username":"dev","Secret":"pa55word"}\n' "$server"; else echo 'credentials not found in native keychain'; exit 1; fi`,
			},
		});
		writeFileSync(path.join(home, '.docker/config.json'), JSON.stringify({auths: {[registry.host]: {}}, credsStore: 'todotest'}));
		const helped = await runCli(['load', root, '--registry', `${registry.host}/helped`], {env: {PATH: helperBin, HOME: home}, timeoutMs: 120_000});
		assert.equal(helped.code, 0, helped.stdout + helped.stderr);
		assert.doesNotMatch(helped.stdout + helped.stderr, /pa55word/);
		made.push(...[...helped.stdout.matchAll(/\S+\/helped\/todo-(?:backend|frontend):git-[0-9a-f]{12}/g)].map(match => match[0]));
		writeFileSync(path.join(home, '.docker/config.json'), JSON.stringify({credHelpers: {[registry.host]: 'desktop.exe'}}));
		const missing = await runCli(['load', root, '--registry', `${registry.host}/helped`], {env: {PATH: helperBin, HOME: home}, timeoutMs: 60_000});
		assert.equal(missing.code, 3);
		assert.match(missing.stdout, /Not pushed: the Docker config keeps credentials in docker-credential-desktop\.exe, which is not on PATH/);
		assert.match(
			missing.stdout,
			new RegExp(`fix: Put docker-credential-desktop\\.exe on PATH, or log in again without it: docker login ${registry.host.replace(/\./g, '\\.')}`),
		);

		// A registry that refuses and one that accepts and never answers are told apart, within seconds.
		const refusing = await freePort();
		const refused = await runCli(['load', root, '--registry', `127.0.0.1:${refusing}/team`], {env, timeoutMs: 60_000});
		assert.equal(refused.code, 3);
		assert.match(refused.stdout, new RegExp(`Not pushed: the registry at 127\\.0\\.0\\.1:${refusing} refused the connection`));
		const silent = net.createServer(() => undefined);
		await new Promise<void>(resolve => {
			silent.listen(0, '127.0.0.1', resolve);
		});
		try {
			const hung = await runCli(['load', root, '--registry', `127.0.0.1:${(silent.address() as net.AddressInfo).port}/team`], {env, timeoutMs: 60_000});
			assert.equal(hung.code, 3);
			assert.match(hung.stdout, /Not pushed: the registry at 127\.0\.0\.1:\d+ did not answer within 5 s/);
			assert.ok(hung.ms < 20_000, `${Math.round(hung.ms)} ms`);
		} finally {
			silent.close();
		}
	} finally {
		await registry.close();
	}
});
