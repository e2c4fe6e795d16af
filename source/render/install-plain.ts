// Plain install output: each tool's result once on stdout, and progress on stderr every few seconds.
import type {InstallAction} from '../engine/tools/actions.js';
import type {InstallState} from '../engine/tools/reducer.js';
import {statusLine} from './install-words.js';
import {plainRenderer} from './plain-lines.js';

export const renderInstallPlain = plainRenderer<InstallState, InstallAction>((state, action, say) => {
	if (action.type !== 'install/status') {
		return;
	}

	const entry = state.tools.find(item => item.tool === action.tool);
	if (!entry || entry.status !== action.status) {
		return;
	}

	const line = statusLine(entry.tool, entry.version, action.status);
	if (action.status.type === 'done' || action.status.type === 'failed') {
		say.out(line);
	} else {
		say.progress(entry.tool, line, action.status.type === 'downloading');
	}
});
