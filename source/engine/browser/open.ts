// The user's browser, opened at a URL when they asked for it (up --open, open, the status screen's b):
// $BROWSER when it is set (the convention xdg-open and Python's webbrowser follow); on macOS `open`;
// from WSL the Windows browser (wslview when wslu is installed, else explorer.exe, else
// `cmd.exe /c start` through interop); on a Linux desktop xdg-open. Where there is no desktop, nothing
// is started and the URL is the answer.
import type {System} from '../../adapters/system.js';
import {detectWsl} from '../doctor/platform.js';

export type Opened = {readonly opened: true; readonly with: string} | {readonly opened: false; readonly why: string};

type Way = {readonly command: string; readonly args: readonly string[]; readonly name: string; readonly okCodes?: readonly number[]};

async function ways(system: System, url: string): Promise<Way[]> {
	const found: Way[] = [];
	// $BROWSER: commands separated by colons, %s standing for the URL (else it goes last).
	for (const entry of (system.env['BROWSER'] ?? '').split(':').filter(Boolean)) {
		const [command = '', ...args] = entry.trim().split(/\s+/);
		const path = command.includes('/') ? command : await system.which(command);
		if (path) {
			const withUrl = args.some(arg => arg.includes('%s')) ? args.map(arg => arg.replaceAll('%s', url)) : [...args, url];
			found.push({command: path, args: withUrl, name: `$BROWSER (${command})`});
		}
	}

	if (found.length > 0) {
		return found;
	}

	if (system.platform === 'darwin') {
		return [{command: 'open', args: [url], name: 'open'}];
	}

	const wsl = system.platform === 'linux' && detectWsl(system.kernelRelease, await system.readFile('/proc/version'), system.env) !== null;
	const candidates: Array<[string, string[], number[]?]> = wsl
		? [
				['wslview', [url]],
				// explorer.exe answers 1 even when it opened the page.
				['explorer.exe', [url], [0, 1]],
				['cmd.exe', ['/c', 'start', '""', url.replaceAll('&', '^&')]],
			]
		: system.env['DISPLAY'] || system.env['WAYLAND_DISPLAY']
			? [['xdg-open', [url]]]
			: [];
	for (const [name, args, okCodes] of candidates) {
		const command = await system.which(name);
		if (command) {
			found.push({command, args, name, okCodes});
		}
	}

	return found;
}

export async function openBrowser(system: System, url: string): Promise<Opened> {
	const tried: string[] = [];
	for (const way of await ways(system, url)) {
		// A browser started itself stays running (it is not stopped when todo-deploy ends); xdg-open and its kind return at once.
		const answer = await system.launch(way.command, way.args, 3000);
		if (answer === 'running' || (answer.exitCode !== undefined && (way.okCodes ?? [0]).includes(answer.exitCode))) {
			return {opened: true, with: way.name};
		}

		tried.push(`${way.name}: ${answer.exitCode === undefined ? 'could not start' : `exit ${answer.exitCode}`}`);
	}

	return {
		opened: false,
		why:
			tried.length > 0
				? `the browser did not open (${tried.join('; ')}): open ${url} yourself`
				: `there is no desktop here to open a browser on (no $BROWSER, no DISPLAY): open ${url} in your browser`,
	};
}
