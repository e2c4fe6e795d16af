import {Box, Text, useApp} from 'ink';
import {useEffect} from 'react';
import type {DoctorAction} from '../engine/doctor/actions.js';
import type {DoctorState} from '../engine/doctor/reducer.js';
import {checkIds} from '../engine/doctor/types.js';
import type {Store} from '../engine/store.js';
import {formatDuration} from '../render/format.js';
import {CheckRow} from './check-row.js';
import {RecommendationPanel} from './recommendation-panel.js';
import {useThrottledState} from './use-store.js';

export type DoctorAppProps = {
	readonly store: Store<DoctorState, DoctorAction>;
	readonly mode: 'doctor' | 'wizard';
	readonly version: string;
};

export function DoctorScreen({state, mode, version}: {readonly state: DoctorState; readonly mode: DoctorAppProps['mode']; readonly version: string}) {
	const done = state.phase.type === 'done';
	return (
		<Box flexDirection="column" paddingX={1}>
			<Text>
				<Text bold color="magenta">todo-deploy</Text>
				<Text dimColor> {version} · {mode === 'wizard' ? 'step 1 of 6: doctor' : 'doctor'}</Text>
			</Text>
			<Box flexDirection="column" marginTop={1}>
				{checkIds.map(id => <CheckRow key={id} id={id} check={state.checks[id]}/>)}
			</Box>
			{state.recommendation ? <RecommendationPanel recommendation={state.recommendation}/> : null}
			{done && mode === 'wizard' ? (
				<Box flexDirection="column" marginTop={1} paddingX={1}>
					<Text bold>Next steps</Text>
					<Text wrap="wrap">Run the commands above, then run npx todo-deploy again. Install, build, deploy and verify come as the next steps of this wizard; this version stops after the doctor.</Text>
				</Box>
			) : null}
			{state.phase.type === 'done' ? <Text dimColor>{'\n'}Finished in {formatDuration(state.phase.durationMs)}.</Text> : null}
		</Box>
	);
}

/** The only caller of exit(): it ends the app once the doctor has drawn its last frame. */
export function DoctorApp({store, mode, version}: DoctorAppProps) {
	const state = useThrottledState(store);
	const {exit} = useApp();
	const done = state.phase.type === 'done';
	useEffect(() => {
		if (done) {
			exit();
		}
	}, [done, exit]);
	return <DoctorScreen state={state} mode={mode} version={version}/>;
}
