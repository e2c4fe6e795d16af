// A loopback mirror with the real release layouts (served as --mirror http://127.0.0.1:PORT, so
// https://HOST/PATH is fetched from /HOST/PATH), and faults a test can switch on per path.
import {execFileSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import {chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import net from 'node:net';
import path from 'node:path';
import {tempDir} from './cli.js';
import {realKubeTool} from './kube-tools.js';
import {repoRoot} from './paths.js';

export type Fault =
	| {type: 'status'; status: number}
	| {type: 'truncate'; bytes: number}
	| {type: 'drop'; bytes: number; times?: number}
	| {type: 'hang'}
	| {type: 'slow'; bytesPerSecond: number}
	| {type: 'replace'; body: Buffer};

export type ReleaseServer = {
	url: string;
	/** Requests seen, as "/HOST/PATH". */
	requests: string[];
	fault(pathname: string, fault: Fault | undefined): void;
	close(): Promise<void>;
};

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

function script(file: string, body: string) {
	writeFileSync(file, `#!/bin/sh\n${body}\n`);
	chmodSync(file, 0o755);
}

/**
 * Builds the release files once (cached under .cache/releases): the real helm and kubectl binaries
 * in their real layouts, stand-ins for minikube, kind and trivy in theirs, each with its checksum file.
 */
export function buildReleases(): string {
	const root = path.join(repoRoot, '.cache/releases');
	const marker = path.join(root, '.complete-v3');
	if (existsSync(marker)) {
		return root;
	}

	const work = tempDir('release-build');
	const put = (relative: string, from: string) => {
		const target = path.join(root, relative);
		mkdirSync(path.dirname(target), {recursive: true});
		copyFileSync(from, target);
		return target;
	};

	// helm v4.1.4 (the real binary): helm-vX-linux-amd64.tar.gz holding linux-amd64/helm; .sha256sum is "HASH  NAME".
	mkdirSync(path.join(work, 'linux-amd64'));
	copyFileSync(realKubeTool('helm'), path.join(work, 'linux-amd64/helm'));
	execFileSync('tar', ['-czf', path.join(work, 'helm.tar.gz'), '-C', work, 'linux-amd64/helm']);
	const helm = put('get.helm.sh/helm-v4.1.4-linux-amd64.tar.gz', path.join(work, 'helm.tar.gz'));
	writeFileSync(`${helm}.sha256sum`, `${sha256(helm)}  helm-v4.1.4-linux-amd64.tar.gz\n`);

	// kubectl v1.35.2 (the real binary): a bare binary; .sha256 is the hash alone.
	const kubectl = put('dl.k8s.io/release/v1.35.2/bin/linux/amd64/kubectl', realKubeTool('kubectl'));
	writeFileSync(`${kubectl}.sha256`, sha256(kubectl));

	// minikube: a bare binary; .sha256 is the hash and a newline (as minikube's Makefile writes it).
	// Its start fails as a real minikube does with no way to gcr.io (as here): the captured output, exit 80
	// (ExGuestError), written with shell builtins since a test's PATH may hold nothing else.
	const noRegistry = readFileSync(
		path.join(repoRoot, 'test/fixtures/captured/minikube/minikube-start-GUEST_PROVISION-kicbase-gcr-timeout-v1.37.0.txt'),
		'utf8',
	);
	script(
		path.join(work, 'minikube'),
		`case "$1" in version) echo '{"commit":"f1a2b3c4","minikubeVersion":"v1.38.1"}';; start) while IFS= read -r line; do printf '%s\\n' "$line" >&2; done <<'CAPTURED'\n${noRegistry}CAPTURED\nexit 80;; *) exit 64;; esac`,
	);
	const minikube = put('github.com/kubernetes/minikube/releases/download/v1.38.1/minikube-linux-amd64', path.join(work, 'minikube'));
	writeFileSync(`${minikube}.sha256`, `${sha256(minikube)}\n`);

	// kind: a bare binary; .sha256sum is "HASH  kind-linux-amd64" (shasum -a 256, as kind's cross.sh does).
	script(path.join(work, 'kind'), 'case "$1" in version) echo "kind v0.32.0 go1.25.5 linux/amd64";; *) exit 64;; esac');
	const kind = put('github.com/kubernetes-sigs/kind/releases/download/v0.32.0/kind-linux-amd64', path.join(work, 'kind'));
	writeFileSync(`${kind}.sha256sum`, `${sha256(kind)}  kind-linux-amd64\n`);

	// trivy: trivy_X_Linux-64bit.tar.gz holding trivy at the top, and one goreleaser checksums.txt for every file.
	mkdirSync(path.join(work, 'trivy-dist'));
	script(path.join(work, 'trivy-dist/trivy'), 'echo "Version: 0.74.0"');
	writeFileSync(path.join(work, 'trivy-dist/README.md'), '# trivy\n');
	execFileSync('tar', ['-czf', path.join(work, 'trivy.tar.gz'), '-C', path.join(work, 'trivy-dist'), 'README.md', 'trivy']);
	const trivyDir = 'github.com/aquasecurity/trivy/releases/download/v0.74.0';
	const trivy = put(`${trivyDir}/trivy_0.74.0_Linux-64bit.tar.gz`, path.join(work, 'trivy.tar.gz'));
	writeFileSync(
		path.join(root, trivyDir, 'trivy_0.74.0_checksums.txt'),
		[
			`${'1'.repeat(64)}  trivy_0.74.0_Linux-ARM64.tar.gz`,
			`${sha256(trivy)}  trivy_0.74.0_Linux-64bit.tar.gz`,
			`${'2'.repeat(64)}  trivy_0.74.0_macOS-64bit.tar.gz`,
			'',
		].join('\n'),
	);

	writeFileSync(marker, '');
	return root;
}

/** Listens on a free loopback port; returns the URL. */
async function listenOnLoopback(server: http.Server): Promise<string> {
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Cuts every open connection, so a close never waits for a hung or slow transfer. */
async function closeServer(server: http.Server, sockets: ReadonlySet<net.Socket>): Promise<void> {
	for (const socket of sockets) {
		socket.destroy();
	}

	await new Promise<void>(resolve => server.close(() => resolve()));
}

export async function startReleaseServer(root: string): Promise<ReleaseServer> {
	const faults = new Map<string, Fault>();
	const dropsDone = new Map<string, number>();
	const requests: string[] = [];
	const sockets = new Set<net.Socket>();
	const server = http.createServer((request, response) => {
		const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
		requests.push(pathname);
		const fault = faults.get(pathname);
		if (fault?.type === 'hang') {
			return;
		}

		if (fault?.type === 'status') {
			response.writeHead(fault.status).end();
			return;
		}

		const file = path.join(root, pathname);
		if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) {
			response.writeHead(404, {'content-type': 'text/plain'}).end('Not Found');
			return;
		}

		const body = fault?.type === 'replace' ? fault.body : readFileSync(file);
		response.writeHead(200, {'content-type': 'application/octet-stream', 'content-length': String(body.length)});
		if (fault?.type === 'truncate') {
			response.write(body.subarray(0, fault.bytes));
			response.socket?.end();
			return;
		}

		if (fault?.type === 'drop') {
			const done = dropsDone.get(pathname) ?? 0;
			if (done < (fault.times ?? Number.POSITIVE_INFINITY)) {
				dropsDone.set(pathname, done + 1);
				response.write(body.subarray(0, fault.bytes), () => response.socket?.destroy());
				return;
			}
		}

		if (fault?.type === 'slow') {
			let offset = 0;
			const step = Math.max(1, Math.round(fault.bytesPerSecond / 20));
			const timer = setInterval(() => {
				if (offset >= body.length || response.destroyed) {
					clearInterval(timer);
					response.end();
					return;
				}

				response.write(body.subarray(offset, offset + step));
				offset += step;
			}, 50);
			response.on('close', () => clearInterval(timer));
			return;
		}

		response.end(body);
	});
	server.on('connection', socket => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	return {
		url: await listenOnLoopback(server),
		requests,
		fault(pathname, fault) {
			dropsDone.delete(pathname);
			if (fault) {
				faults.set(pathname, fault);
			} else {
				faults.delete(pathname);
			}
		},
		close: async () => closeServer(server, sockets),
	};
}

/** A forward proxy on loopback (absolute-form requests and CONNECT tunnels) that records where it went. */
export async function startConnectProxy(): Promise<{url: string; tunnels: string[]; close(): Promise<void>}> {
	const tunnels: string[] = [];
	const sockets = new Set<net.Socket>();
	const server = http.createServer((request, response) => {
		const target = new URL(request.url ?? '/');
		tunnels.push(target.host);
		const upstream = http.request(target, {method: request.method, headers: request.headers}, answer => {
			response.writeHead(answer.statusCode ?? 502, answer.headers);
			answer.pipe(response);
		});
		upstream.on('error', () => response.writeHead(502).end());
		request.pipe(upstream);
	});
	server.on('connect', (request: http.IncomingMessage, client: net.Socket, head: Buffer) => {
		const target = request.url ?? '';
		tunnels.push(target);
		const [host = '127.0.0.1', port = '80'] = target.split(':');
		const upstream = net.connect(Number(port), host, () => {
			client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
			upstream.write(head);
			upstream.pipe(client);
			client.pipe(upstream);
		});
		for (const socket of [client, upstream]) {
			sockets.add(socket);
			socket.on('error', () => socket.destroy());
			socket.on('close', () => sockets.delete(socket));
		}
	});
	return {
		url: await listenOnLoopback(server),
		tunnels,
		close: async () => closeServer(server, sockets),
	};
}
