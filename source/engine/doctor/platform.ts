// This machine as the checks need it: the OS, WSL 1 or 2 and its distro, systemd, the tools folder on
// PATH, and how Docker is started here.
import path from 'node:path';
import type {System} from '../../adapters/system.js';
import {defaultInstallDir} from '../tools/catalog.js';
import type {PlatformFacts, WslVersion} from './types.js';

/**
 * WSL 1 kernels are Microsoft's Linux emulation and say "-Microsoft" (4.4.0-18362-Microsoft, 3.4.0-Microsoft);
 * WSL 2 kernels are real Linux and say "microsoft-standard" (often with "-WSL2").
 * A custom WSL 2 kernel may say neither; WSL 1 always says "Microsoft", so then WSL_DISTRO_NAME means WSL 2.
 */
export function detectWsl(kernelRelease: string, procVersion: string | undefined, env: Readonly<Record<string, string | undefined>>): WslVersion {
	const text = `${kernelRelease}\n${procVersion ?? ''}`;
	if (/microsoft-standard|WSL2/i.test(text)) {
		return 2;
	}

	if (/-Microsoft\b|\bMicrosoft@Microsoft\.com\b/.test(text)) {
		return 1;
	}

	if (env['WSL_DISTRO_NAME'] || env['WSL_INTEROP']) {
		return 2;
	}

	return null;
}

export async function detectPlatform(system: System): Promise<PlatformFacts> {
	const [procVersion, systemd] = await Promise.all([
		system.platform === 'linux' ? system.readFile('/proc/version') : Promise.resolve(undefined),
		system.platform === 'linux' ? system.exists('/run/systemd/system') : Promise.resolve(false),
	]);
	const wsl = system.platform === 'linux' ? detectWsl(system.kernelRelease, procVersion, system.env) : null;
	const userBin = defaultInstallDir(system.env, system.homedir);
	const pathEntries = (system.env['PATH'] ?? '').split(path.delimiter).map(entry => path.resolve(entry));
	return {
		os: system.platform,
		arch: system.arch,
		kernel: system.kernelRelease,
		wsl,
		// null, not undefined, so --json always has the key.
		wslDistro: wsl ? (system.env['WSL_DISTRO_NAME'] ?? null) : null,
		systemd,
		cpus: system.cpus,
		memoryMiB: Math.round(system.memoryBytes / 1024 / 1024),
		userBin,
		userBinForShell: userBin.startsWith(`${system.homedir}/`) ? `$HOME${userBin.slice(system.homedir.length)}` : userBin,
		userBinOnPath: pathEntries.includes(userBin),
	};
}

/** What to type to start a Docker Engine installed in this Linux (or WSL) system. */
export function startDockerCommand(platform: PlatformFacts): string {
	if (platform.os === 'darwin') {
		return 'open -a Docker';
	}

	return platform.systemd ? 'sudo systemctl start docker' : 'sudo service docker start';
}
