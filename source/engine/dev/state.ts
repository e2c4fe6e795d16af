// What watch mode shows: the folders watched, the change being shipped, and the last one's times
// from the save to the new pod Ready, split into build, transfer and rollout.
import type {StepStatus} from '../flow/actions.js';
import type {ImageName, LoadStatus} from '../images/actions.js';
import type {ImagesState} from '../images/reducer.js';

export type DevPhase = 'building' | 'sending' | 'rolling-out' | 'ready' | 'unchanged' | 'failed';

export type DevCycle = {
	readonly sides: readonly ImageName[];
	/** When the first save of this change was seen (ms since the epoch). */
	readonly savedAt: number;
	readonly phase: DevPhase;
	/** The files whose saves started it (a few, relative to their side's folder). */
	readonly files: readonly string[];
	readonly buildMs?: number | undefined;
	readonly transferMs?: number | undefined;
	/** What travelled to the cluster; 0 when the image was built where the cluster runs. */
	readonly bytes?: number | undefined;
	/** How each image travelled (built in place, loaded, pushed). */
	readonly loads?: ReadonlyArray<Extract<LoadStatus, {type: 'done'}>> | undefined;
	readonly rolloutMs?: number | undefined;
	/** From the save to every pod Ready. */
	readonly totalMs?: number | undefined;
	readonly tags?: Readonly<Partial<Record<ImageName, string>>> | undefined;
	/** Why the change was not shipped (phase failed). */
	readonly failure?: DevFailure | undefined;
};

export type DevFailure =
	/** An image did not build or load: the images' state says which and why. */
	| {readonly kind: 'images'; readonly state: ImagesState}
	/** The new pods did not get ready: the rollout's failed row, and whether the earlier release was put back. */
	| {readonly kind: 'rollout'; readonly status: StepStatus | undefined; readonly rolledBack: boolean}
	| {readonly kind: 'error'; readonly message: string};

export type DevState = {
	readonly watching: readonly string[];
	readonly current: DevCycle | undefined;
	readonly last: DevCycle | undefined;
	readonly shipped: number;
	/** Why watching stopped or could not start. */
	readonly problem: string | undefined;
};

export type DevAction =
	| {readonly type: 'dev/watching'; readonly folders: readonly string[]}
	| {readonly type: 'dev/cycle'; readonly cycle: DevCycle}
	| {readonly type: 'dev/problem'; readonly message: string | undefined};

export const initialDevState: DevState = {watching: [], current: undefined, last: undefined, shipped: 0, problem: undefined};

const ended = (phase: DevPhase) => phase === 'ready' || phase === 'failed' || phase === 'unchanged';

export function devReducer(state: DevState, action: DevAction): DevState {
	switch (action.type) {
		case 'dev/watching': {
			return {...state, watching: action.folders};
		}

		case 'dev/cycle': {
			if (!ended(action.cycle.phase)) {
				return {...state, current: action.cycle};
			}

			// A save the image does not see keeps the last shipped change on screen.
			return action.cycle.phase === 'unchanged'
				? {...state, current: undefined}
				: {...state, current: undefined, last: action.cycle, shipped: state.shipped + (action.cycle.phase === 'ready' ? 1 : 0)};
		}

		case 'dev/problem': {
			return {...state, problem: action.message};
		}
	}
}
