// The screens of a flow (deploy, verify, down, up): its steps live on a terminal, with the pods under
// the rollout and questions asked in place; elsewhere one line per finished step.
import type {FlowAction} from '../engine/flow/actions.js';
import type {Questions} from '../engine/flow/questions.js';
import type {FlowState} from '../engine/flow/reducer.js';
import type {StatusAction} from '../engine/status/actions.js';
import type {StatusState} from '../engine/status/reducer.js';
import type {Store} from '../engine/store.js';
import {renderFlowPlain} from '../render/flow-plain.js';
import type {Screens} from './runner.js';

export type PodsUnder = {readonly store: Store<StatusState, StatusAction>; readonly context: string; readonly namespace: string; readonly during: string};

export function flowScreens(
	flow: Store<FlowState, FlowAction>,
	options: {readonly pods?: PodsUnder | undefined; readonly questions?: Questions | undefined} = {},
): Screens {
	return {
		async interactive({onCancel}) {
			const {FlowApp} = await import('../views/flow-app.js');
			return <FlowApp store={flow} pods={options.pods} onAnswer={options.questions?.onAnswer ?? (() => undefined)} onCancel={onCancel} />;
		},
		plain: (out, progress) => renderFlowPlain(flow, out, progress),
	};
}
