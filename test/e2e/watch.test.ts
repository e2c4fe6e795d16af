// up --watch: after the first deploy, a save in the backend is built, sent into the "kind" node and
// rolled out by itself (the real helm into the simulated API server, whose kubelet runs the new image
// as a real container), and the new code answers; the frontend is not rolled. A save the image does
// not see ships nothing; a broken build is shown and the next save ships; Ctrl-C leaves the release.
import assert from 'node:assert/strict';
import {readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {cliCommandLine, startCli} from '../helpers/cli.js';
import {openTerminal} from '../helpers/tmux.js';
import {makeTodoProject, removeImages} from '../helpers/images.js';
import {startUpWorld, type UpWorld} from '../helpers/up-world.js';

let world: UpWorld;
const made: string[] = [];

before(async () => {
	world = await startUpWorld(`watch${process.pid}`);
});

after(async () => {
	await world.stop();
	removeImages(made);
});

type Deployment = {metadata: {generation: number}; spec: {template: {spec: {containers: Array<{image: string}>}}}};

test('up --watch ships a backend save by itself, with its times; the frontend stays; a broken build waits for the next save; Ctrl-C leaves the release', async t => {
	const root = makeTodoProject({git: true, app: true});
	const cli = startCli(
		['up', root, '--yes', '--watch', '-n', 'dev', '--url', world.appUrl, '--skip', 'load-check', '--helm-arg=--disable-openapi-validation', '--timeout', '60'],
		{env: world.env()},
	);
	const backend = () => world.cluster.get('Deployment', 'dev', 'todo-todo-app-backend') as Deployment;
	const frontend = () => world.cluster.get('Deployment', 'dev', 'todo-todo-app-frontend') as Deployment;
	try {
		await cli.waitFor(/^Watching backend and frontend: each save is built, sent and rolled out by itself\./m, 0, 240_000);
		made.push(...[...cli.stdout().matchAll(/todo-(?:backend|frontend):git-[0-9a-f]{12}/g)].map(match => match[0]));
		const firstBackend = backend().spec.template.spec.containers[0]?.image ?? '';
		const frontendBefore = frontend();

		// One line of the backend changed.
		let mark = cli.stdout().length;
		const app = path.join(root, 'backend/app.py');
		writeFileSync(app, readFileSync(app, 'utf8').replace('{"status": "ok"}', '{"status": "ok", "build": "second"}'));
		const shipped = await cli.waitFor(
			/^backend \(app\.py\): new pod Ready ([\d.]+) (m?s) after the save \(build [\d.]+ m?s · transfer [\d.]+ m?s \(loaded, [\d.]+ [kM]?B sent\) · rollout [\d.]+ m?s\)$/m,
			mark,
			120_000,
		);
		t.diagnostic(shipped[0]);
		assert.match(backend().spec.template.spec.containers[0]?.image ?? '', /^todo-backend:git-[0-9a-f]{12}-dirty-[0-9a-f]{8}$/);
		assert.notEqual(backend().spec.template.spec.containers[0]?.image, firstBackend);
		made.push(backend().spec.template.spec.containers[0]?.image ?? '');
		// Only the backend rolled: the frontend's Deployment is the one deployed before.
		assert.equal(frontend().metadata.generation, frontendBefore.metadata.generation);
		assert.equal(frontend().spec.template.spec.containers[0]?.image, frontendBefore.spec.template.spec.containers[0]?.image);
		// The new code answers.
		const health = (await (await fetch(`${world.appUrl}/health`)).json()) as {build?: string};
		assert.equal(health.build, 'second', `shipped: ${shipped[0]}`);

		// A file .dockerignore leaves out (*.log) starts nothing.
		mark = cli.stdout().length;
		writeFileSync(path.join(root, 'backend/debug.log'), 'more log\n');
		// A broken build is shown, and the release keeps running the last good image.
		const dockerfile = path.join(root, 'backend/Dockerfile');
		const good = readFileSync(dockerfile, 'utf8');
		writeFileSync(dockerfile, good.replace('CMD', 'RUN echo "broken on purpose" && exit 7\nCMD'));
		await cli.waitFor(/^backend \(Dockerfile\): not shipped: todo-backend:\S+: build failed: .*\n {2}fix: .*The next save tries again\.$/m, mark, 120_000);
		assert.doesNotMatch(cli.stdout().slice(mark), /debug\.log/);
		assert.equal(backend().spec.template.spec.containers[0]?.image, made.at(-1));

		// The next save ships (the Dockerfile mended and one more line changed).
		mark = cli.stdout().length;
		writeFileSync(dockerfile, good);
		writeFileSync(app, readFileSync(app, 'utf8').replace('"build": "second"', '"build": "third"'));
		await cli.waitFor(/^backend \([^)]*app\.py[^)]*\): new pod Ready /m, mark, 120_000);
		made.push(backend().spec.template.spec.containers[0]?.image ?? '');
		assert.equal(((await (await fetch(`${world.appUrl}/health`)).json()) as {build?: string}).build, 'third');
	} finally {
		cli.kill('SIGINT');
	}

	assert.equal(await cli.exited, 0, cli.stdout() + cli.stderr());
	assert.match(cli.stdout(), /^Stopped watching; the last release that got ready keeps running\.$/m);
	assert.ok(world.cluster.get('Deployment', 'dev', 'todo-todo-app-backend'), 'the release is still there');
});

