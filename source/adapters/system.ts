// The one door to the machine: files, environment, PATH look-ups and process runs.
// Detectors take a System so tests can hand them real captured outputs.
import {constants as fsConstants} from 'node:fs';
import {lookup} from 'node:dns/promises';
import {access, readFile, readlink, stat, statfs} from 'node:fs/promises';
import {spawn} from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import {eachLine} from './lines.js';
import {onFirstUse} from './lazy.js';

export type Env = Readonly<Record<string, string | undefined>>;

export type RunResult = {
	/** The command was found and ran to an exit code. */
	readonly exitCode: number | undefined;
	readonly stdout: string;
	readonly stderr: string;
	readonly timedOut: boolean;
	/** The executable was not found or could not be started. */
	readonly notFound: boolean;
	readonly durationMs: number;
};

export type RunOptions = {
	readonly timeoutMs: number;
	readonly env?: Env;
	/** What the child reads on stdin (a credential helper's server URL); none: stdin is closed. */
	readonly input?: string;
};

/** A child that runs until it is stopped (kubectl port-forward): its lines as they come, and its end. */
export type Started = {
	stop(): void;
	/** Settles when it exits, with what it printed (the last lines of each stream). */
	readonly exited: Promise<RunResult>;
};

export type StartOptions = {
	/** Each line of stdout and stderr, as it arrives. */
	readonly onLine: (line: string, stream: 'stdout' | 'stderr') => void;
	readonly env?: Env;
};

export type System = {
	readonly env: Env;
	readonly platform: NodeJS.Platform;
	readonly arch: string;
	readonly kernelRelease: string;
	readonly cpus: number;
	readonly memoryBytes: number;
	readonly homedir: string;
	readonly uid: number | undefined;
	readFile(file: string): Promise<string | undefined>;
	/** Free and total bytes on the file system that holds this path (its nearest existing folder). */
	freeSpace(file: string): Promise<{readonly free: number; readonly total: number} | undefined>;
	exists(file: string): Promise<boolean>;
	/** Where a symbolic link points (undefined when the path is not a link). */
	readLink(file: string): Promise<string | undefined>;
	/** Whether the current user may read and write the file (a device or socket). */
	canReadWrite(file: string): Promise<'yes' | 'no' | 'absent'>;
	which(command: string): Promise<string | undefined>;
	/** Whether a host name resolves through this machine's resolver within timeoutMs: ok, or the resolver's code (EAI_AGAIN, ENOTFOUND, TIMEOUT). */
	resolves(host: string, timeoutMs: number): Promise<'ok' | string>;
	run(command: string, args: readonly string[], options: RunOptions): Promise<RunResult>;
	/** Starts a long-running child; it is recorded like a run when it exits, and stopped with the system's signal. */
	start(command: string, args: readonly string[], options: StartOptions): Started;
	/**
	 * Starts a program that lives on after todo-deploy (a browser): not stopped with the others.
	 * Settles with its exit code when it ends within waitMs, else with 'running'.
	 */
	launch(command: string, args: readonly string[], waitMs: number): Promise<{readonly exitCode: number | undefined} | 'running'>;
};

export async function whichIn(command: string, env: Env, platform: NodeJS.Platform = process.platform): Promise<string | undefined> {
	const directories = (env['PATH'] ?? '').split(path.delimiter).filter(Boolean);
	const extensions = platform === 'win32' ? (env['PATHEXT'] ?? '.EXE;.CMD;.BAT').split(';') : [''];
	for (const directory of directories) {
		for (const extension of extensions) {
			const candidate = path.join(directory, command + extension);
			try {
				await access(candidate, fsConstants.X_OK);
				const info = await stat(candidate);
				if (info.isFile()) {
					return candidate;
				}
			} catch {
				// Not here; try the next directory.
			}
		}
	}

	return undefined;
}

const loadExeca = onFirstUse(async () => import('execa'));

/**
 * Every child still running, by process group: each child leads its own group, so stopping it stops
 * what it started too (a shell's sleep, kubectl's helpers). Whatever is left when todo-deploy exits
 * is killed then, so no probe or tunnel outlives the command.
 */
const running = new Set<number>();

export function stopGroup(pid: number | undefined, signal: NodeJS.Signals = 'SIGKILL'): void {
	if (pid === undefined) {
		return;
	}

	try {
		process.kill(-pid, signal);
	} catch {
		try {
			process.kill(pid, signal);
		} catch {
			// Already gone.
		}
	}
}

let exitHooked = false;
function track(pid: number | undefined): () => void {
	if (pid === undefined) {
		return () => undefined;
	}

	running.add(pid);
	if (!exitHooked) {
		exitHooked = true;
		process.once('exit', () => {
			for (const group of running) {
				stopGroup(group);
			}
		});
	}

	return () => running.delete(pid);
}

