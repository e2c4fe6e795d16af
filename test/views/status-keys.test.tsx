// The status screen's keys, typed into the Ink app (ink-testing-library), on the failures scenario:
// real captured pods and events, one pod for each way a pod fails.
import assert from 'node:assert/strict';
import {test, type TestContext} from 'node:test';
import type {KubernetesObject} from '@kubernetes/client-node';
import {render} from 'ink-testing-library';
import {StatusApp} from '../../source/views/status-app.js';
import {scenarioStore} from '../helpers/scenario-state.js';
import {keyboard, keys} from '../helpers/keys.js';

function screen(t: TestContext, size: {columns?: number; rows?: number} = {}, scenario = 'failures') {
	const store = scenarioStore(scenario);
	const calls: string[] = [];
	const app = render(
		<StatusApp
			store={store}
			context="kind-todo"
			namespace="todo"
			onLogs={(pod, container, previous) => calls.push(`logs ${pod} ${container}${previous ? ' previous' : ''}`)}
			onRestart={pod => calls.push(`restart ${pod}`)}
			onFollow={(pod, container) => calls.push(`follow ${pod ?? '-'} ${container}`)}
			onForward={(pod, remote, local) => calls.push(`forward ${pod} ${remote} ${local ?? 'any'}`)}
			onStopForward={() => calls.push('stop forward')}
			onQuit={() => calls.push('quit')}
		/>,
	);
	// ink-testing-library's stdout is 100 columns; a terminal of another size, and its resize.
	const resize = (columns: number, rows: number) => {
		Object.defineProperty(app.stdout, 'columns', {configurable: true, get: () => columns});
		Object.defineProperty(app.stdout, 'rows', {configurable: true, get: () => rows});
		app.stdout.emit('resize');
	};

	// A test that fails still ends its app, or the runner would wait for it.
	t.after(() => app.unmount());
	resize(size.columns ?? 120, size.rows ?? 45);
	return {
		store,
		calls,
		resize,
		...keyboard(app),
	};
}

const last = (calls: readonly string[], expected: string) => () => calls.at(-1) === expected;

test("↓ and j move the selection, and the panel shows the selected pod's diagnosis; ↑ goes back", async t => {
	const view = screen(t);
	await view.waitForFrame(/› todo-api-5b4c3d2e1-z9y8x/);
	await view.press(keys.down, /› todo-backend-6c9f7d5b8-x2x7q/);
	assert.match(view.frame(), /keeps crashing \(exit 1, 10 restarts\)/);
	await view.press('j', /› todo-chatbot-8e7d6c5b4-q1w2e/);
	assert.match(view.frame(), /OOMKilled|out of memory/i);
	await view.press(keys.up, /› todo-backend-6c9f7d5b8-x2x7q/);
	await view.press(keys.up, /› todo-api-5b4c3d2e1-z9y8x/);
});

test('l and p ask the engine for logs of the selected container; f follows, and another key stops following', async t => {
	const view = screen(t);
	await view.waitForFrame(/› todo-api-5b4c3d2e1-z9y8x/);
	await view.press(keys.down, /› todo-backend-6c9f7d5b8-x2x7q/);
	await view.pressUntil('l', () => view.calls.length > 0, 'a call for the logs');
	assert.deepEqual(view.calls, ['logs todo-backend-6c9f7d5b8-x2x7q quitter']);
	await view.pressUntil('p', last(view.calls, 'logs todo-backend-6c9f7d5b8-x2x7q quitter previous'), 'a call for the previous logs');
	await view.pressUntil('f', last(view.calls, 'follow todo-backend-6c9f7d5b8-x2x7q quitter'), 'a call to follow the logs');
	view.store.dispatch({
		type: 'status/panel',
		panel: {type: 'logs', pod: 'todo-backend-6c9f7d5b8-x2x7q', container: 'quitter', previous: false, lines: ['starting'], following: true},
	});
	await view.waitForFrame(/starting/);
	await view.pressUntil('e', last(view.calls, 'follow - quitter'), 'a call that stops following');
});

test('c moves to the next container, init containers too, and shows its logs', async t => {
	const view = screen(t, {}, 'every-failure');
	const init = 'todo-migrate-4f5e6d7c8-a1b2c';
	view.store.dispatch({type: 'status/select', pod: init});
	await view.waitForFrame(new RegExp(`› ${init}`));
	const pod = view.store.getState().pods.get(init);
	const names = [...(pod?.spec?.containers ?? []), ...(pod?.spec?.initContainers ?? [])].map(container => container.name);
	assert.ok(names.length >= 2, names.join());
	await view.pressUntil('c', last(view.calls, `logs ${init} ${names[1] ?? ''}`), 'the logs of the second container');
	await view.pressUntil('c', last(view.calls, `logs ${init} ${names[2 % names.length] ?? ''}`), 'the logs of the next container');
});

