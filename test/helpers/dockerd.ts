// A second, private Docker daemon the test can start and stop without touching the shared one.
import {spawn, type ChildProcess} from 'node:child_process';
import {existsSync, mkdirSync} from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import {tempDir} from './cli.js';
import {dockerSocket} from './paths.js';

export type PrivateDockerd = {host: string; socket: string; stop(): Promise<void>};

async function pingSocket(socket: string): Promise<boolean> {
	return new Promise(resolve => {
		const request = http.get({socketPath: socket, path: '/_ping', timeout: 1000}, response => {
			response.resume();
			resolve(response.statusCode === 200);
		});
		request.on('error', () => resolve(false));
		request.on('timeout', () => {
			request.destroy();
			resolve(false);
		});
	});
}

/** A dockerd of the test's own; `env` adds to its environment (a proxy, as a systemd drop-in would give it). */
export async function startPrivateDockerd(options: {readonly env?: Readonly<Record<string, string>>} = {}): Promise<PrivateDockerd> {
	const root = tempDir('dockerd');
	const socket = path.join(root, 'docker.sock');
	for (const folder of ['data', 'exec']) {
		mkdirSync(path.join(root, folder));
	}

	// Sockets have a short path limit; the exec root holds containerd's socket.
	const child: ChildProcess = spawn(
		'dockerd',
		[
			'--host',
			`unix://${socket}`,
			'--data-root',
			path.join(root, 'data'),
			'--exec-root',
			path.join(root, 'exec'),
			'--pidfile',
			path.join(root, 'dockerd.pid'),
			'--bridge=none',
			'--iptables=false',
			'--ip6tables=false',
		],
		{stdio: 'ignore', env: {...process.env, ...options.env}},
	);
	const deadline = Date.now() + 30_000;
	while (!(existsSync(socket) && (await pingSocket(socket)))) {
		if (Date.now() > deadline || child.exitCode !== null) {
			child.kill('SIGKILL');
			throw new Error('the private dockerd did not start within 30 s');
		}

		await new Promise(resolve => setTimeout(resolve, 200));
	}

	return {
		host: `unix://${socket}`,
		socket,
		async stop() {
			if (child.exitCode !== null) {
				return;
			}

			const exited = new Promise(resolve => child.once('exit', resolve));
			child.kill('SIGTERM');
			const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
			await exited;
			clearTimeout(timer);
		},
	};
}

/** Whether the tests' Docker engine answers ($DOCKER_HOST, else the default socket). */
export async function sharedDockerAnswers(): Promise<boolean> {
	return pingSocket(dockerSocket);
}
