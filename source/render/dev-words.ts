// Watch mode in words: what is watched, and each change from the save to the new pod Ready, with its
// build, transfer and rollout times and what travelled.
import type {DevAction, DevCycle, DevState} from '../engine/dev/state.js';
import {formatBytes, formatDuration} from './format.js';
import {imagesFailure, loadOutcomeWords} from './images-words.js';
import {plainRenderer} from './plain-lines.js';
import {statusWords} from './step-words.js';

/** How the images travelled: "built in place, nothing sent", "loaded, 25.9 MB sent". */
const via = (cycle: DevCycle) => [...new Set((cycle.loads ?? []).map(load => loadOutcomeWords(load)))].join(', ') || undefined;

/** Why a change was not shipped, and what to do. */
export function failureWords(cycle: DevCycle): {readonly text: string; readonly fix: string} {
	const {failure} = cycle;
	switch (failure?.kind) {
		case 'images': {
			const words = imagesFailure(failure.state);
			return {text: words.text, fix: words.fix ?? 'Fix it and save again.'};
		}

		case 'rollout': {
			const words = failure.status ? statusWords(failure.status) : undefined;
			return {
				text: `the new ${cycle.sides.join(' and ')} did not get ready: ${words?.text || 'the rollout did not finish'}${failure.rolledBack ? ' (rolled back: the earlier release runs)' : ''}`,
				fix: words?.fix ?? 'Fix it and save again.',
			};
		}

		case 'error': {
			return {text: failure.message, fix: 'Fix it and save again.'};
		}

		case undefined: {
			return {text: 'it failed', fix: 'Fix it and save again.'};
		}
	}
}

const what = (cycle: DevCycle) => `${cycle.sides.join(' + ')}${cycle.files.length > 0 ? ` (${cycle.files.join(', ')})` : ''}`;

/** "build 1.2 s · transfer 0 ms (built in place, nothing sent) · rollout 4.1 s" */
export function devTimes(cycle: DevCycle): string {
	const parts = [
		cycle.buildMs === undefined ? '' : `build ${formatDuration(cycle.buildMs)}`,
		cycle.transferMs === undefined
			? ''
			: `transfer ${formatDuration(cycle.transferMs)} (${via(cycle) ?? (cycle.bytes ? `${formatBytes(cycle.bytes)} sent` : 'nothing sent')})`,
		cycle.rolloutMs === undefined ? '' : `rollout ${formatDuration(cycle.rolloutMs)}`,
	];
	return parts.filter(Boolean).join(' · ');
}

export function devCycleLine(cycle: DevCycle): string {
	switch (cycle.phase) {
		case 'building': {
			return `${what(cycle)} saved: building`;
		}

		case 'sending': {
			return `${what(cycle)}: built in ${formatDuration(cycle.buildMs ?? 0)}, sending to the cluster`;
		}

		case 'rolling-out': {
			return `${what(cycle)}: rolling out ${Object.values(cycle.tags ?? {}).join(', ')}`;
		}

		case 'ready': {
			return `${what(cycle)}: new pod${cycle.sides.length > 1 ? 's' : ''} Ready ${formatDuration(cycle.totalMs ?? 0)} after the save (${devTimes(cycle)})`;
		}

		case 'unchanged': {
			return `${what(cycle)}: nothing the image sees changed, nothing to ship`;
		}

		case 'failed': {
			const {text, fix} = failureWords(cycle);
			return `${what(cycle)}: not shipped: ${text}\n  fix: ${fix} The next save tries again.`;
		}
	}
}

export function devWatchingLine(state: DevState): string {
	return `Watching ${state.watching.join(' and ')}: each save is built, sent and rolled out by itself. Ctrl-C stops watching; the running release stays.`;
}

export const renderDevPlain = plainRenderer<DevState, DevAction>((state, action, say) => {
	switch (action.type) {
		case 'dev/watching': {
			say.out(devWatchingLine(state));
			return;
		}

		case 'dev/problem': {
			if (action.message) {
				say.out(`watch: ${action.message}`);
			}

			return;
		}

		case 'dev/cycle': {
			const line = devCycleLine(action.cycle);
			if (['ready', 'failed', 'unchanged'].includes(action.cycle.phase)) {
				say.out(line);
			} else {
				say.progress(`dev/${action.cycle.phase}`, line, false);
			}
		}
	}
});
