// Questions on the flow screen, answered with keys: the wizard's plan picker, the masked secret prompt
// and a yes/no; the engine's question (flowQuestions) gets what was typed, and nothing shows a secret.
import assert from 'node:assert/strict';
import {test, type TestContext} from 'node:test';
import {render} from 'ink-testing-library';
import type {FlowAction} from '../../source/engine/flow/actions.js';
import {flowQuestions} from '../../source/engine/flow/questions.js';
import {flowReducer, initialFlowState, type FlowState} from '../../source/engine/flow/reducer.js';
import {createStore} from '../../source/engine/store.js';
import {FlowApp} from '../../source/views/flow-app.js';
import {keyboard, keys, settle} from '../helpers/keys.js';

function flowScreen(t: TestContext) {
	const flow = createStore<FlowState, FlowAction>(flowReducer, initialFlowState());
	flow.dispatch({type: 'flow/planned', title: 'up: demo → release todo in todo', steps: [{id: 'doctor', title: 'Check this machine'}]});
	const questions = flowQuestions(flow);
	const app = render(<FlowApp store={flow} onAnswer={questions.onAnswer} />);
	t.after(() => app.unmount());
	return {
		flow,
		questions,
		...keyboard(app),
	};
}

const options = [
	{id: 'install', label: 'install helm 4.1.4 (no sudo, checksum-verified)', on: true},
	{id: 'scan', label: 'scan the images with Trivy', on: true},
	{id: 'load-check', label: 'load check: 100 users for 30 s', on: true},
];

test('the plan picker: ↓ and space switch a step off, Enter goes with the steps left on', async t => {
	const view = flowScreen(t);
	const answer = view.questions.ask({kind: 'plan', text: 'Start a cluster, build, deploy. Go?', options});
	await settle();
	assert.match(view.frame(), /› \[x\] install helm/);
	await view.type(keys.down, ' ', keys.down, 'k', keys.down, ' ', ' ');
	assert.match(view.frame(), /\[ \] scan the images/);
	assert.match(view.frame(), /› \[x\] load check/);
	await view.type(keys.enter);
	assert.deepEqual(await answer, ['install', 'load-check']);
	assert.equal(view.flow.getState().question, undefined, 'the question is gone once answered');
});

test('the plan picker: Esc stops, and nothing is changed', async t => {
	const view = flowScreen(t);
	const answer = view.questions.ask({kind: 'plan', text: 'Go?', options});
	await settle();
	await view.type(keys.escape);
	assert.equal(await answer, undefined);
});

test('the masked prompt shows a dot a character, never the value; backspace takes one back; Enter gives it', async t => {
	const view = flowScreen(t);
	const answer = view.questions.askSecret('Gemini API key (the chatbot; without it the chatbot is off):');
	await settle();
	await view.type('AIzaSy', 'Dx-secret', keys.backspace);
	assert.match(view.frame(), /Gemini API key .* •{14} \(Enter to give, Esc\s+to skip\)/);
	assert.doesNotMatch(view.frame(), /AIza|secre/);
	await view.type(keys.enter);
	assert.equal(await answer, 'AIzaSyDx-secre');
	assert.doesNotMatch(view.frame(), /AIza|secre/);
});

test('the masked prompt: Esc skips it, and a pasted line break is not part of the value', async t => {
	const view = flowScreen(t);
	const skipped = view.questions.askSecret('Gemini API key:');
	await settle();
	await view.type('abc', keys.escape);
	assert.equal(await skipped, undefined);
	const pasted = view.questions.askSecret('Gemini API key:');
	await settle();
	await view.type('line-one\nline-two', keys.enter);
	assert.equal(await pasted, 'line-oneline-two');
});

test('yes/no: y and Enter say yes, n says no; a cancelled run answers every open question', async t => {
	const view = flowScreen(t);
	const first = view.questions.confirm('Roll back to revision 1?');
	await settle();
	await view.type('n');
	assert.equal(await first, false);
	const second = view.questions.confirm('Remove the failed first install?');
	await settle();
	await view.type(keys.enter);
	assert.equal(await second, true);
	const controller = new AbortController();
	view.questions.cancelWith(controller.signal);
	const open = view.questions.confirm('Anything?');
	controller.abort();
	assert.equal(await open, false);
});
