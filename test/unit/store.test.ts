import assert from 'node:assert/strict';
import {test} from 'node:test';
import {createStore} from '../../source/engine/store.js';

type Action = {type: 'add'; n: number} | {type: 'noop'};
const reducer = (state: {total: number}, action: Action) => (action.type === 'add' ? {total: state.total + action.n} : state);

test('dispatch runs the reducer and tells subscribers the new state and the action', () => {
	const store = createStore(reducer, {total: 0});
	const seen: Array<[number, string]> = [];
	store.subscribe((state, action) => seen.push([state.total, action.type]));
	store.dispatch({type: 'add', n: 2});
	store.dispatch({type: 'add', n: 3});
	assert.deepEqual(seen, [
		[2, 'add'],
		[5, 'add'],
	]);
	assert.equal(store.getState().total, 5);
});

test('subscribers are not told when the reducer returns the same state', () => {
	const store = createStore(reducer, {total: 0});
	let calls = 0;
	store.subscribe(() => calls++);
	store.dispatch({type: 'noop'});
	assert.equal(calls, 0);
});

test('unsubscribe stops notifications', () => {
	const store = createStore(reducer, {total: 0});
	let calls = 0;
	const unsubscribe = store.subscribe(() => calls++);
	store.dispatch({type: 'add', n: 1});
	unsubscribe();
	store.dispatch({type: 'add', n: 1});
	assert.equal(calls, 1);
});

test('an action dispatched by a subscriber is applied after the current one, and every subscriber sees both in order', () => {
	const store = createStore(reducer, {total: 0});
	const first: number[] = [];
	const second: number[] = [];
	store.subscribe(state => {
		first.push(state.total);
		if (state.total === 1) {
			store.dispatch({type: 'add', n: 10});
		}
	});
	store.subscribe(state => second.push(state.total));
	store.dispatch({type: 'add', n: 1});
	assert.deepEqual(first, [1, 11]);
	assert.deepEqual(second, [1, 11]);
});
