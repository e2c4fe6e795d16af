// The tools todo-deploy installs: pinned versions and release layouts from assets/tools.json.
import path from 'node:path';
import tools from '../../../assets/tools.json' with {type: 'json'};
import type {Env} from '../../adapters/system.js';
import type {ToolName} from '../doctor/types.js';

export const toolNames = ['helm', 'kubectl', 'minikube', 'kind', 'trivy'] as const satisfies readonly ToolName[];

export function isToolName(name: string): name is ToolName {
	return (toolNames as readonly string[]).includes(name);
}

type ToolEntry = {
	readonly version: string;
	readonly why: string;
	readonly url: string;
	readonly checksumUrl: string;
	readonly member: string | null;
	readonly versionArgs: readonly string[];
};

export function pinnedTool(tool: ToolName): ToolEntry {
	return (tools as unknown as Record<ToolName, ToolEntry>)[tool];
}

export type ReleasePlatform = {readonly os: 'linux' | 'darwin'; readonly arch: 'amd64' | 'arm64'};

/** Node's platform and arch as release file names spell them; WSL 2 is linux. */
export function releasePlatform(platform: string, arch: string): ReleasePlatform | {readonly unsupported: string} {
	const os = platform === 'linux' ? 'linux' : platform === 'darwin' ? 'darwin' : undefined;
	const goArch = arch === 'x64' ? 'amd64' : arch === 'arm64' ? 'arm64' : undefined;
	if (!os || !goArch) {
		return {
			unsupported: `${platform}/${arch} is not a platform todo-deploy installs tools for (linux or macOS, amd64 or arm64)${platform === 'win32' ? '; on Windows, run todo-deploy inside a WSL 2 distro' : ''}`,
		};
	}

	return {os, arch: goArch};
}

/** For air-gapped and corporate networks: https://HOST/PATH becomes MIRROR/HOST/PATH. */
export function applyMirror(url: string, mirror: string | undefined): string {
	if (!mirror) {
		return url;
	}

	const parsed = new URL(url);
	return `${mirror.replace(/\/+$/, '')}/${parsed.host}${parsed.pathname}${parsed.search}`;
}

export type ToolRelease = {
	readonly tool: ToolName;
	readonly version: string;
	readonly why: string;
	readonly url: string;
	readonly checksumUrl: string;
	/** The file's name in a checksum list. */
	readonly fileName: string;
	readonly member: string | null;
	readonly versionArgs: readonly string[];
};

export function toolRelease(tool: ToolName, platform: ReleasePlatform, options: {version?: string | undefined; mirror?: string | undefined} = {}): ToolRelease {
	const entry = pinnedTool(tool);
	const version = (options.version ?? entry.version).replace(/^v/, '');
	const fill = (template: string) =>
		template
			.replaceAll('{version}', version)
			.replaceAll('{os}', platform.os)
			.replaceAll('{arch}', platform.arch)
			.replaceAll('{trivyOs}', platform.os === 'darwin' ? 'macOS' : 'Linux')
			.replaceAll('{trivyArch}', platform.arch === 'arm64' ? 'ARM64' : '64bit');
	const url = fill(entry.url);
	return {
		tool,
		version,
		why: entry.why,
		url: applyMirror(url, options.mirror),
		checksumUrl: applyMirror(fill(entry.checksumUrl), options.mirror),
		fileName: url.split('/').at(-1) ?? url,
		member: entry.member === null ? null : fill(entry.member),
		versionArgs: entry.versionArgs,
	};
}

/**
 * A checksum file holds one bare SHA-256 (minikube, kubectl) or sha256sum lines, "HASH  NAME"
 * (helm's .sha256sum, kind's .sha256sum, Trivy's checksums.txt). Returns the hash for fileName.
 */
export function checksumFor(text: string, fileName: string): string | undefined {
	const lines = text
		.split('\n')
		.map(line => line.trim())
		.filter(Boolean);
	const bare = lines.length === 1 ? /^([a-f\d]{64})$/i.exec(lines[0] ?? '') : null;
	if (bare?.[1]) {
		return bare[1].toLowerCase();
	}

	for (const line of lines) {
		const match = /^([a-f\d]{64})\s+\*?(.+)$/i.exec(line);
		if (match?.[1] && match[2] && path.posix.basename(match[2].trim()) === fileName) {
			return match[1].toLowerCase();
		}
	}

	return undefined;
}

/** Where tools go without sudo: $XDG_DATA_HOME/todo-deploy/bin, by default ~/.local/share/todo-deploy/bin. */
export function defaultInstallDir(env: Env, homedir: string): string {
	const dataHome = env['XDG_DATA_HOME'] && path.isAbsolute(env['XDG_DATA_HOME']) ? env['XDG_DATA_HOME'] : path.join(homedir, '.local', 'share');
	return path.join(dataHome, 'todo-deploy', 'bin');
}

/** "v4.2.4+g05fa379" and "4.2.4" are the same release. */
export function sameVersion(found: string | undefined, wanted: string): boolean {
	const core = (value: string) => value.trim().replace(/^v/, '').split('+')[0];
	return found !== undefined && core(found) === core(wanted);
}
