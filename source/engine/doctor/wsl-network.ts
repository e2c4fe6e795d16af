// WSL 2 and the Windows browser: whether `http://localhost:PORT` held inside WSL reaches a browser on
// Windows. It depends on the VM's networking mode (NAT by default, mirrored, none, bridged) and, under
// NAT, on localhost forwarding; both are set in the Windows user's %UserProfile%\.wslconfig, read here
// through /mnt/c. `wslinfo --networking-mode` (WSL 2.0 and later) says the mode actually in use, which
// wins over the file (a changed file applies only after `wsl --shutdown`).
import type {System} from '../../adapters/system.js';

export type WslNetwork = {
	/** nat, mirrored, none, bridged, virtioproxy, or what the file or wslinfo says. */
	readonly mode: string;
	/** Where the mode comes from. */
	readonly modeFrom: 'wslinfo' | '.wslconfig' | 'default';
	/** localhostForwarding (NAT only; true unless the file says false). */
	readonly localhostForwarding: boolean;
	/** The .wslconfig read, as a path inside WSL; undefined when none was found. */
	readonly config: string | undefined;
};

/** The keys that matter here, from an INI file: networkingMode under [wsl2] (or [experimental], as WSL 2.0.x had it), localhostForwarding under [wsl2]. */
export function parseWslConfig(text: string): {readonly networkingMode?: string; readonly localhostForwarding?: boolean} {
	let section = '';
	const found: {networkingMode?: string; localhostForwarding?: boolean} = {};
	for (const raw of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
		const line = raw.replace(/[#;].*$/, '').trim();
		const header = /^\[([^\]]+)\]$/.exec(line);
		if (header) {
			section = (header[1] ?? '').trim().toLowerCase();
			continue;
		}

		const pair = /^([\w.]+)\s*=\s*(.*)$/.exec(line);
		if (!pair) {
			continue;
		}

		const key = (pair[1] ?? '').toLowerCase();
		const value = (pair[2] ?? '').trim().replace(/^"(.*)"$/, '$1');
		if (key === 'networkingmode' && (section === 'wsl2' || (section === 'experimental' && found.networkingMode === undefined))) {
			found.networkingMode = value.toLowerCase();
		} else if (key === 'localhostforwarding' && section === 'wsl2') {
			found.localhostForwarding = !/^(false|0|no|off)$/i.test(value);
		}
	}

	return found;
}

/** C:\Users\Ada → /mnt/c/Users/Ada (the default automount root). */
export function wslPathOf(windowsPath: string): string | undefined {
	const match = /^([A-Za-z]):\\(.*)$/.exec(windowsPath.trim());
	return match ? `/mnt/${(match[1] ?? '').toLowerCase()}/${(match[2] ?? '').replaceAll('\\', '/').replace(/\/$/, '')}` : undefined;
}

/** The Windows user's profile folder as seen from WSL: $USERPROFILE when WSLENV passes it, else what cmd.exe says, else /mnt/c/Users/$USER. */
async function windowsProfile(system: System): Promise<string | undefined> {
	const given = system.env['USERPROFILE'];
	if (given) {
		return given.startsWith('/') ? given : wslPathOf(given);
	}

	if (await system.which('cmd.exe')) {
		// cmd.exe warns on stderr when started from a Linux folder ("UNC paths are not supported"); stdout is the path.
		const asked = await system.run('cmd.exe', ['/c', 'echo %USERPROFILE%'], {timeoutMs: 1500});
		const profile = asked.exitCode === 0 ? wslPathOf(asked.stdout.trim().split(/\r?\n/).pop() ?? '') : undefined;
		if (profile) {
			return profile;
		}
	}

	const user = system.env['USER'];
	return user ? `/mnt/c/Users/${user}` : undefined;
}

/** The networking of this WSL 2 VM as far as it can be told from inside. */
export async function readWslNetwork(system: System): Promise<WslNetwork> {
	const [profile, wslinfo] = await Promise.all([
		windowsProfile(system),
		system.which('wslinfo').then(async found => (found ? system.run('wslinfo', ['--networking-mode'], {timeoutMs: 1500}) : undefined)),
	]);
	const config = profile ? `${profile}/.wslconfig` : undefined;
	const text = config ? await system.readFile(config) : undefined;
	const parsed = text === undefined ? {} : parseWslConfig(text);
	const running = wslinfo?.exitCode === 0 ? wslinfo.stdout.trim().toLowerCase() : '';
	const mode = /^[a-z]+$/.test(running) ? running : parsed.networkingMode;
	return {
		mode: mode ?? 'nat',
		modeFrom: mode === undefined ? 'default' : mode === running ? 'wslinfo' : '.wslconfig',
		localhostForwarding: parsed.localhostForwarding ?? true,
		config: text === undefined ? undefined : config,
	};
}

/** What the Windows browser meets, in words: a problem with its fix, or a note that it will work. */
export function windowsBrowserWords(network: WslNetwork): {readonly problem?: {readonly detail: string; readonly fix: string}; readonly note: string} {
	const file = network.config ? network.config.replace(/^\/mnt\/c\/Users\/[^/]+/, '%UserProfile%').replaceAll('/', '\\') : '%UserProfile%\\.wslconfig';
	const from = network.modeFrom === 'wslinfo' ? ' (wslinfo --networking-mode)' : network.modeFrom === '.wslconfig' ? ` (${file})` : '';
	const restart = 'then run wsl --shutdown in PowerShell and open this terminal again';
	if (network.mode === 'mirrored') {
		return {note: `WSL networking is mirrored${from}: the Windows browser reaches http://localhost:PORT held here.`};
	}

	if (network.mode === 'nat') {
		if (!network.localhostForwarding) {
			return {
				note: '',
				problem: {
					detail: `localhostForwarding=false in ${file}: the Windows browser will not reach http://localhost:PORT held inside WSL (todo-deploy's checks, run inside WSL, still pass).`,
					fix: `In ${file}, under [wsl2], remove localhostForwarding=false (or set networkingMode=mirrored), ${restart}.`,
				},
			};
		}

		return {
			note: `WSL networking is NAT${from} with localhost forwarding on: the Windows browser reaches http://localhost:PORT held here (if it stops answering after Windows sleeps, wsl --shutdown brings it back).`,
		};
	}

	return {
		note: '',
		problem: {
			detail: `WSL networking is ${network.mode}${from}: ${network.mode === 'none' ? 'the VM has no network to Windows' : 'localhost here is not localhost on Windows'}, so the Windows browser will not reach http://localhost:PORT held inside WSL.`,
			fix: `In ${file}, under [wsl2], set networkingMode=mirrored (Windows 11 22H2 and later) or remove networkingMode to use NAT, ${restart}.`,
		},
	};
}
