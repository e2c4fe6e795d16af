// The steps of a flow as an engine drives them: set a status, or start one and later end it.
import type {Store} from '../store.js';
import type {FlowAction, StepStatus, StepText} from './actions.js';
import type {FlowState} from './reducer.js';

export type RunningStep = {
	readonly startedAt: number;
	detail(text: StepText): void;
	done(summary: StepText): void;
	failed(message: StepText, fix?: string | undefined, evidence?: readonly string[]): void;
};

export function flowSteps(flow: Store<FlowState, FlowAction>) {
	const set = (id: string, status: StepStatus) => flow.dispatch({type: 'flow/step', id, status});
	const begin = (id: string, detail: StepText): RunningStep => {
		const startedAt = Date.now();
		set(id, {type: 'running', detail, startedAt});
		return {
			startedAt,
			detail: text => set(id, {type: 'running', detail: text, startedAt}),
			done: summary => set(id, {type: 'done', summary, durationMs: Date.now() - startedAt}),
			failed: (message, fix, evidence = []) => set(id, {type: 'failed', message, fix, evidence, durationMs: Date.now() - startedAt}),
		};
	};

	return {set, begin};
}

/** The flow's last line: what happened, how long it took; the screen ends once it is set. */
export function finishFlow(
	flow: Store<FlowState, FlowAction>,
	outcome: {readonly startedAt: number; readonly cancelled: boolean; readonly succeeded: boolean; readonly message: string},
): void {
	flow.dispatch({
		type: 'flow/finished',
		outcome: {
			type: outcome.cancelled ? 'cancelled' : outcome.succeeded ? 'succeeded' : 'failed',
			message: outcome.message,
			durationMs: Date.now() - outcome.startedAt,
		},
	});
}

/** The first step that failed, by its id and title. */
export function failedStep(flow: Store<FlowState, FlowAction>) {
	return flow.getState().steps.find(step => step.status.type === 'failed');
}

/** A flow's rows in order, from {id: title}. */
export function stepList<const Id extends string>(titles: Readonly<Record<Id, string>>): ReadonlyArray<{readonly id: Id; readonly title: string}> {
	return (Object.entries(titles) as Array<[Id, string]>).map(([id, title]) => ({id, title}));
}
