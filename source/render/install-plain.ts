// Plain install output: each tool's result once on stdout, and progress on stderr every few seconds.
import type {InstallAction} from '../engine/tools/actions.js';
import type {InstallState} from '../engine/tools/reducer.js';
import type {Store} from '../engine/store.js';
import {statusLine} from './install-report.js';

export function renderInstallPlain(
	store: Store<InstallState, InstallAction>,
	out: (text: string) => void,
	progress: (text: string) => void,
	intervalMs = 3000,
): () => void {
	const lastProgress = new Map<string, number>();
	return store.subscribe((state, action) => {
		if (action.type !== 'install/status') {
			return;
		}

		const entry = state.tools.find(item => item.tool === action.tool);
		if (!entry || entry.status !== action.status) {
			return;
		}

		if (action.status.type === 'done' || action.status.type === 'failed') {
			out(`${statusLine(entry.tool, entry.version, action.status)}\n`);
			return;
		}

		const now = Date.now();
		const throttled = action.status.type === 'downloading';
		if (!throttled || now - (lastProgress.get(entry.tool) ?? 0) >= intervalMs) {
			lastProgress.set(entry.tool, now);
			progress(`${statusLine(entry.tool, entry.version, action.status)}\n`);
		}
	});
}