export type RunRecord = {readonly command: string; readonly args: readonly string[]; readonly result: RunResult};

export async function runCommand(
	command: string,
	args: readonly string[],
	options: RunOptions & {env: Env; signal?: AbortSignal | undefined},
): Promise<RunResult> {
	const started = performance.now();
	const {execa} = await loadExeca();
	if (options.signal?.aborted) {
		return {exitCode: undefined, stdout: '', stderr: 'cancelled', timedOut: false, notFound: false, durationMs: 0};
	}

	const child = execa(command, args, {
		// Ctrl-C stops the child too (SIGTERM, then SIGKILL after forceKillAfterDelay).
		...(options.signal ? {cancelSignal: options.signal} : {}),
		env: options.env as Record<string, string>,
		extendEnv: false,
		reject: false,
		...(options.input === undefined ? {stdin: 'ignore' as const} : {input: options.input}),
		timeout: options.timeoutMs,
		forceKillAfterDelay: 500,
		maxBuffer: 4 * 1024 * 1024,
		stripFinalNewline: true,
		windowsHide: true,
		detached: true,
	});
	const untrack = track(child.pid);
	// Stopped (timeout or Ctrl-C): the whole group goes, grandchildren too.
	const stopAll = () => stopGroup(child.pid);
	options.signal?.addEventListener('abort', stopAll, {once: true});
	// A grandchild may hold the pipes open after the kill; never wait for it longer than this.
	let guard: NodeJS.Timeout | undefined;
	const hardStop = new Promise<'hung'>(resolve => {
		guard = setTimeout(() => {
			resolve('hung');
		}, options.timeoutMs + 1500);
		guard.unref();
	});
	const result = await Promise.race([child, hardStop]);
	clearTimeout(guard);
	options.signal?.removeEventListener('abort', stopAll);
	const durationMs = performance.now() - started;
	if (result === 'hung' || result.timedOut || result.isCanceled) {
		stopAll();
	}

	untrack();
	if (result === 'hung') {
		return {exitCode: undefined, stdout: '', stderr: '', timedOut: true, notFound: false, durationMs};
	}

	const notFound = result.exitCode === undefined && !result.timedOut && /ENOENT|EACCES/.test(String(result.code ?? result.message));
	return {
		exitCode: result.exitCode,
		stdout: typeof result.stdout === 'string' ? result.stdout : '',
		stderr: typeof result.stderr === 'string' ? result.stderr : '',
		timedOut: Boolean(result.timedOut),
		notFound,
		durationMs,
	};
}

/**
 * The real machine. `toolsDir` (where todo-deploy installs tools) goes first on PATH for every
 * look-up and child process, while `env` stays what the user has, so advice about PATH is true.
 */
export function createSystem(env: Env = process.env, options: {toolsDir?: string; signal?: AbortSignal; onRun?: (record: RunRecord) => void} = {}): System {
	const current = env['PATH'] ?? '';
	const childEnv: Env =
		options.toolsDir && !current.split(path.delimiter).includes(options.toolsDir)
			? {...env, PATH: current ? `${options.toolsDir}${path.delimiter}${current}` : options.toolsDir}
			: env;
	return {
		env,
		platform: process.platform,
		arch: process.arch,
		kernelRelease: os.release(),
		cpus: os.availableParallelism(),
		memoryBytes: os.totalmem(),
		homedir: env['HOME'] ?? os.homedir(),
		uid: process.getuid?.(),
		async readFile(file) {
			try {
				return await readFile(file, 'utf8');
			} catch {
				return undefined;
			}
		},
		async exists(file) {
			try {
				await access(file);
				return true;
			} catch {
				return false;
			}
		},
		async readLink(file) {
			return readlink(file).catch(() => undefined);
		},
		async freeSpace(file) {
			// The path may not exist yet (the tools folder before the first install): its nearest parent does.
			for (let dir = path.resolve(file); ; dir = path.dirname(dir)) {
				const info = await statfs(dir).catch(() => undefined);
				if (info) {
					return {free: Number(info.bavail) * Number(info.bsize), total: Number(info.blocks) * Number(info.bsize)};
				}

				if (path.dirname(dir) === dir) {
					return undefined;
				}
			}
		},
		async canReadWrite(file) {
			try {
				await access(file, fsConstants.R_OK | fsConstants.W_OK);
				return 'yes';
			} catch (error) {
				return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'absent' : 'no';
			}
		},
		async which(command) {
			return whichIn(command, childEnv);
		},
		async resolves(host, timeoutMs) {
			let timer: NodeJS.Timeout | undefined;
			const late = new Promise<string>(resolve => {
				timer = setTimeout(() => resolve('TIMEOUT'), timeoutMs);
				timer.unref();
			});
			const answer = lookup(host).then(
				() => 'ok',
				(error: unknown) => String((error as NodeJS.ErrnoException).code ?? 'ERROR'),
			);
			try {
				return await Promise.race([answer, late]);
			} finally {
				clearTimeout(timer);
			}
		},
		async run(command, args, runOptions) {
			const result = await runCommand(command, args, {...runOptions, env: runOptions.env ?? childEnv, signal: options.signal});
			options.onRun?.({command, args, result});
			return result;
		},
		start(command, args, startOptions) {
			const started = startCommand(command, args, {...startOptions, env: startOptions.env ?? childEnv, signal: options.signal});
			void started.exited.then(result => options.onRun?.({command, args, result}));
			return started;
		},
		async launch(command, args, waitMs) {
			const began = performance.now();
			const child = spawn(command, [...args], {env: childEnv as NodeJS.ProcessEnv, stdio: 'ignore', detached: true, windowsHide: true});
			child.unref();
			const answer = await new Promise<{exitCode: number | undefined} | 'running'>(resolve => {
				const timer = setTimeout(() => resolve('running'), waitMs);
				child.once('error', () => {
					clearTimeout(timer);
					resolve({exitCode: undefined});
				});
				child.once('exit', code => {
					clearTimeout(timer);
					resolve({exitCode: code ?? undefined});
				});
			});
			const exitCode = answer === 'running' ? undefined : answer.exitCode;
			options.onRun?.({
				command,
				args,
				result: {
					exitCode,
					stdout: '',
					stderr: answer === 'running' ? '(still running: it lives on)' : '',
					timedOut: false,
					notFound: false,
					durationMs: performance.now() - began,
				},
			});
			return answer;
		},
	};
}

