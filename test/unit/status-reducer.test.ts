import assert from 'node:assert/strict';
import {test} from 'node:test';
import {initialStatusState, statusReducer} from '../../source/engine/status/reducer.js';

const pod = (name: string, phase = 'Running') => ({apiVersion: 'v1', kind: 'Pod', metadata: {name}, status: {phase}});

test('a batch of watch events lands as one change; removing what is not there changes nothing', () => {
	const state = statusReducer(initialStatusState(), {type: 'status/batch', changes: [
		{op: 'upsert', kind: 'pods', object: pod('a')},
		{op: 'upsert', kind: 'pods', object: pod('b')},
		{op: 'upsert', kind: 'pods', object: pod('a', 'Pending')},
		{op: 'remove', kind: 'pods', object: pod('b')},
	]});
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
