// The doctor's screen: a row per check as it finishes, then the recommended path.
import {Box} from 'ink';
import type {DoctorAction} from '../engine/doctor/actions.js';
import type {DoctorState} from '../engine/doctor/reducer.js';
import {checkIds} from '../engine/doctor/types.js';
import type {Store} from '../engine/store.js';
import {CheckRow} from './check-row.js';
import {RecommendationPanel} from './recommendation-panel.js';
import {useState} from 'react';
import {useCancelKey, useExitWhen} from './app-lifetime.js';
import {useThrottledState} from './use-store.js';
import {Ended, Frame} from './frame.js';

export type DoctorAppProps = {
	readonly store: Store<DoctorState, DoctorAction>;
	readonly version: string;
	/** Ctrl-C: the checks are stopped and the screen ends at once. */
	readonly onCancel?: (() => void) | undefined;
};

export function DoctorScreen({state, version}: {readonly state: DoctorState; readonly version: string}) {
	return (
		<Frame subtitle={`${version} · doctor`}>
			<Box flexDirection="column" marginTop={1}>
				{checkIds.map(id => (
					<CheckRow key={id} id={id} check={state.checks[id]} />
				))}
			</Box>
			{state.recommendation ? <RecommendationPanel recommendation={state.recommendation} /> : null}
			{state.phase.type === 'done' ? (
				<Ended durationMs={state.phase.durationMs} cancelled={false} after={state.recommendation?.target ? 'npx todo-deploy does all of it for you.' : ''} />
			) : null}
		</Frame>
	);
}

/** Follows the store and ends the app once the doctor has drawn its last frame. */
export function DoctorApp({store, version, onCancel}: DoctorAppProps) {
	const state = useThrottledState(store);
	const [cancelled, setCancelled] = useState(false);
	useCancelKey(() => {
		onCancel?.();
		setCancelled(true);
	});
	useExitWhen(state.phase.type === 'done' || cancelled);
	return <DoctorScreen state={state} version={version} />;
}
