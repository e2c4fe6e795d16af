// A real PostgreSQL (Debian's), on loopback only, in a folder of its own: the database the in-cluster
// "postgresql" pod stands for in the end-to-end tests. Password logins over TCP (scram-sha-256), as
// the chart's PostgreSQL has them; the test's own administration goes over the Unix socket.
import {execFileSync, spawn, type ChildProcess} from 'node:child_process';
import {chownSync, readdirSync} from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import {freePort, tempDir} from './cli.js';

export type Postgres = {
	readonly port: number;
	/** The role with this password, and its database: made, or changed to match (as a fresh volume's entrypoint would). */
	ensureDatabase(user: string, password: string, database: string): void;
	/** A query as the superuser; rows as tab-separated lines. */
	query(sql: string, database?: string): string;
	stop(): Promise<void>;
};

const binDir = () => {
	const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
	return path.join('/usr/lib/postgresql', versions[0] ?? '15', 'bin');
};

/** The postgres user's ids: the server refuses to run as root. */
const user = () => ({
	uid: Number(execFileSync('id', ['-u', 'postgres'], {encoding: 'utf8'}).trim()),
	gid: Number(execFileSync('id', ['-g', 'postgres'], {encoding: 'utf8'}).trim()),
});

const asPostgres = (program: string, args: string[], input?: string) =>
	execFileSync(path.join(binDir(), program), args, {encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'], ...user()});

/** SQL text literal: the value between single quotes, each quote doubled. */
const literal = (value: string) => `'${value.replaceAll("'", "''")}'`;
const identifier = (value: string) => `"${value.replaceAll('"', '""')}"`;

export async function startPostgres(): Promise<Postgres> {
	const dir = tempDir('postgres');
	const ids = user();
	chownSync(dir, ids.uid, ids.gid);
	const data = path.join(dir, 'data');
	execFileSync(path.join(binDir(), 'initdb'), ['-D', data, '-U', 'postgres', '-E', 'UTF8', '--auth-local=trust', '--auth-host=scram-sha-256'], {
		stdio: 'ignore',
		cwd: dir,
		...ids,
	});
	const port = await freePort();
	const server: ChildProcess = spawn(
		path.join(binDir(), 'postgres'),
		['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off'],
		{stdio: 'ignore', cwd: dir, ...ids},
	);
	const deadline = Date.now() + 30_000;
	for (;;) {
		const up = await new Promise<boolean>(resolve => {
			const socket = net.connect(port, '127.0.0.1', () => {
				socket.end();
				resolve(true);
			});
			socket.on('error', () => resolve(false));
		});
		if (up) {
			break;
		}

		if (Date.now() > deadline || server.exitCode !== null) {
			throw new Error(`PostgreSQL did not start on 127.0.0.1:${port}`);
		}

		await new Promise(resolve => setTimeout(resolve, 100));
	}

	const query = (sql: string, database = 'postgres') =>
		asPostgres('psql', ['-h', dir, '-p', String(port), '-U', 'postgres', '-d', database, '-v', 'ON_ERROR_STOP=1', '-tA', '-f', '-'], sql);
	return {
		port,
		query,
		ensureDatabase(user, password, database) {
			// The password goes on stdin, never on a command line.
			const exists = query(`SELECT 1 FROM pg_roles WHERE rolname = ${literal(user)}`).trim() === '1';
			query(`${exists ? 'ALTER' : 'CREATE'} ROLE ${identifier(user)} LOGIN PASSWORD ${literal(password)};`);
			if (query(`SELECT 1 FROM pg_database WHERE datname = ${literal(database)}`).trim() !== '1') {
				query(`CREATE DATABASE ${identifier(database)} OWNER ${identifier(user)};`);
			}
		},
		async stop() {
			if (server.exitCode === null) {
				server.kill('SIGINT');
				await new Promise(resolve => {
					server.once('exit', resolve);
					setTimeout(resolve, 10_000).unref();
				});
			}
		},
	};
}
