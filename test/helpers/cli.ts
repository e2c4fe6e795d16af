// Runs the built todo-deploy as a user would, with a PATH and HOME the test controls.
import {spawn, execFileSync} from 'node:child_process';
import {chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync} from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {cliPath, dockerHost, nodePath} from './paths.js';

export type CliResult = {code: number | null; stdout: string; stderr: string; ms: number};

export type CliOptions = {
	env?: Record<string, string | undefined>;
	uid?: number;
	gid?: number;
	timeoutMs?: number;
	node?: string;
};

/** A running todo-deploy: its output so far, a wait for a line, and its end. */
export type RunningCli = {
	readonly stdout: () => string;
	readonly stderr: () => string;
	/** Waits until stdout after `from` (a length of stdout) matches; fails with the output if it ends or times out first. */
	waitFor(pattern: RegExp, from: number, timeoutMs: number): Promise<RegExpMatchArray>;
	kill(signal?: NodeJS.Signals): void;
	readonly exited: Promise<number | null>;
};

/**
 * The environment a test gives the CLI, pointed at the tests' Docker engine unless the test names one
 * itself (DOCKER_HOST: undefined leaves it unset, for the docker CLI's own context rules).
 */
export function withTestDocker(env: Readonly<Record<string, string | undefined>>): Record<string, string | undefined> {
	return 'DOCKER_HOST' in env || !process.env['DOCKER_HOST'] ? {...env} : {...env, DOCKER_HOST: dockerHost};
}

const shellQuote = (value: string) => `'${value.replaceAll("'", "'\\''")}'`;

/** The shell line that runs todo-deploy with exactly this environment (env -i), for a real terminal (tmux). */
export function cliCommandLine(args: string, env: Readonly<Record<string, string | undefined>>, options: {cwd?: string; node?: string} = {}): string {
	const assignments = Object.entries(withTestDocker(env))
		.flatMap(([key, value]) => (value === undefined ? [] : [`${key}=${shellQuote(value)}`]))
		.join(' ');
	return `${options.cwd ? `cd ${shellQuote(options.cwd)} && ` : ''}env -i ${assignments} ${shellQuote(options.node ?? nodePath)} ${shellQuote(cliPath)} ${args}`;
}

export function startCli(args: string[], options: Omit<CliOptions, 'timeoutMs'> = {}): RunningCli {
	const child = spawn(options.node ?? nodePath, [cliPath, ...args], {
		env: options.env ? (withTestDocker(options.env) as NodeJS.ProcessEnv) : undefined,
		uid: options.uid,
		gid: options.gid,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let stdout = '';
	let stderr = '';
	child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
		stdout += chunk;
	});
	child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
		stderr += chunk;
	});
	const exited = new Promise<number | null>(resolve => {
		child.on('close', exitCode => {
			resolve(exitCode);
		});
	});
	return {
		stdout: () => stdout,
		stderr: () => stderr,
		async waitFor(pattern, from, timeoutMs) {
			const deadline = Date.now() + timeoutMs;
			for (;;) {
				const match = pattern.exec(stdout.slice(from));
				if (match) {
					return match;
				}

				if (Date.now() > deadline || child.exitCode !== null) {
					throw new Error(`no ${String(pattern)} within ${timeoutMs} ms:\n${stdout}\n${stderr}`);
				}

				await new Promise(resolve => setTimeout(resolve, 100));
			}
		},
		kill: (signal = 'SIGTERM') => child.kill(signal),
		exited,
	};
}

export async function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
	const started = performance.now();
	const running = startCli(args, options);
	const timer = setTimeout(() => running.kill('SIGKILL'), options.timeoutMs ?? 30_000);
	const code = await running.exited;
	clearTimeout(timer);
	return {code, stdout: running.stdout(), stderr: running.stderr(), ms: performance.now() - started};
}

/**
 * A failed run told for an assertion message: the exit code and the failed steps (✖ and the lines under
 * them) first, then the whole output. CI's log keeps the head of a long message, so the cause leads.
 */
export function failureOf(result: CliResult): string {
	const lines = result.stdout.split('\n');
	const failed = lines.flatMap((line, index) => {
		if (!line.startsWith('✖')) {
			return [];
		}

		const under = lines.slice(index + 1).findIndex(next => !/^\s/.test(next));
		return lines.slice(index, index + 1 + (under === -1 ? lines.length : under));
	});
	return [`exit ${String(result.code)}`, ...failed, '--- stderr:', result.stderr.trim(), '--- stdout:', result.stdout].join('\n');
}

export function tempDir(prefix: string): string {
	const directory = mkdtempSync(path.join(os.tmpdir(), `todo-deploy-${prefix}-`));
	chmodSync(directory, 0o755);
	return directory;
}

/** A bin folder holding exactly the tools a test wants: real ones linked in, stand-ins written as scripts. */
export function makeBin(tools: {real?: string[]; scripts?: Record<string, string>}): string {
	const bin = tempDir('bin');
	for (const name of tools.real ?? []) {
		const real = execFileSync('/bin/sh', ['-c', `command -v ${name}`], {encoding: 'utf8'}).trim();
		symlinkSync(real, path.join(bin, name));
	}

	for (const [name, body] of Object.entries(tools.scripts ?? {})) {
		const file = path.join(bin, name);
		writeFileSync(file, `#!/bin/sh\n${body}\n`);
		chmodSync(file, 0o755);
	}

	return bin;
}

/** A HOME with nothing in it, readable by any user. */
export function emptyHome(): string {
	const home = tempDir('home');
	chmodSync(home, 0o777);
	mkdirSync(path.join(home, '.kube'));
	chmodSync(path.join(home, '.kube'), 0o777);
	return home;
}

export function doctorEnv(bin: string, home: string, extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
	return {PATH: bin, HOME: home, LANG: 'C.UTF-8', ...extra};
}

export type DoctorJsonOutput = {
	platform: {os: string; wsl: number | null};
	checks: Array<{
		id: string;
		status: string;
		summary: string;
		detail: string | null;
		fix: string | null;
		incomplete: boolean;
		durationMs: number;
		facts: Record<string, unknown> | null;
	}>;
	recommendation: {
		target: string | null;
		command: string | null;
		why: string;
		rejected: Array<{target: string; why: string}>;
		fixes: string[];
		install: Array<{tool: string}>;
	};
	durationMs: number;
};

export function parseDoctor(result: CliResult): DoctorJsonOutput {
	try {
		return JSON.parse(result.stdout) as DoctorJsonOutput;
	} catch {
		throw new Error(`doctor --json printed no JSON (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
	}
}

export function checkOf(output: DoctorJsonOutput, id: string) {
	const check = output.checks.find(item => item.id === id);
	if (!check) {
		throw new Error(`no ${id} check in ${JSON.stringify(output.checks.map(item => item.id))}`);
	}

	return check;
}

/** A loopback port nothing listens on (for a server to start on, or to find closed). */
export async function freePort(): Promise<number> {
	const server = net.createServer();
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	const {port} = server.address() as net.AddressInfo;
	await new Promise(resolve => server.close(resolve));
	return port;
}
