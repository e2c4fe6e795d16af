// Plain flow output: each step once when it ends (stdout), what a running step is doing every few
// seconds (stderr), the notes and the outcome.
import type {FlowAction, StepStatus} from '../engine/flow/actions.js';
import type {FlowState} from '../engine/flow/reducer.js';
import {formatDuration} from './format.js';
import {plainRenderer} from './plain-lines.js';
import {statusWords} from './step-words.js';

export function stepLines(title: string, status: StepStatus): string[] {
	const words = statusWords(status);
	switch (status.type) {
		case 'done': {
			return [`✔ ${title}: ${words.text} (${formatDuration(status.durationMs)})`];
		}

		case 'failed': {
			return [`✖ ${title}: ${words.text}`, ...(words.fix ? [`  fix: ${words.fix}`] : []), ...words.evidence.map(line => `  ${line}`)];
		}

		case 'skipped': {
			return [`- ${title}: skipped (${status.reason})`];
		}

		case 'running': {
			return [`… ${title}: ${words.text}`];
		}

		case 'pending': {
			return [];
		}
	}
}

export const renderFlowPlain = plainRenderer<FlowState, FlowAction>((state, action, say) => {
	if (action.type === 'flow/note') {
		say.out(`! ${action.text}`);
		return;
	}

	if (action.type === 'flow/finished') {
		say.out(`${action.outcome.message} (${formatDuration(action.outcome.durationMs)})`);
		return;
	}

	if (action.type !== 'flow/step') {
		return;
	}

	const step = state.steps.find(item => item.id === action.id);
	if (!step || step.status !== action.status) {
		return;
	}

	const lines = stepLines(step.title, action.status);
	if (action.status.type === 'running') {
		say.progress(step.id, lines.join('\n'));
	} else if (lines.length > 0) {
		say.out(lines.join('\n'));
	}
});
