import assert from 'node:assert/strict';
import {existsSync, readdirSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {cliCommandLine, emptyHome, makeBin} from '../helpers/cli.js';
import {makeTodoProject} from '../helpers/images.js';
import {dockerHost, escapeRegExp} from '../helpers/paths.js';
import {buildReleases, startReleaseServer} from '../helpers/release-server.js';
import {openTerminal} from '../helpers/tmux.js';

// A foreground colour escape: ESC [ 3x m, 9x m or 38;5;n m.
const sgrColour = new RegExp(`${String.fromCodePoint(27)}\\[(?:3\\d|9\\d|38;5;\\d+)m`);

const doctorCommand = (args: string, env: Record<string, string>) => cliCommandLine(args, env);

test('in a real terminal the doctor screen draws every check, the recommendation, and exits by itself', async () => {
	const bin = makeBin({real: ['docker']});
	const terminal = openTerminal(doctorCommand('doctor', {PATH: bin, HOME: emptyHome(), TERM: 'xterm-256color', LANG: 'C.UTF-8'}), {width: 120});
	try {
		const screen = await terminal.waitFor(/\[exit \d+\]/);
		assert.match(screen, /todo-deploy \d+\.\d+\.\d+ · doctor/);
		for (const row of [
			/[✔⚠] Platform/,
			new RegExp(`[✔⚠] Docker\\s+Docker Engine [^\\n]* answers at\\s+${escapeRegExp(dockerHost)}`),
			/○ minikube\s+minikube is not installed/,
			/○ Helm\s+Helm is not installed/,
			/○ Kubernetes\s+No kubeconfig yet/,
		]) {
			assert.match(screen, row);
		}

		assert.match(screen, /╭─+╮\n\s*│ Recommended: minikube with the docker driver/);
		assert.match(screen, /│\s+minikube start --driver=docker --cpus=\d --memory=\d+mb( --kubernetes-version=v1\.34\.0)?\s+│/);
		assert.match(screen, /Finished in \d+ ms\./);
		assert.match(screen, /\[exit 0\]/);
		// Ink coloured it: the tmux screen holds SGR colour codes.
		assert.match(terminal.screen({colors: true}), sgrColour);
	} finally {
		terminal.close();
	}
});

test('NO_COLOR removes colour; a narrow terminal wraps without losing the recommendation', async () => {
	const terminal = openTerminal(
		doctorCommand('doctor', {
			PATH: makeBin({}),
			HOME: emptyHome(),
			TERM: 'xterm-256color',
			LANG: 'C.UTF-8',
			NO_COLOR: '1',
			DOCKER_HOST: 'unix:///nonexistent/docker.sock',
		}),
		{width: 60, height: 80},
	);
	try {
		const screen = await terminal.waitFor(/\[exit \d+\]/);
		assert.match(screen, /todo-deploy \d+\.\d+\.\d+ · doctor/);
		assert.match(screen, /Nothing can run a cluster here yet/);
		assert.match(screen, /1\. /);
		assert.match(screen, /\[exit 1\]/);
		assert.ok(
			screen.split('\n').every(line => line.length <= 60),
			'a line is wider than the terminal',
		);
		assert.doesNotMatch(terminal.screen({colors: true}), sgrColour);
	} finally {
		terminal.close();
	}
});

test('the wizard shows its plan after the checks; a step can be switched off; Enter runs it on one live screen', async () => {
	const server = await startReleaseServer(buildReleases());
	const home = emptyHome();
	const bin = makeBin({real: ['docker', 'kubectl']});
	const root = makeTodoProject();
	const terminal = openTerminal(
		`cd ${root} && ${doctorCommand('', {PATH: bin, HOME: home, TERM: 'xterm-256color', LANG: 'C.UTF-8', TODO_DEPLOY_MIRROR: server.url})}`,
		{width: 120, height: 80},
	);
	try {
		await terminal.waitFor(
			/\? Start a cluster \(minikube start --driver=docker[^)]*\),\s+build\s+and\s+load\s+both\s+images,\s+deploy\s+release todo into\s+todo\.[^?]*Go\?/,
		);
		assert.match(terminal.screen(), /› \[x\] install minikube 1\.38\.1, helm 4\.1\.4, trivy 0\.74\.0 \(no sudo, checksum-verified\)/);
		// Down to the load check, switched off.
		for (let index = 0; index < 4; index++) {
			terminal.press('Down');
		}

		terminal.keys(' ');
		await terminal.waitFor(/\[ \] load check: 100 users for 30 s against p95 < 500 ms/);
		terminal.press('Enter');
		const screen = await terminal.waitFor(/\[exit \d+\]/, 60_000);
		assert.match(screen, /✔ Install missing tools\s+minikube, helm, trivy installed \(checksums verified\)/);
		assert.match(screen, /✖ Local cluster\s+minikube start --driver=docker --cpus=\d --memory=\d+mb( --kubernetes-version=v1\.34\.0)?\s/);
		// The stand-in fails as minikube does with no way to gcr.io: said by its reason, wrapped under the row.
		assert.match(screen, /failed: Docker cannot download minikube's node image \(gcr\.io\/k8s-minikube\/kicbase\)/);
		assert.match(screen, /- Load check\s+switched off in the plan/);
		assert.match(screen, /Stopped at "Local cluster"\. The report says what was verified: \.todo-deploy\/report\.md/);
		assert.match(screen, /\[exit 3\]/);
		assert.deepEqual(readdirSync(path.join(home, '.local/share/todo-deploy/bin')).sort(), ['helm', 'minikube', 'trivy']);
	} finally {
		terminal.close();
		await server.close();
	}
});

test('with --kind the plan installs kind, not minikube; Esc declines it, and --open then holds nothing', async () => {
	const server = await startReleaseServer(buildReleases());
	const home = emptyHome();
	const bin = makeBin({real: ['docker', 'kubectl']});
	const root = makeTodoProject();
	const terminal = openTerminal(
		`cd ${root} && ${doctorCommand('--kind demo --open', {PATH: bin, HOME: home, TERM: 'xterm-256color', LANG: 'C.UTF-8', TODO_DEPLOY_MIRROR: server.url})}`,
		{width: 120, height: 80},
	);
	try {
		await terminal.waitFor(/\? Use the kind cluster "demo" \(created if there is none\),\s+build\s+and\s+load\s+both\s+images[^?]*Go\?/);
		const plan = terminal.screen();
		assert.match(
			plan,
			/› \[x\] install (?:kind 0\.32\.0|helm 4\.1\.4|trivy 0\.74\.0)(?:, (?:kind 0\.32\.0|helm 4\.1\.4|trivy 0\.74\.0))* \(no sudo, checksum-verified\)/,
		);
		assert.match(plan, /install [^\n]*kind 0\.32\.0/);
		assert.doesNotMatch(plan, /minikube 1\.\d+/);
		terminal.press('Escape');
		const screen = await terminal.waitFor(/\[exit \d+\]/, 60_000);
		assert.match(screen, /Nothing was changed\./);
		assert.doesNotMatch(screen, /kubeconfig|start a cluster first/);
		assert.match(screen, /\[exit 0\]/);
		assert.ok(!existsSync(path.join(home, '.local/share/todo-deploy/bin')), 'nothing was installed');
	} finally {
		terminal.close();
		await server.close();
	}
});
