import {Box, Text, useApp} from 'ink';
import {useEffect, useState} from 'react';
import type {DoctorAction} from '../engine/doctor/actions.js';
import type {DoctorState} from '../engine/doctor/reducer.js';
import {checkIds} from '../engine/doctor/types.js';
import type {Store} from '../engine/store.js';
import {formatDuration} from '../render/format.js';
import {CheckRow} from './check-row.js';
import {Confirm} from './confirm.js';
import {RecommendationPanel} from './recommendation-panel.js';
import {useThrottledState} from './use-store.js';

export type DoctorAppProps = {
	readonly store: Store<DoctorState, DoctorAction>;
	readonly mode: 'doctor' | 'wizard';
	readonly version: string;
	/** In the wizard: asked whether to install what the doctor found missing. */
	readonly onInstallAnswer?: ((yes: boolean) => void) | undefined;
};

export function DoctorScreen({state, mode, version, offerInstall = false}: {readonly state: DoctorState; readonly mode: DoctorAppProps['mode']; readonly version: string; readonly offerInstall?: boolean}) {
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
			{done && mode === 'wizard' && !offerInstall ? (
				<Box flexDirection="column" marginTop={1} paddingX={1}>
					<Text bold>Next steps</Text>
					<Text wrap="wrap">Run the commands above, then run npx todo-deploy again. Build, deploy and verify come as the next steps of this wizard; this version stops after the doctor and the install.</Text>
				</Box>
			) : null}
			{state.phase.type === 'done' ? <Text dimColor>{'\n'}Finished in {formatDuration(state.phase.durationMs)}.</Text> : null}
		</Box>
	);
}

/** The only caller of exit(): it ends the app once the doctor has drawn its last frame (and, in the wizard, been answered). */
export function DoctorApp({store, mode, version, onInstallAnswer}: DoctorAppProps) {
	const state = useThrottledState(store);
	const {exit} = useApp();
	const done = state.phase.type === 'done';
	// Installing is offered only when there is a path to take; otherwise the fixes come first.
	const toInstall = state.recommendation?.target ? state.recommendation.install : [];
	const asking = done && mode === 'wizard' && onInstallAnswer !== undefined && toInstall.length > 0;
	const [answered, setAnswered] = useState(false);
	// Exits after the frame with the answer has been drawn.
	useEffect(() => {
		if (done && (!asking || answered)) {
			exit();
		}
	}, [done, asking, answered, exit]);
	return (
		<Box flexDirection="column">
			<DoctorScreen state={state} mode={mode} version={version} offerInstall={asking}/>
			{asking ? (
				<Box paddingX={1} marginTop={1}>
					<Confirm
						question={`Install ${toInstall.map(step => `${step.tool} ${step.version}`).join(', ')} now, without sudo?`}
						onAnswer={yes => {
							onInstallAnswer(yes);
							setAnswered(true);
						}}
					/>
				</Box>
			) : null}
		</Box>
	);
}
