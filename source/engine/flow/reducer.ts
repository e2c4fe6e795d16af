// Pure: a flow's state (its steps, notes, question and outcome) from the flow's actions.
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
	/** Counts the questions asked: each is a new prompt, even when its text is the last one's. */
	readonly asked: number;
};

export function initialFlowState(): FlowState {
	return {title: '', steps: [], notes: [], outcome: undefined, question: undefined, asked: 0};
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
				asked: state.asked,
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
			return {...state, question: action.question, asked: action.question ? state.asked + 1 : state.asked};
		}

		case 'flow/finished': {
			return {...state, outcome: action.outcome};
		}
	}
}

export function stepStatus(state: FlowState, id: string): StepStatus | undefined {
	return state.steps.find(step => step.id === id)?.status;
}
