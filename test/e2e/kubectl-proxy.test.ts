// A kubeconfig whose server is plain http:// with no TLS settings, as `kubectl proxy` serves (and as
// kubectl itself accepts): the doctor, status, deploy and down all take it, through the real kubectl
// proxy in front of the simulated API server.
import assert from 'node:assert/strict';
import {spawn, type ChildProcess} from 'node:child_process';
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {checkOf, makeBin, parseDoctor, runCli, tempDir} from '../helpers/cli.js';
import {makeTodoProject} from '../helpers/images.js';
import {realKubeTool} from '../helpers/kube-tools.js';
import {startSimulatedCluster, type SimulatedCluster} from '../sim/apiserver.js';
import {startController} from '../sim/controller.js';

let cluster: SimulatedCluster;
let stopController: () => void;
let proxy: ChildProcess;
let kubeconfig: string;
let bin: string;

before(async () => {
	cluster = await startSimulatedCluster({kubeconfigPath: path.join(tempDir('sim'), 'kubeconfig')});
	stopController = startController(cluster, () => ({type: 'ready'}));
	proxy = spawn(realKubeTool('kubectl'), ['proxy', '--port=0', '--kubeconfig', cluster.kubeconfigPath], {stdio: ['ignore', 'pipe', 'pipe']});
	const address = await new Promise<string>((resolve, reject) => {
		let text = '';
		proxy.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
			text += chunk;
			const match = /Starting to serve on (\S+)/.exec(text);
			if (match) {
				resolve(match[1] ?? '');
			}
		});
		proxy.once('exit', code => reject(new Error(`kubectl proxy exited with ${code ?? 'a signal'}: ${text}`)));
	});
	// What a person writes for kubectl proxy: a server, no credentials, no TLS settings.
	kubeconfig = path.join(tempDir('proxy-kube'), 'config');
	writeFileSync(
		kubeconfig,
		`apiVersion: v1
kind: Config
clusters:
- name: proxy
  cluster:
    server: http://${address}
users:
- name: proxy
  user: {}
contexts:
- name: proxy
  context:
    cluster: proxy
    user: proxy
current-context: proxy
`,
	);
	bin = makeBin({real: ['git']});
	const helm = realKubeTool('helm');
	writeFileSync(path.join(bin, 'helm'), `#!/bin/sh\nexec ${helm} "$@"\n`, {mode: 0o755});
});

after(async () => {
	proxy.kill();
	stopController();
	await cluster.close();
});

const env = () => ({
	PATH: `${bin}:/usr/bin:/bin`,
	HOME: tempDir('home'),
	KUBECONFIG: kubeconfig,
	LANG: 'C.UTF-8',
	DOCKER_HOST: 'unix:///nonexistent/docker.sock',
});

test('an http:// kubeconfig (kubectl proxy) works for doctor, deploy, status and down', async () => {
	const doctor = parseDoctor(await runCli(['doctor', '--json'], {env: env()}));
	const clusterCheck = checkOf(doctor, 'cluster');
	assert.match(clusterCheck.summary, /proxy/, clusterCheck.summary);
	assert.doesNotMatch(JSON.stringify(clusterCheck), /not allowed|did not answer|refused/);

	const root = makeTodoProject({git: true});
	const deployed = await runCli(['deploy', root, '-n', 'proxied', '--helm-arg=--disable-openapi-validation'], {env: env(), timeoutMs: 120_000});
	assert.equal(deployed.code, 0, deployed.stdout + deployed.stderr);
	assert.match(deployed.stdout, /^✔ Rollout: 3 pods ready/m);
	assert.ok(cluster.get('Secret', 'proxied', 'todo-todo-app-app-secrets'), 'the Secret went through the proxy');

	const status = await runCli(['status', '-n', 'proxied', '--once'], {env: env()});
	assert.equal(status.code, 0, status.stdout + status.stderr);
	assert.doesNotMatch(status.stderr, /HTTP protocol is not allowed/);
	assert.match(status.stdout, /todo-todo-app-backend-\S+\s+1\/1/);

	const down = await runCli(['down', root, '-n', 'proxied', '--delete-data'], {env: env(), timeoutMs: 60_000});
	assert.equal(down.code, 0, down.stdout + down.stderr);
	assert.equal(cluster.get('Secret', 'proxied', 'todo-todo-app-app-secrets'), undefined);
});