test('on a terminal, watch mode draws the change above the live status screen; q stops watching and exits 0', async () => {
	const root = makeTodoProject({git: true, app: true});
	const terminal = openTerminal(
		cliCommandLine(
			`dev --yes --namespace devtty --url ${world.appUrl} --skip load-check,scan --helm-arg=--disable-openapi-validation`,
			world.env({TERM: 'xterm-256color'}),
			{cwd: root},
		),
		{width: 140, height: 50},
	);
	try {
		const first = await terminal.waitFor(/watching backend, frontend · 0 changes shipped · a save ships by itself[\s\S]*todo-deploy status devtty/, 180_000);
		made.push(...[...first.matchAll(/todo-(?:backend|frontend):git-[0-9a-f]{12}/g)].map(match => match[0]));
		assert.match(first, /waiting for a save/);
		const app = path.join(root, 'backend/app.py');
		writeFileSync(app, readFileSync(app, 'utf8').replace('{"status": "ok"}', '{"status": "ok", "build": "tty"}'));
		const shipped = await terminal.waitFor(/1 change shipped[\s\S]*backend \(app\.py\): new pod Ready [\d.]+ m?s after the save/, 120_000);
		assert.match(shipped, /todo-todo-app-backend-[a-z0-9]+-[a-z0-9]+\s+1\/1\s+Running/);
		made.push((world.cluster.get('Deployment', 'devtty', 'todo-todo-app-backend') as Deployment).spec.template.spec.containers[0]?.image ?? '');
		terminal.keys('q');
		assert.match(await terminal.waitFor(/\[exit \d+\]/, 15_000), /\[exit 0\]/);
	} finally {
		terminal.close();
	}
});

test("watch mode on minikube: a save is built in minikube's own Docker, so nothing is sent, and the new pod runs it", async t => {
	const minikube = await startUpWorld('minikube', 'minikube');
	t.after(async () => minikube.stop());
	const root = makeTodoProject({git: true, app: true});
	const cli = startCli(['up', root, '--yes', '--watch', '-n', 'mkdev', '--skip', 'load-check', '--helm-arg=--disable-openapi-validation', '--timeout', '60'], {
		env: minikube.env(),
	});
	try {
		await cli.waitFor(/^Watching backend and frontend/m, 0, 240_000);
		made.push(...[...cli.stdout().matchAll(/todo-(?:backend|frontend):git-[0-9a-f]{12}/g)].map(match => match[0]));
		const mark = cli.stdout().length;
		const app = path.join(root, 'backend/app.py');
		writeFileSync(app, readFileSync(app, 'utf8').replace('{"status": "ok"}', '{"status": "ok", "build": "in-place"}'));
		const shipped = await cli.waitFor(
			/^backend \(app\.py\): new pod Ready [\d.]+ m?s after the save \(build [\d.]+ m?s · transfer 0 ms \(built in place, nothing sent\) · rollout [\d.]+ m?s\)$/m,
			mark,
			120_000,
		);
		t.diagnostic(shipped[0]);
		const image = (minikube.cluster.get('Deployment', 'mkdev', 'todo-todo-app-backend') as Deployment).spec.template.spec.containers[0]?.image ?? '';
		made.push(image);
		assert.match(image, /^todo-backend:git-[0-9a-f]{12}-dirty-[0-9a-f]{8}$/);
		assert.equal(((await (await fetch(`${minikube.appUrl}/health`)).json()) as {build?: string}).build, 'in-place');
	} finally {
		cli.kill('SIGINT');
		await cli.exited;
	}
});
