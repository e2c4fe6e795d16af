// The install's result as lines (plain output) and as data (--json).
import type {ToolInstallStatus} from '../engine/tools/actions.js';
import type {InstallState} from '../engine/tools/reducer.js';
import {describeTransfer, formatDuration} from './format.js';

export function statusLine(tool: string, version: string | undefined, status: ToolInstallStatus): string {
	const name = `${tool} ${version ?? ''}`.trim();
	switch (status.type) {
		case 'pending':
		case 'checking': {
			return `${name}: checking`;
		}

		case 'downloading': {
			return `${name}: downloading, ${describeTransfer(status.received, status.total, status.bytesPerSecond)}${status.attempt > 1 ? ` (attempt ${status.attempt})` : ''}`;
		}

		case 'retrying': {
			return `${name}: ${status.reason}; trying again in ${formatDuration(status.delayMs)} (attempt ${status.attempt})`;
		}

		case 'verifying': {
			return `${name}: verifying the SHA-256 checksum`;
		}

		case 'installing': {
			return `${name}: installing`;
		}

		case 'done': {
			return doneLine(name, tool, status);
		}

		case 'failed': {
			return `${name} not installed: ${status.message}${status.fix ? `\n  fix: ${status.fix}` : ''}`;
		}
	}
}

function doneLine(name: string, tool: string, status: Extract<ToolInstallStatus, {type: 'done'}>): string {
	switch (status.outcome) {
		case 'installed': {
			return `${name} installed at ${status.path} (checksum verified, runs: ${status.version ?? '?'})`;
		}

		case 'already-installed': {
			return `${name} already installed at ${status.path}`;
		}

		case 'found-elsewhere': {
			return `${tool} ${status.version ?? ''} found at ${status.path}; todo-deploy uses it (${status.note ?? ''})`;
		}
	}
}

export function pathAdvice(state: InstallState, pathEnv: string | undefined): string | undefined {
	const {dir} = state;
	const installed = state.tools.some(entry => entry.status.type === 'done' && entry.status.outcome !== 'found-elsewhere');
	if (!dir || !installed || (pathEnv ?? '').split(':').includes(dir)) {
		return undefined;
	}

	return `todo-deploy finds these tools itself. To use them in your shell too:\n  export PATH="${dir}:$PATH"\n  echo 'export PATH="${dir}:$PATH"' >> ~/.bashrc`;
}

export function installJson(state: InstallState) {
	return {
		dir: state.dir ?? null,
		tools: state.tools.map(entry => ({tool: entry.tool, wanted: entry.version ?? null, ...entry.status})),
		durationMs: state.phase.type === 'done' ? Math.round(state.phase.durationMs) : null,
		cancelled: state.phase.type === 'done' && state.phase.cancelled,
	};
}
