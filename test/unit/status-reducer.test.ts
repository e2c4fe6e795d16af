import assert from 'node:assert/strict';
import {test} from 'node:test';
import {initialStatusState, statusReducer} from '../../source/engine/status/reducer.js';

const pod = (name: string, phase = 'Running') => ({apiVersion: 'v1', kind: 'Pod', metadata: {name}, status: {phase}});

test('a batch of watch events lands as one change; removing what is not there changes nothing', () => {
	const state = statusReducer(initialStatusState(), {
		type: 'status/batch',
		changes: [
			{op: 'upsert', kind: 'pods', object: pod('a')},
			{op: 'upsert', kind: 'pods', object: pod('b')},
			{op: 'upsert', kind: 'pods', object: pod('a', 'Pending')},
			{op: 'remove', kind: 'pods', object: pod('b')},
		],
	});
	assert.deepEqual([...state.pods.keys()], ['a']);
	assert.equal((state.pods.get('a')?.status as {phase: string}).phase, 'Pending');
	assert.equal(state.version, 1);
	assert.equal(statusReducer(state, {type: 'status/batch', changes: [{op: 'remove', kind: 'events', object: pod('nothing')}]}), state);
});

test('connection: reconnecting names the watches, and is live again once all of them are back', () => {
	let state = statusReducer(initialStatusState(), {type: 'status/connected', kind: 'pods'});
	assert.equal(state.connection.type, 'live');
	state = statusReducer(state, {type: 'status/reconnecting', kind: 'pods', reason: 'refused', delayMs: 500});
	state = statusReducer(state, {type: 'status/reconnecting', kind: 'events', reason: 'refused', delayMs: 500});
	assert.deepEqual(state.connection, {type: 'reconnecting', kinds: ['pods', 'events'], reason: 'refused'});
	state = statusReducer(state, {type: 'status/connected', kind: 'pods'});
	assert.equal(state.connection.type, 'reconnecting');
	state = statusReducer(state, {type: 'status/connected', kind: 'events'});
	assert.equal(state.connection.type, 'live');
	assert.equal(statusReducer(state, {type: 'status/connected', kind: 'pods'}), state);
});

test('the screen window: only the rows that fit, around the selected pod, in kubectl order, and pods that come and go', async () => {
	const {statusSnapshot, statusWindow} = await import('../../source/engine/status/select.js');
	const names = Array.from({length: 100}, (_, index) => `todo-${String(index).padStart(3, '0')}`);
	// Out of order on purpose: the window sorts as kubectl does.
	let state = statusReducer(initialStatusState(), {
		type: 'status/batch',
		changes: [...names].reverse().map(name => ({op: 'upsert' as const, kind: 'pods' as const, object: pod(name)})),
	});
	const where = {context: 'kind-todo', namespace: 'todo'};
	const at = (selected: string | undefined, size = 10) => statusWindow({...state, selected}, where, size);

	const middle = at('todo-050');
	assert.equal(middle.total, 100);
	assert.equal(middle.first, 45);
	assert.deepEqual(
		middle.rows.map(row => row.name),
		names.slice(45, 55),
	);
	assert.equal(middle.selected?.name, 'todo-050');
	assert.equal(middle.longestName, 'todo-050'.length);
	assert.equal(at('todo-098').first, 90, 'the window stops at the last pod');
	assert.equal(at('gone').selected?.name, 'todo-000', 'an unknown selection falls back to the first pod');
	assert.deepEqual(statusWindow(state, where, 100).rows, statusSnapshot(state, where).pods, 'a window of every pod is the whole report');

	state = statusReducer(state, {
		type: 'status/batch',
		changes: [
			{op: 'upsert', kind: 'pods', object: pod('todo-0505-a-much-longer-name')},
			{op: 'remove', kind: 'pods', object: pod('todo-049')},
		],
	});
	const after = at('todo-050', 4);
	assert.equal(after.total, 100);
	assert.deepEqual(
		after.rows.map(row => row.name),
		['todo-047', 'todo-048', 'todo-050', 'todo-0505-a-much-longer-name'],
	);
	assert.equal(after.longestName, 'todo-0505-a-much-longer-name'.length);
	assert.equal(statusWindow(initialStatusState(), where, 10).selected, undefined);
});

test('logs that answer after another key was pressed do not take the panel back', async () => {
	const {showLogs} = await import('../../source/engine/status/run.js');
	const {createStore} = await import('../../source/engine/store.js');
	const store = createStore(statusReducer, initialStatusState());
	let answer: (text: string) => void = () => undefined;
	// Only logs() is asked for; the rest of the cluster is not reached.
	const cluster = {
		logs: async () =>
			new Promise<string>(resolve => {
				answer = resolve;
			}),
	} as unknown as Parameters<typeof showLogs>[0];
	const shown = showLogs(cluster, store, 'todo-backend', 'api', true);
	assert.equal(store.getState().panel.type, 'logs');
	store.dispatch({type: 'status/panel', panel: {type: 'confirm-restart', pod: 'todo-backend'}});
	answer('starting\npanic: no database\n');
	await shown;
	assert.deepEqual(store.getState().panel, {type: 'confirm-restart', pod: 'todo-backend'});
	// Left alone, the answer fills the panel.
	const again = showLogs(cluster, store, 'todo-backend', 'api', false);
	answer('ready\n');
	await again;
	assert.deepEqual(store.getState().panel, {type: 'logs', pod: 'todo-backend', container: 'api', previous: false, lines: ['ready']});
});
