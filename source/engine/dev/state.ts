// What watch mode shows: the folders watched, the change being shipped, and the last one's times
// from the save to the new pod Ready, split into build, transfer and rollout.
import type {ImageName} from '../images/actions.js';

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
	/** How it travelled: "built in place", "loaded", "pushed". */
	readonly via?: string | undefined;
	readonly rolloutMs?: number | undefined;
	/** From the save to every pod Ready. */
	readonly totalMs?: number | undefined;
	readonly tags?: Readonly<Partial<Record<ImageName, string>>> | undefined;
	readonly message?: string | undefined;
	readonly fix?: string | undefined;
};

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
