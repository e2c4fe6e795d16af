import assert from 'node:assert/strict';
import {test} from 'node:test';
import {emptyHome, makeBin} from '../helpers/cli.js';
import {cliPath, nodePath} from '../helpers/paths.js';
import {buildReleases, startReleaseServer} from '../helpers/release-server.js';
import {openTerminal} from '../helpers/tmux.js';

// A foreground colour escape: ESC [ 3x m, 9x m or 38;5;n m.
const sgrColour = new RegExp(`${String.fromCodePoint(27)}\\[(?:3\\d|9\\d|38;5;\\d+)m`);

const shellQuote = (value: string) => `'${value.replaceAll("'", "'\\''")}'`;

function doctorCommand(args: string, env: Record<string, string>): string {
	const assignments = Object.entries(env).map(([key, value]) => `${key}=${shellQuote(value)}`).join(' ');
	return `env -i ${assignments} ${shellQuote(nodePath)} ${shellQuote(cliPath)} ${args}`;
}

test('in a real terminal the doctor screen draws every check, the recommendation, and exits by itself', async () => {
	const bin = makeBin({real: ['docker']});
	const terminal = openTerminal(doctorCommand('doctor', {PATH: bin, HOME: emptyHome(), TERM: 'xterm-256color', LANG: 'C.UTF-8'}), {width: 120});
	try {
		const screen = await terminal.waitFor(/\[exit \d+\]/);
		assert.match(screen, /todo-deploy \d+\.\d+\.\d+ · doctor/);
		for (const row of [/✔ Platform/, /✔ Docker\s+Docker Engine [^\n]* answers at unix:\/\/\/var\/run\/docker\.sock/, /○ minikube\s+minikube is not installed/, /○ Helm\s+Helm is not installed/, /○ Kubernetes\s+No kubeconfig yet/]) {
			assert.match(screen, row);
		}

		assert.match(screen, /╭─+╮\n\s*│ Recommended: minikube with the docker driver/);
		assert.match(screen, /│\s+minikube start --driver=docker --cpus=\d --memory=\d+mb\s+│/);
		assert.match(screen, /Finished in \d+ ms\./);
		assert.match(screen, /\[exit 0\]/);
		// Ink coloured it: the tmux screen holds SGR colour codes.
		assert.match(terminal.screen({colors: true}), sgrColour);
	} finally {
		terminal.close();
	}
});

test('NO_COLOR removes colour; a narrow terminal wraps without losing the recommendation', async () => {
	const terminal = openTerminal(doctorCommand('', {PATH: makeBin({}), HOME: emptyHome(), TERM: 'xterm-256color', LANG: 'C.UTF-8', NO_COLOR: '1', DOCKER_HOST: 'unix:///nonexistent/docker.sock'}), {width: 60, height: 80});
	try {
		const screen = await terminal.waitFor(/\[exit \d+\]/);
		assert.match(screen, /step 1 of 6: doctor/);
		assert.match(screen, /Nothing can run a cluster here yet/);
		assert.match(screen, /1\. /);
		assert.match(screen, /\[exit 1\]/);
		assert.ok(screen.split('\n').every(line => line.length <= 60), 'a line is wider than the terminal');
		assert.doesNotMatch(terminal.screen({colors: true}), sgrColour);
	} finally {
		terminal.close();
	}
});

test('the wizard asks before installing; "y" installs with a live screen, in the same terminal', async () => {
	const server = await startReleaseServer(buildReleases());
	const home = emptyHome();
	const bin = makeBin({real: ['docker', 'kubectl']});
	const terminal = openTerminal(doctorCommand('', {PATH: bin, HOME: home, TERM: 'xterm-256color', LANG: 'C.UTF-8', TODO_DEPLOY_MIRROR: server.url}), {width: 120, height: 80});
	try {
		await terminal.waitFor(/\? Install minikube 1\.38\.1, helm 4\.1\.4, trivy 0\.74\.0 now, without sudo\? \(Y\/n\)/);
		terminal.keys('y');
		const screen = await terminal.waitFor(/\[exit \d+\]/, 30_000);
		assert.match(screen, /Install minikube 1\.38\.1, helm 4\.1\.4, trivy 0\.74\.0 now, without sudo\? yes/);
		assert.match(screen, /todo-deploy install → .*\/\.local\/share\/todo-deploy\/bin/);
		assert.match(screen, /✔ helm 4\.1\.4 installed at [^(]*\/helm \(checksum verified,\s+runs:\s+v4\.1\.4\+g05fa379\)/);
		assert.match(screen, /Next: minikube start --driver=docker/);
		assert.match(screen, /\[exit 0\]/);
	} finally {
		terminal.close();
		await server.close();
	}
});
