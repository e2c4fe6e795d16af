// Terminals as people have them: a tiny window, a dumb one, and a live screen whose cluster does not
// answer. Each in a real terminal (tmux), read as a person would read it.
import assert from 'node:assert/strict';
import net from 'node:net';
import {after, before, test} from 'node:test';
import {cliCommandLine, emptyHome, freePort, makeBin, tempDir} from '../helpers/cli.js';
import {openTerminal} from '../helpers/tmux.js';
import {writeFileSync} from 'node:fs';
import path from 'node:path';

let silent: net.Server;
let silentPort = 0;
const sockets = new Set<net.Socket>();

before(async () => {
	silentPort = await freePort();
	silent = net.createServer(socket => {
		sockets.add(socket);
	});
	await new Promise<void>(resolve => {
		silent.listen(silentPort, '127.0.0.1', resolve);
	});
});

after(async () => {
	for (const socket of sockets) {
		socket.destroy();
	}

	await new Promise(resolve => silent.close(resolve));
});

const doctorLine = (args: string, extra: Record<string, string> = {}) =>
	cliCommandLine(args, {
		PATH: makeBin({}),
		HOME: emptyHome(),
		LANG: 'C.UTF-8',
		DOCKER_HOST: 'unix:///nonexistent/docker.sock',
		TERM: 'xterm-256color',
		...extra,
	});

test('doctor in a 20x6 window: rows are stacked, nothing overlaps, no line is wider than the window', async () => {
	const terminal = openTerminal(doctorLine('doctor'), {width: 20, height: 6});
	try {
		// At 20 columns the shell's "[exit N]" may wrap too.
		const screen = await terminal.waitFor(/\[\s*exit\s+\d+\]/, 30_000);
		const lines = screen.split('\n');
		assert.ok(
			lines.every(line => line.length <= 20),
			screen,
		);
		// Each check's title has a line of its own, and its words are whole.
		for (const title of ['Platform', 'Docker', 'minikube', 'kubectl', 'Helm', 'Trivy']) {
			assert.ok(
				lines.some(line => new RegExp(`^ ?. ${title}\\b`).test(line)),
				`${title}:\n${screen}`,
			);
		}

		assert.match(screen, /Docker is not/);
	} finally {
		terminal.close();
	}
});

test('TERM=dumb gets plain lines, as a pipe does: no live screen', async () => {
	const terminal = openTerminal(doctorLine('doctor', {TERM: 'dumb'}), {width: 100, height: 40});
	try {
		const screen = await terminal.waitFor(/\[exit \d+\]/, 30_000);
		// ok, or warn where this machine's limits are low (inotify, disk).
		assert.match(screen, /^(ok {6}|warn {4})Platform {4}Linux/m);
		assert.match(screen, /^missing Docker {6}Docker is not installed here/m);
		assert.doesNotMatch(screen, /todo-deploy \d+\.\d+\.\d+ · doctor/);
	} finally {
		terminal.close();
	}
});

test('the live status screen against an API server that never answers: it says what it waits for, and q quits at once', async () => {
	const kubeconfig = path.join(tempDir('silent-kube'), 'config');
	writeFileSync(
		kubeconfig,
		`apiVersion: v1\nkind: Config\ncurrent-context: hung\nclusters:\n- name: hung\n  cluster: {server: 'http://127.0.0.1:${silentPort}'}\ncontexts:\n- name: hung\n  context: {cluster: hung, user: u}\nusers:\n- name: u\n  user: {token: t}\n`,
	);
	const terminal = openTerminal(doctorLine('status -n todo', {KUBECONFIG: kubeconfig}), {width: 100, height: 20});
	try {
		await terminal.waitFor(/Connecting to the current context \(todo\)… \(q quits\)/);
		const pressed = Date.now();
		terminal.keys('q');
		await terminal.waitFor(/\[exit 130\]/, 2000);
		assert.ok(Date.now() - pressed < 2000);
	} finally {
		terminal.close();
	}
});
