// What the bad-input corpus runs against, made once: endpoints that refuse, accept and say nothing,
// or answer nonsense; kubeconfigs of every broken kind; projects with broken files. Everything listens
// on loopback only.
import {chmodSync, mkdirSync, symlinkSync, writeFileSync} from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import {emptyHome, freePort, makeBin, tempDir} from '../helpers/cli.js';
import {realKubeTool} from '../helpers/kube-tools.js';

export type CorpusWorld = {
	/** A TCP port nothing listens on. */
	readonly refusing: number;
	/** Accepts connections and never says a word. */
	readonly silent: number;
	/** An HTTP server that answers every request with 500 and an HTML page. */
	readonly html500: number;
	/** An HTTP server whose every answer quotes a secret back (as an error page with a DATABASE_URL would). */
	readonly leaky: number;
	/** A Unix socket that accepts and never answers (a hung Docker daemon). */
	readonly silentSocket: string;
	readonly leakedSecret: string;
	/** A kubeconfig whose current context points at this server. */
	kubeconfig(server: string, options?: {context?: string; insecure?: boolean}): string;
	/** A project folder with these files. */
	project(files: Readonly<Record<string, string>>): string;
	/** The environment a case runs in: a bin with only these tools, an empty HOME, no cluster, no Docker. */
	env(extra?: Record<string, string | undefined>, tools?: readonly string[]): Record<string, string | undefined>;
	close(): Promise<void>;
};

export async function startCorpusWorld(): Promise<CorpusWorld> {
	const sockets = new Set<net.Socket>();
	const servers: Array<net.Server | http.Server> = [];
	const listen = async (server: net.Server | http.Server, where: number | string) => {
		servers.push(server);
		server.on('connection', (socket: net.Socket) => {
			sockets.add(socket);
			socket.on('close', () => sockets.delete(socket));
		});
		await new Promise<void>(resolve => {
			if (typeof where === 'string') {
				server.listen(where, resolve);
			} else {
				server.listen(where, '127.0.0.1', resolve);
			}
		});
	};

	const leakedSecret = 'pg-Secret-3vQ9xL2m';
	const refusing = await freePort();
	const silent = await freePort();
	await listen(
		net.createServer(() => {
			// Never a word.
		}),
		silent,
	);
	const html500 = await freePort();
	await listen(
		http.createServer((_request, response) => {
			response.writeHead(500, {'content-type': 'text/html'});
			response.end('<html><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>');
		}),
		html500,
	);
	const leaky = await freePort();
	await listen(
		http.createServer((request, response) => {
			response.writeHead(request.url === '/health' ? 200 : 503, {'content-type': 'application/json'});
			response.end(JSON.stringify({status: 'not ready', database: `could not connect to postgresql://todo:${leakedSecret}@db:5432/todo`}));
		}),
		leaky,
	);
	const socketDir = tempDir('corpus-sock');
	const silentSocket = path.join(socketDir, 'docker.sock');
	await listen(
		net.createServer(() => {
			// A daemon that hangs.
		}),
		silentSocket,
	);

	return {
		refusing,
		silent,
		html500,
		leaky,
		silentSocket,
		leakedSecret,
		kubeconfig(server, options = {}) {
			const dir = tempDir('corpus-kube');
			const file = path.join(dir, 'config');
			const context = options.context ?? 'kind-corpus';
			writeFileSync(
				file,
				[
					'apiVersion: v1',
					'kind: Config',
					`current-context: ${context}`,
					'clusters:',
					`- name: ${context}`,
					'  cluster:',
					`    server: ${server}`,
					...(options.insecure ? ['    insecure-skip-tls-verify: true'] : []),
					'contexts:',
					`- name: ${context}`,
					'  context:',
					`    cluster: ${context}`,
					`    user: ${context}`,
					'users:',
					`- name: ${context}`,
					'  user:',
					'    token: corpus-token',
					'',
				].join('\n'),
			);
			chmodSync(file, 0o600);
			return file;
		},
		project(files) {
			const root = tempDir('corpus-project');
			for (const [name, text] of Object.entries(files)) {
				mkdirSync(path.dirname(path.join(root, name)), {recursive: true});
				writeFileSync(path.join(root, name), text);
			}

			return root;
		},
		env(extra = {}, tools = []) {
			const bin = makeBin({real: tools.filter(tool => tool !== 'helm' && tool !== 'kubectl')});
			for (const tool of tools.filter((name): name is 'helm' | 'kubectl' => name === 'helm' || name === 'kubectl')) {
				symlinkSync(realKubeTool(tool), path.join(bin, tool));
			}

			return {
				PATH: bin,
				HOME: emptyHome(),
				LANG: 'C.UTF-8',
				DOCKER_HOST: 'unix:///nonexistent/docker.sock',
				KUBECONFIG: path.join(tempDir('corpus-nokube'), 'config'),
				...extra,
			};
		},
		async close() {
			for (const socket of sockets) {
				socket.destroy();
			}

			await Promise.all(servers.map(async server => new Promise(resolve => server.close(resolve))));
		},
	};
}
