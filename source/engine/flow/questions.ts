// Questions on a flow's screen: the question goes into the state (the screen shows it), the answer
// comes back through onAnswer. A cancelled run answers every open question with undefined.
import type {Store} from '../store.js';
import type {FlowAction, FlowQuestion} from './actions.js';
import type {FlowState} from './reducer.js';

export type Answer = boolean | string | readonly string[] | undefined;

export type Questions = {
	ask(question: FlowQuestion): Promise<Answer>;
	/** A secret, typed masked; an empty answer is none. */
	askSecret(text: string): Promise<string | undefined>;
	/** Yes or no; no (or no answer) is false. */
	confirm(text: string): Promise<boolean>;
	readonly onAnswer: (answer: Answer) => void;
	/** From now on every question (open or asked later) is answered with undefined: the run was cancelled. */
	cancelWith(signal: AbortSignal): void;
};

export function flowQuestions(flow: Store<FlowState, FlowAction>): Questions {
	let pending: ((answer: Answer) => void) | undefined;
	let cancelled = false;
	const ask = async (question: FlowQuestion): Promise<Answer> =>
		new Promise(resolve => {
			if (cancelled) {
				resolve(undefined);
				return;
			}

			pending = answer => {
				pending = undefined;
				flow.dispatch({type: 'flow/ask', question: undefined});
				resolve(answer);
			};

			flow.dispatch({type: 'flow/ask', question});
		});
	return {
		ask,
		async askSecret(text) {
			const answer = await ask({kind: 'secret', text});
			return typeof answer === 'string' && answer !== '' ? answer : undefined;
		},
		async confirm(text) {
			return (await ask({kind: 'confirm', text})) === true;
		},
		onAnswer: answer => pending?.(answer),
		cancelWith(signal) {
			const cancel = () => {
				cancelled = true;
				pending?.(undefined);
			};

			if (signal.aborted) {
				cancel();
			} else {
				signal.addEventListener('abort', cancel, {once: true});
			}
		},
	};
}
