// The status screen's keys, typed into the Ink app (ink-testing-library), on the failures scenario:
// real captured pods and events, one pod for each way a pod fails.
import assert from 'node:assert/strict';
import {test, type TestContext} from 'node:test';
import type {KubernetesObject} from '@kubernetes/client-node';
import {render} from 'ink-testing-library';
import {StatusApp} from '../../source/views/status-app.js';
import {scenarioStore} from '../helpers/scenario-state.js';
import {keyboard, keys, settle as baseSettle} from '../helpers/keys.js';

const settle = async (ms = 120) => baseSettle(ms);

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
		...keyboard(app, 120),
	};
}

test("↓ and j move the selection, and the panel shows the selected pod's diagnosis; ↑ goes back", async t => {
	const view = screen(t);
	await settle();
	assert.match(view.frame(), /› todo-api-5b4c3d2e1-z9y8x/);
	await view.type(keys.down);
	assert.match(view.frame(), /› todo-backend-6c9f7d5b8-x2x7q/);
	assert.match(view.frame(), /keeps crashing \(exit 1, 10 restarts\)/);
	await view.type('j');
	assert.match(view.frame(), /› todo-chatbot-8e7d6c5b4-q1w2e/);
	assert.match(view.frame(), /OOMKilled|out of memory/i);
	await view.type(keys.up, keys.up);
	assert.match(view.frame(), /› todo-api-5b4c3d2e1-z9y8x/);
});

test('l and p ask the engine for logs of the selected container; f follows, and another key stops following', async t => {
	const view = screen(t);
	await view.type(keys.down, 'l');
	assert.deepEqual(view.calls, ['logs todo-backend-6c9f7d5b8-x2x7q quitter']);
	await view.type('p');
	assert.equal(view.calls.at(-1), 'logs todo-backend-6c9f7d5b8-x2x7q quitter previous');
	await view.type('f');
	assert.equal(view.calls.at(-1), 'follow todo-backend-6c9f7d5b8-x2x7q quitter');
	view.store.dispatch({
		type: 'status/panel',
		panel: {type: 'logs', pod: 'todo-backend-6c9f7d5b8-x2x7q', container: 'quitter', previous: false, lines: ['starting'], following: true},
	});
	await view.type('e');
	assert.equal(view.calls.at(-1), 'follow - quitter');
});

test('c moves to the next container, init containers too, and shows its logs', async t => {
	const view = screen(t, {}, 'every-failure');
	const init = 'todo-migrate-4f5e6d7c8-a1b2c';
	view.store.dispatch({type: 'status/select', pod: init});
	const pod = view.store.getState().pods.get(init);
	const names = [...(pod?.spec?.containers ?? []), ...(pod?.spec?.initContainers ?? [])].map(container => container.name);
	assert.ok(names.length >= 2, names.join());
	await view.type('c');
	assert.equal(view.calls.at(-1), `logs ${init} ${names[1] ?? ''}`);
	await view.type('c');
	assert.equal(view.calls.at(-1), `logs ${init} ${names[2 % names.length] ?? ''}`);
});

test("e shows the pod's events folded as describe does, w the namespace's warnings, d the pod described", async t => {
	const view = screen(t);
	await view.type(keys.down, 'e');
	assert.match(view.frame(), /Events of todo-backend-6c9f7d5b8-x2x7q, newest first/);
	assert.match(view.frame(), /BackOff\s+\S+ \(x256 over/);
	await view.type('w');
	assert.match(view.frame(), /FailedScheduling/);
	await view.type('d');
	assert.match(view.frame(), /quitter/);
	assert.match(view.frame(), /restarts 10|10 restarts/);
	await view.type(keys.enter);
	assert.match(view.frame(), /keeps crashing/);
});

test("o opens the port-forward panel: ←/→ choose the pod's port, digits type the local one, Enter starts it, o again stops it", async t => {
	const view = screen(t);
	// The captured pods declare no port: none to forward to, and the screen says so.
	await view.type('o');
	assert.match(view.frame(), /declares no container port/);
	// The same pod declaring the app's port and a metrics port, as the chart's pods do.
	const pod = view.store.getState().pods.get('todo-api-5b4c3d2e1-z9y8x');
	const containers = (pod?.spec?.containers ?? []).map(container => ({...container, ports: [{containerPort: 8000}, {containerPort: 9090}]}));
	view.store.dispatch({type: 'status/batch', changes: [{op: 'upsert', kind: 'pods', object: {...pod, spec: {...pod?.spec, containers}} as KubernetesObject}]});
	await view.type('o');
	let panel = view.store.getState().panel;
	assert.deepEqual(panel.type === 'forward' ? [panel.remote, panel.local] : panel.type, [8000, '8000']);
	await view.type(keys.right);
	panel = view.store.getState().panel;
	assert.deepEqual(panel.type === 'forward' ? [panel.remote, panel.local] : panel.type, [9090, '9090'], 'the local port follows until one is typed');
	await view.type(keys.backspace, keys.backspace, keys.backspace, keys.backspace, '1', '8', '0', '8', '0', keys.left, keys.enter);
	const remote = 8000;
	assert.equal(view.calls.at(-1), `forward todo-api-5b4c3d2e1-z9y8x ${remote} 18080`);
	view.store.dispatch({type: 'status/forward', forward: {state: 'running', pod: 'todo-api-5b4c3d2e1-z9y8x', remote, url: 'http://127.0.0.1:18080'}});
	await view.type('o');
	assert.equal(view.calls.at(-1), 'stop forward');
});

test('r asks before restarting: n keeps the pod, y deletes it; q quits', async t => {
	const view = screen(t);
	await view.type(keys.down, 'r');
	assert.match(view.frame(), /todo-backend-6c9f7d5b8-x2x7q/);
	await view.type('n');
	assert.ok(!view.calls.some(call => call.startsWith('restart')));
	await view.type('r', 'y');
	assert.equal(view.calls.at(-1), 'restart todo-backend-6c9f7d5b8-x2x7q');
	await view.type('q');
	assert.equal(view.calls.at(-1), 'quit');
});

test('a resized window is drawn for its new size: wide adds NODE and IMAGE, narrow drops RESTARTS and AGE', async t => {
	const view = screen(t, {columns: 120, rows: 45});
	await settle();
	assert.match(view.frame(), /RESTARTS/);
	assert.doesNotMatch(view.frame(), /\bNODE\b/);
	view.resize(170, 45);
	await settle();
	assert.match(view.frame(), /\bNODE\b.*\bIMAGE\b/);
	view.resize(64, 45);
	await settle();
	assert.doesNotMatch(view.frame(), /RESTARTS/);
	assert.match(view.frame(), /todo-backend/);
});
