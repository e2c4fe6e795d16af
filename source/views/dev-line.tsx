// Watch mode's two lines above the status screen: what is watched, and the change being shipped (or
// the last one, with its times from the save to the new pod Ready).
import {Box, Text} from 'ink';
import type {DevAction, DevState} from '../engine/dev/state.js';
import type {Store} from '../engine/store.js';
import {devCycleLine} from '../render/dev-words.js';
import {useThrottledState} from './use-store.js';

/** The lines it takes, for the screen below to fit. */
export const devLineHeight = 2;

export function DevLine({store}: {readonly store: Store<DevState, DevAction>}) {
	const state = useThrottledState(store, 100);
	const cycle = state.current ?? state.last;
	const color = cycle?.phase === 'failed' ? 'red' : cycle?.phase === 'ready' ? 'green' : 'yellow';
	return (
		<Box flexDirection="column" paddingX={1}>
			<Text dimColor wrap="truncate-end">
				{state.problem
					? `watch: ${state.problem}`
					: `watching ${state.watching.join(', ') || '…'} · ${state.shipped} change${state.shipped === 1 ? '' : 's'} shipped · a save ships by itself`}
			</Text>
			<Text color={cycle ? color : undefined} dimColor={!cycle} wrap="truncate-end">
				{cycle ? devCycleLine(cycle).split('\n').join(' ') : 'waiting for a save'}
			</Text>
		</Box>
	);
}
