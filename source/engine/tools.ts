// Pinned tool versions and their official release layouts, from assets/tools.json.
import tools from '../../assets/tools.json' with {type: 'json'};
import type {InstallStep, PlatformFacts, ToolName} from './doctor/types.js';

type ToolEntry = {readonly version: string; readonly why: string; readonly manual: string};

export function pinnedTool(tool: ToolName): ToolEntry {
	return (tools as unknown as Record<ToolName, ToolEntry>)[tool];
}

const goArch = (arch: string) => (arch === 'x64' ? 'amd64' : arch);

/** The exact no-sudo command that installs the pinned version for this OS and architecture. */
export function installStep(tool: ToolName, platform: Pick<PlatformFacts, 'os' | 'arch'>): InstallStep {
	const entry = pinnedTool(tool);
	const os = platform.os === 'darwin' ? 'darwin' : 'linux';
	const arch = goArch(platform.arch);
	const command = entry.manual
		.replaceAll('{version}', entry.version)
		.replaceAll('{os}', os)
		.replaceAll('{arch}', arch)
		.replaceAll('{trivyOs}', os === 'darwin' ? 'macOS' : 'Linux')
		.replaceAll('{trivyArch}', arch === 'arm64' ? 'ARM64' : '64bit');
	return {tool, version: entry.version, why: entry.why, command};
}
