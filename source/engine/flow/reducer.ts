import type {FlowAction, FlowOutcome, FlowQuestion, StepStatus} from './actions.js';
import {setStatusWhere} from '../reduce.js';

export type FlowStep = {readonly id: string; readonly title: string; readonly status: StepStatus};

export type FlowState = {
	readonly title: string;
	readonly steps: readonly FlowStep[];
	/** Things worth knowing that are not failures (a kept password, a reused release). */
	readonly notes: readonly string[];
	readonly outcome: FlowOutcome | undefined;
	readonly question: FlowQuestion | undefined;
};

export function initialFlowState(): FlowState {
	return {title: '', steps: [], notes: [], outcome: undefined, question: undefined};
}

export function flowReducer(state: FlowState, action: FlowAction): FlowState {
	switch (action.type) {
		case 'flow/planned': {
			return {
				title: action.title,
				steps: action.steps.map(step => ({id: step.id, title: step.title, status: step.skip ? {type: 'skipped', reason: step.skip} : {type: 'pending'}})),
				notes: [],
				outcome: undefined,
				question: undefined,
			};
		}

		case 'flow/step': {
			const steps = setStatusWhere(state.steps, step => step.id === action.id, action.status);
			return steps === state.steps ? state : {...state, steps};
		}

		case 'flow/note': {
			return state.notes.includes(action.text) ? state : {...state, notes: [...state.notes, action.text]};
		}

		case 'flow/ask': {
			return {...state, question: action.question};
		}

		case 'flow/finished': {
			return {...state, outcome: action.outcome};
		}
	}
}

export function stepStatus(state: FlowState, id: string): StepStatus | undefined {
	return state.steps.find(step => step.id === id)?.status;
}
