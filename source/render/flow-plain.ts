// Plain flow output: each step once when it ends (stdout), what a running step is doing every few
// seconds (stderr), the notes and the outcome.
import type {FlowAction, StepStatus} from '../engine/flow/actions.js';
import type {FlowState} from '../engine/flow/reducer.js';
import type {Store} from '../engine/store.js';
import {formatDuration} from './format.js';

export function stepLines(title: string, status: StepStatus): string[] {
	switch (status.type) {
		case 'done': {
			return [`✔ ${title}: ${status.summary} (${formatDuration(status.durationMs)})`];
		}

		case 'failed': {
			return [`✖ ${title}: ${status.message}`, ...(status.fix ? [`  fix: ${status.fix}`] : []), ...status.evidence.map(line => `  ${line}`)];
		}

		case 'skipped': {
			return [`- ${title}: skipped (${status.reason})`];
		}

		case 'running': {
			return [`… ${title}: ${status.detail}`];
		}

		case 'pending': {
			return [];
		}
	}
}

export function renderFlowPlain(
	store: Store<FlowState, FlowAction>,
	out: (text: string) => void,
	progress: (text: string) => void,
	intervalMs = 3000,
): () => void {
	const lastProgress = new Map<string, number>();
	return store.subscribe((state, action) => {
		if (action.type === 'flow/note') {
			out(`! ${action.text}\n`);
			return;
		}

		if (action.type === 'flow/finished') {
			out(`${action.outcome.message} (${formatDuration(action.outcome.durationMs)})\n`);
			return;
		}

		if (action.type !== 'flow/step') {
			return;
		}

		const step = state.steps.find(item => item.id === action.id);
		if (!step || step.status !== action.status) {
			return;
		}

		if (action.status.type === 'running') {
			const now = Date.now();
			if (now - (lastProgress.get(step.id) ?? 0) >= intervalMs) {
				lastProgress.set(step.id, now);
				progress(`${stepLines(step.title, action.status).join('\n')}\n`);
			}

			return;
		}

		const lines = stepLines(step.title, action.status);
		if (lines.length > 0) {
			out(`${lines.join('\n')}\n`);
		}
	});
}
