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
import {keyboard, keys} from '../helpers/keys.js';

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
	await view.waitForFrame(/› \[x\] install helm/);
	await view.press(keys.down, /› \[x\] scan the images/);
	await view.press(' ', /› \[ \] scan the images/);
	await view.press(keys.down, /› \[x\] load check/);
	await view.press('k', /› \[ \] scan the images/);
	await view.press(keys.down, /› \[x\] load check/);
	await view.press(' ', /› \[ \] load check/);
	await view.press(' ', /› \[x\] load check/);
	assert.match(view.frame(), /\[ \] scan the images/);
	view.write(keys.enter);
	assert.deepEqual(await answer, ['install', 'load-check']);
	assert.equal(view.flow.getState().question, undefined, 'the question is gone once answered');
});

test('the plan picker: keys typed faster than a frame is drawn all count', async t => {
	const view = flowScreen(t);
	const answer = view.questions.ask({kind: 'plan', text: 'Go?', options});
	await view.waitForFrame(/› \[x\] install helm/);
	// ↓, space and Enter in one go, before any of them is drawn.
	view.write(keys.down, ' ', keys.enter);
	assert.deepEqual(await answer, ['install', 'load-check']);
});

test('the plan picker: Esc stops, and nothing is changed', async t => {
	const view = flowScreen(t);
	const answer = view.questions.ask({kind: 'plan', text: 'Go?', options});
	await view.waitForFrame(/› \[x\] install helm/);
	view.write(keys.escape);
	assert.equal(await answer, undefined);
});

test('the masked prompt shows a dot a character, never the value; backspace takes one back; Enter gives it', async t => {
	const view = flowScreen(t);
	const answer = view.questions.askSecret('Gemini API key (the chatbot; without it the chatbot is off):');
	await view.waitForFrame(/Gemini API key .*\(Enter to give, Esc\s+to skip\)/);
	await view.press('AIzaSy', /•{6} \(Enter/);
	await view.press('Dx-secret', /•{15} \(Enter/);
	await view.press(keys.backspace, /•{14} \(Enter/);
	assert.match(view.frame(), /Gemini API key .* •{14} \(Enter to give, Esc\s+to skip\)/);
	assert.doesNotMatch(view.frame(), /AIza|secre/);
	view.write(keys.enter);
	assert.equal(await answer, 'AIzaSyDx-secre');
	assert.doesNotMatch(view.frame(), /AIza|secre/);
});

test('the masked prompt: a value pasted and Enter at once is given whole', async t => {
	const view = flowScreen(t);
	const answer = view.questions.askSecret('Gemini API key:');
	await view.waitForFrame(/Gemini API key: .*\(Enter to give/);
	// Enter arrives before the frame that shows the pasted value.
	view.write('pasted-key', 'more', keys.backspace, keys.enter);
	assert.equal(await answer, 'pasted-keymor');
});

test('the masked prompt: Esc skips it, and a pasted line break is not part of the value; the same question asked again is a new prompt', async t => {
	const view = flowScreen(t);
	const skipped = view.questions.askSecret('Gemini API key:');
	await view.waitForFrame(/Gemini API key: .*\(Enter to give/);
	await view.press('abc', /•{3} \(Enter/);
	view.write(keys.escape);
	assert.equal(await skipped, undefined);
	const pasted = view.questions.askSecret('Gemini API key:');
	await view.waitForFrame(/Gemini API key: +\(Enter to give/);
	await view.press('line-one\nline-two', /•{16} \(Enter/);
	view.write(keys.enter);
	assert.equal(await pasted, 'line-oneline-two');
});

test('yes/no: y and Enter say yes, n says no; a cancelled run answers every open question', async t => {
	const view = flowScreen(t);
	const first = view.questions.confirm('Roll back to revision 1?');
	await view.waitForFrame(/Roll back to revision 1\? \(Y\/n\)/);
	view.write('n');
	assert.equal(await first, false);
	const second = view.questions.confirm('Remove the failed first install?');
	await view.waitForFrame(/Remove the failed first install\? \(Y\/n\)/);
	view.write(keys.enter);
	assert.equal(await second, true);
	const controller = new AbortController();
	view.questions.cancelWith(controller.signal);
	const open = view.questions.confirm('Anything?');
	controller.abort();
	assert.equal(await open, false);
});