test("e shows the pod's events folded as describe does, w the namespace's warnings, d the pod described", async t => {
	const view = screen(t);
	await view.waitForFrame(/› todo-api-5b4c3d2e1-z9y8x/);
	await view.press(keys.down, /› todo-backend-6c9f7d5b8-x2x7q/);
	await view.press('e', /Events of todo-backend-6c9f7d5b8-x2x7q, newest first/);
	assert.match(view.frame(), /BackOff\s+\S+ \(x256 over/);
	await view.press('w', /FailedScheduling/);
	await view.press('d', /restarts 10|10 restarts/);
	assert.match(view.frame(), /quitter/);
	await view.press(keys.enter, /keeps crashing/);
});

test("o opens the port-forward panel: ←/→ choose the pod's port, digits type the local one, Enter starts it, o again stops it", async t => {
	const view = screen(t);
	await view.waitForFrame(/› todo-api-5b4c3d2e1-z9y8x/);
	// The captured pods declare no port: none to forward to, and the screen says so.
	await view.press('o', /declares no container port/);
	// The same pod declaring the app's port and a metrics port, as the chart's pods do.
	const pod = view.store.getState().pods.get('todo-api-5b4c3d2e1-z9y8x');
	const containers = (pod?.spec?.containers ?? []).map(container => ({...container, ports: [{containerPort: 8000}, {containerPort: 9090}]}));
	view.store.dispatch({type: 'status/batch', changes: [{op: 'upsert', kind: 'pods', object: {...pod, spec: {...pod?.spec, containers}} as KubernetesObject}]});
	const forwardPanel = () => {
		const panel = view.store.getState().panel;
		return panel.type === 'forward' ? [panel.remote, panel.local] : [panel.type];
	};

	const panelIs = (remote: number, local: string) => () => forwardPanel()[0] === remote && forwardPanel()[1] === local;
	await view.pressUntil('o', panelIs(8000, '8000'), 'the forward panel on port 8000');
	await view.pressUntil(keys.right, panelIs(9090, '9090'), 'the local port following the pod port (9090)');
	for (const [key, local] of [
		[keys.backspace, '909'],
		[keys.backspace, '90'],
		[keys.backspace, '9'],
		[keys.backspace, ''],
		['1', '1'],
		['8', '18'],
		['0', '180'],
		['8', '1808'],
		['0', '18080'],
	] as const) {
		await view.pressUntil(key, panelIs(9090, local), `the local port typed as ${local || 'nothing'}`);
	}

	// A typed local port stays when another pod port is chosen.
	await view.pressUntil(keys.left, panelIs(8000, '18080'), 'the pod port 8000 with the local port kept');
	const remote = 8000;
	await view.pressUntil(keys.enter, last(view.calls, `forward todo-api-5b4c3d2e1-z9y8x ${remote} 18080`), 'the forward started');
	view.store.dispatch({type: 'status/forward', forward: {state: 'running', pod: 'todo-api-5b4c3d2e1-z9y8x', remote, url: 'http://127.0.0.1:18080'}});
	await view.waitForFrame(/127\.0\.0\.1:18080/);
	await view.pressUntil('o', last(view.calls, 'stop forward'), 'the forward stopped');
});

test('r asks before restarting: n keeps the pod, y deletes it; q quits', async t => {
	const view = screen(t);
	await view.waitForFrame(/› todo-api-5b4c3d2e1-z9y8x/);
	await view.press(keys.down, /› todo-backend-6c9f7d5b8-x2x7q/);
	const asking = /Delete pod todo-backend-6c9f7d5b8-x2x7q so its controller starts a new one\? \(y\/n\)/;
	await view.press('r', asking);
	await view.press('n', frame => !asking.test(frame));
	assert.ok(!view.calls.some(call => call.startsWith('restart')));
	await view.press('r', asking);
	await view.pressUntil('y', last(view.calls, 'restart todo-backend-6c9f7d5b8-x2x7q'), 'the restart');
	await view.pressUntil('q', last(view.calls, 'quit'), 'the quit');
});

test('a resized window is drawn for its new size: wide adds NODE and IMAGE, narrow drops RESTARTS and AGE', async t => {
	const view = screen(t, {columns: 120, rows: 45});
	await view.waitForFrame(/RESTARTS/);
	assert.doesNotMatch(view.frame(), /\bNODE\b/);
	view.resize(170, 45);
	await view.waitForFrame(/\bNODE\b.*\bIMAGE\b/);
	view.resize(64, 45);
	await view.waitForFrame(frame => !/RESTARTS/.test(frame) && /todo-backend/.test(frame));
});
