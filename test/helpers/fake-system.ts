// A System whose files, PATH and command outputs are given by the test, from real captured outputs.
import type {RunResult, System} from '../../source/adapters/system.js';

export type FakeRun = Partial<RunResult> | ((args: readonly string[]) => Partial<RunResult> | Promise<Partial<RunResult>>);

export type FakeSystemOptions = {
	readonly env?: Record<string, string | undefined>;
	readonly platform?: NodeJS.Platform;
	readonly arch?: string;
	readonly kernelRelease?: string;
	readonly cpus?: number;
	readonly memoryMiB?: number;
	readonly files?: Record<string, string>;
	readonly devices?: Record<string, 'yes' | 'no' | 'absent'>;
	/** Commands on PATH, by name, with what running them gives. */
	readonly commands?: Record<string, FakeRun>;
	/** Symbolic links, by path, with where they point. */
	readonly links?: Record<string, string>;
	/** What looking a host name up answers, by name (ok when not given). */
	readonly lookups?: Record<string, string>;
	/** Free and total bytes of the disk, for every path. */
	readonly disk?: {readonly free: number; readonly total: number};
};

export function createFakeSystem(options: FakeSystemOptions = {}): System & {readonly runs: string[]} {
	const files = options.files ?? {};
	const commands = options.commands ?? {};
	const runs: string[] = [];
	return {
		runs,
		env: options.env ?? {PATH: '/usr/bin'},
		platform: options.platform ?? 'linux',
		arch: options.arch ?? 'x64',
		kernelRelease: options.kernelRelease ?? '6.8.0-45-generic',
		cpus: options.cpus ?? 4,
		memoryBytes: (options.memoryMiB ?? 8192) * 1024 * 1024,
		homedir: '/home/dev',
		uid: 1000,
		async readFile(file) {
			return files[file];
		},
		async exists(file) {
			return file in files;
		},
		async readLink(file) {
			return options.links?.[file];
		},
		async resolves(host) {
			return options.lookups?.[host] ?? 'ok';
		},
		async freeSpace() {
			return options.disk ?? {free: 200e9, total: 500e9};
		},
		async canReadWrite(file) {
			return options.devices?.[file] ?? (file in files ? 'yes' : 'absent');
		},
		async which(command) {
			return command in commands ? `/usr/bin/${command}` : undefined;
		},
		async launch(command, args) {
			const result = await this.run(command, args, {timeoutMs: 0});
			return {exitCode: result.exitCode};
		},
		start(command, args, startOptions) {
			// A fake long-running child prints its given output, then exits.
			const exited = this.run(command, args, {timeoutMs: 0}).then(result => {
				for (const line of result.stdout.split('\n').filter(Boolean)) {
					startOptions.onLine(line, 'stdout');
				}

				return result;
			});
			return {stop: () => undefined, exited};
		},
		async run(command, args) {
			const name = command.split('/').at(-1) ?? command;
			runs.push([name, ...args].join(' '));
			const fake = commands[name];
			if (!fake) {
				return {exitCode: undefined, stdout: '', stderr: '', timedOut: false, notFound: true, durationMs: 0};
			}

			const result = typeof fake === 'function' ? await fake(args) : fake;
			return {exitCode: 0, stdout: '', stderr: '', timedOut: false, notFound: false, durationMs: 1, ...result};
		},
	};
}