const keptOutput = 40;

export function startCommand(
	command: string,
	args: readonly string[],
	options: StartOptions & {readonly env: Env; readonly signal?: AbortSignal | undefined},
): Started {
	const began = performance.now();
	const child = spawn(command, [...args], {
		env: options.env as NodeJS.ProcessEnv,
		stdio: ['ignore', 'pipe', 'pipe'],
		windowsHide: true,
		detached: true,
		...(options.signal ? {signal: options.signal, killSignal: 'SIGKILL'} : {}),
	});
	const untrack = track(child.pid);
	const kept = {stdout: [] as string[], stderr: [] as string[]};
	const follow = (stream: 'stdout' | 'stderr') =>
		eachLine(child[stream], line => {
			kept[stream].push(line);
			kept[stream].splice(0, kept[stream].length - keptOutput);
			options.onLine(line, stream);
		});
	const reading = Promise.all([follow('stdout'), follow('stderr')]).catch(() => undefined);
	const exited = new Promise<RunResult>(resolve => {
		const done = (exitCode: number | undefined, notFound: boolean) => {
			void reading.then(() => {
				resolve({exitCode, stdout: kept.stdout.join('\n'), stderr: kept.stderr.join('\n'), timedOut: false, notFound, durationMs: performance.now() - began});
			});
		};

		child.once('error', error => {
			done(undefined, (error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'EACCES');
		});
		child.once('close', code => {
			untrack();
			done(code ?? undefined, false);
		});
	});
	options.signal?.addEventListener('abort', () => stopGroup(child.pid), {once: true});
	return {
		stop() {
			stopGroup(child.pid, 'SIGTERM');
		},
		exited,
	};
}

export type ToolProbe = {
	readonly path: string | undefined;
	readonly version: string | undefined;
	readonly result: RunResult | undefined;
};

/** Finds a tool on PATH and asks it its version; the parser reads stdout and stderr together. */
export async function probeTool(
	system: System,
	command: string,
	args: readonly string[],
	parse: (output: string) => string | undefined,
	timeoutMs: number,
): Promise<ToolProbe> {
	const toolPath = await system.which(command);
	if (!toolPath) {
		return {path: undefined, version: undefined, result: undefined};
	}

	const result = await system.run(toolPath, args, {timeoutMs});
	return {path: toolPath, version: parse(`${result.stdout}\n${result.stderr}`), result};
}

/** The first "vX.Y.Z" (or "X.Y.Z") in a tool's output, with its leading "v". */
export function firstSemver(output: string): string | undefined {
	const match = /\bv?(\d+\.\d+\.\d+(?:[-+][\w.-]+)?)\b/.exec(output);
	return match ? `v${match[1]}` : undefined;
}

/** Why a run gave no answer, in words for the user. */
export function describeRunFailure(command: string, result: RunResult): string {
	if (result.timedOut) {
		return `\`${command}\` did not answer within ${Math.round(result.durationMs / 1000)} s.`;
	}

	if (result.notFound) {
		return `\`${command}\` could not be started.`;
	}

	const output = (result.stderr || result.stdout).trim().split('\n').slice(-3).join('\n');
	return `\`${command}\` exited with code ${result.exitCode ?? 'unknown'}${output ? `: ${output}` : '.'}`;
}
