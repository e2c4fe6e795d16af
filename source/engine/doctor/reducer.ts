// Pure: the doctor's state from its actions, and the run's outcome (which failure class, if any).
import type {Outcome} from '../outcome.js';
import type {DoctorAction} from './actions.js';
import {checkIds, type CheckId, type CheckState, type Recommendation} from './types.js';

export type DoctorState = {
	readonly phase: {readonly type: 'idle'} | {readonly type: 'running'; readonly startedAt: number} | {readonly type: 'done'; readonly durationMs: number};
	readonly checks: Readonly<Record<CheckId, CheckState>>;
	readonly recommendation: Recommendation | undefined;
};

export function initialDoctorState(): DoctorState {
	const checks = Object.fromEntries(checkIds.map(id => [id, {type: 'pending'}])) as Record<CheckId, CheckState>;
	return {phase: {type: 'idle'}, checks, recommendation: undefined};
}

export function doctorReducer(state: DoctorState, action: DoctorAction): DoctorState {
	switch (action.type) {
		case 'doctor/started': {
			return {...state, phase: {type: 'running', startedAt: action.at}};
		}

		case 'doctor/check-started': {
			if (state.checks[action.id].type !== 'pending') {
				return state;
			}

			return {...state, checks: {...state.checks, [action.id]: {type: 'running', startedAt: action.at}}};
		}

		case 'doctor/check-finished': {
			if (state.checks[action.id].type === 'done') {
				return state;
			}

			return {...state, checks: {...state.checks, [action.id]: {type: 'done', outcome: action.outcome, durationMs: action.durationMs}}};
		}

		case 'doctor/finished': {
			return {...state, phase: {type: 'done', durationMs: action.durationMs}, recommendation: action.recommendation};
		}
	}
}

/** The doctor succeeds when it found a path to a cluster; otherwise something must be fixed first. */
export function doctorOutcome(state: DoctorState): Outcome {
	return {failure: state.recommendation?.target ? undefined : 'fix-first'};
}
