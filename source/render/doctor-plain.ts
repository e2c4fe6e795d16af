// Plain lines for non-TTY output and CI: each check is printed once, in a fixed order, as soon as
// it and every check before it have finished.
import type {DoctorAction} from '../engine/doctor/actions.js';
import type {DoctorState} from '../engine/doctor/reducer.js';
import {checkIds} from '../engine/doctor/types.js';
import type {Store} from '../engine/store.js';
import {checkLines, recommendationLines} from './doctor-words.js';

export function renderDoctorPlain(store: Store<DoctorState, DoctorAction>, write: (text: string) => void): () => void {
	let printed = 0;
	const flush = (state: DoctorState) => {
		while (printed < checkIds.length) {
			const id = checkIds[printed];
			const check = id === undefined ? undefined : state.checks[id];
			if (id === undefined || check?.type !== 'done') {
				break;
			}

			write(`${checkLines(id, check.outcome).join('\n')}\n`);
			printed++;
		}

		if (state.phase.type === 'done' && state.recommendation) {
			write(`${recommendationLines(state.recommendation, state.phase.durationMs).join('\n')}\n`);
		}
	};

	return store.subscribe((state, action) => {
		if (action.type === 'doctor/check-finished' || action.type === 'doctor/finished') {
			flush(state);
		}
	});
}
