// Ports on this machine's loopback: whether one is free, which process holds one (as `ss -ltnp`, or
// lsof on macOS, says), and a relay that holds one: it listens on the port and pipes each connection
// to wherever its upstream is at that moment, so the address stays the same while what serves it moves.
import net from 'node:net';
import type {System} from './system.js';

/** The loopback addresses a browser tries for localhost. ::1 only where this machine has IPv6. */
const loopbacks = ['127.0.0.1', '::1'] as const;

function tryListen(port: number, host: string): Promise<net.Server | NodeJS.ErrnoException> {
	return new Promise(resolve => {
		const server = net.createServer();
		server.once('error', error => resolve(error as NodeJS.ErrnoException));
		server.listen({port, host, exclusive: true}, () => resolve(server));
	});
}

const noIpv6 = (error: NodeJS.ErrnoException) => error.code === 'EADDRNOTAVAIL' || error.code === 'EAFNOSUPPORT';

/** Whether nothing listens on the port at 127.0.0.1 (nor at ::1, where there is IPv6). */
export async function portIsFree(port: number): Promise<boolean> {
	for (const host of loopbacks) {
		const answer = await tryListen(port, host);
		if (answer instanceof net.Server) {
			await new Promise(resolve => answer.close(resolve));
		} else if (!(host === '::1' && noIpv6(answer))) {
			return false;
		}
	}

	return true;
}

export type PortHolder = {readonly command: string; readonly pid: number};

/** The process listening on the port, where the OS tells (another user's is hidden unless root). */
export async function portHolder(system: System, port: number): Promise<PortHolder | undefined> {
	if (system.platform === 'darwin') {
		const lsof = await system.which('lsof');
		const result = lsof ? await system.run(lsof, ['-nP', `-iTCP:${port}`, '-sTCP:LISTEN', '-Fpc'], {timeoutMs: 3000}) : undefined;
		const pid = /^p(\d+)$/m.exec(result?.stdout ?? '')?.[1];
		const command = /^c(.+)$/m.exec(result?.stdout ?? '')?.[1];
		return pid && command ? {command, pid: Number(pid)} : undefined;
	}

	const ss = await system.which('ss');
	const result = ss ? await system.run(ss, ['-Hltnp', `sport = :${port}`], {timeoutMs: 3000}) : undefined;
	// LISTEN 0 5 127.0.0.1:39123 0.0.0.0:* users:(("python3",pid=26008,fd=3))
	const found = /users:\(\("([^"]+)",pid=(\d+)/.exec(result?.stdout ?? '');
	return found?.[1] && found[2] ? {command: found[1], pid: Number(found[2])} : undefined;
}

export type Upstream = {readonly host: string; readonly port: number};

export type Relay = {
	readonly port: number;
	/** Closes the listeners and every connection through them. */
	close(): Promise<void>;
};

/**
 * Holds 127.0.0.1:PORT (and [::1]:PORT where there is IPv6). Each connection waits for the upstream
 * (`upstream()` settles when there is one, or with undefined when there is none in time) and is then
 * piped to it; with none, it is closed, as a refused connection would be.
 */
export async function holdPort(port: number, upstream: () => Promise<Upstream | undefined>): Promise<Relay> {
	const sockets = new Set<net.Socket>();
	const track = (socket: net.Socket) => {
		sockets.add(socket);
		socket.once('close', () => sockets.delete(socket));
	};

	const relay = (client: net.Socket) => {
		track(client);
		client.pause();
		client.on('error', () => client.destroy());
		void upstream().then(
			target => {
				if (!target || client.destroyed) {
					client.destroy();
					return;
				}

				const server = net.connect(target.port, target.host);
				track(server);
				server.on('error', () => client.destroy());
				client.on('close', () => server.destroy());
				server.on('close', () => client.destroy());
				client.pipe(server).pipe(client);
				client.resume();
			},
			() => client.destroy(),
		);
	};

	const servers: net.Server[] = [];
	for (const host of loopbacks) {
		const server = net.createServer(relay);
		const error = await new Promise<NodeJS.ErrnoException | undefined>(resolve => {
			server.once('error', failure => resolve(failure as NodeJS.ErrnoException));
			server.listen({port, host, exclusive: true}, () => resolve(undefined));
		});
		if (!error) {
			servers.push(server);
		} else if (!(host === '::1' && noIpv6(error))) {
			await Promise.all(servers.map(async open => new Promise(resolve => open.close(resolve))));
			throw error;
		}
	}

	return {
		port,
		async close() {
			for (const socket of sockets) {
				socket.destroy();
			}

			await Promise.all(servers.map(async server => new Promise(resolve => server.close(resolve))));
		},
	};
}
