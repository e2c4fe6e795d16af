import assert from 'node:assert/strict';
import {test} from 'node:test';
import {createPortForwards, type Forwarder} from '../../source/engine/status/forward.js';
import {initialStatusState, statusReducer} from '../../source/engine/status/reducer.js';
import {createStore} from '../../source/engine/store.js';

type Call = {
	pod: string;
	remote: number;
	local: number | undefined;
	events: Parameters<Forwarder>[3];
	resolve(url: string): void;
	reject(error: Error): void;
	stopped: boolean;
};

function setup() {
	const store = createStore(statusReducer, initialStatusState());
	const calls: Call[] = [];
	const forwarder: Forwarder = async (pod, remote, local, events) =>
		new Promise((resolve, reject) => {
			const call: Call = {
				pod,
				remote,
				local,
				events,
				stopped: false,
				resolve: url =>
					resolve({
						url,
						stop() {
							call.stopped = true;
						},
					}),
				reject,
			};
			calls.push(call);
		});
	return {store, calls, forwards: createPortForwards(store, forwarder)};
}

const settle = async () => new Promise(resolve => setImmediate(resolve));

test('a port-forward goes from starting to running; a failed connection and kubectl stopping become one plain message', async () => {
	const {store, calls, forwards} = setup();
	forwards.start('web', 8000, 18_000);
	assert.deepEqual(store.getState().forward, {state: 'starting', pod: 'web', remote: 8000, local: 18_000});
	calls[0]!.resolve('http://127.0.0.1:18000');
	await settle();
	assert.deepEqual(store.getState().forward, {state: 'running', pod: 'web', remote: 8000, url: 'http://127.0.0.1:18000'});
	calls[0]!.events.onTrouble(
		"error forwarding port 8000 to pod web, uid : failed to connect to localhost:8000 inside the pod's network namespace: connect: connection refused",
	);
	const running = store.getState().forward;
	assert.match(running?.state === 'running' ? (running.trouble ?? '') : '', /^nothing listens on port 8000 in web \(connection refused\)/);
	calls[0]!.events.onEnd('kubectl port-forward ended (exit 1): error: lost connection to pod');
	const {forward} = store.getState();
	assert.equal(forward?.state, 'failed');
	assert.match(forward.message, /^nothing listens on port 8000 in web .*; kubectl stopped forwarding$/);
});

test('a new forward replaces the running one, and the answer of a replaced one is ignored and stopped', async () => {
	const {store, calls, forwards} = setup();
	forwards.start('web', 8000, undefined);
	forwards.start('api', 9000, undefined);
	calls[0]!.resolve('http://127.0.0.1:1111');
	await settle();
	assert.equal(calls[0]!.stopped, true, 'the replaced kubectl is stopped once it answers');
	assert.deepEqual(store.getState().forward, {state: 'starting', pod: 'api', remote: 9000, local: undefined});
	calls[1]!.resolve('http://127.0.0.1:2222');
	await settle();
	assert.equal(store.getState().forward?.state, 'running');
	forwards.stop();
	assert.equal(calls[1]!.stopped, true);
	assert.equal(store.getState().forward, undefined);
	assert.equal(store.getState().notice, 'port-forward to api:9000 stopped');
	calls[1]!.events.onEnd('kubectl port-forward ended (exit 0): ');
	assert.equal(store.getState().forward, undefined, 'a stopped forward does not come back as failed');
});

test('a forward that cannot start says why', async () => {
	const {store, calls, forwards} = setup();
	forwards.start('web', 8000, 8000);
	calls[0]!.reject(new Error('local port 8000 is already in use on this machine: choose another, or leave it empty for any free port'));
	await settle();
	assert.deepEqual(store.getState().forward, {
		state: 'failed',
		pod: 'web',
		remote: 8000,
		message: 'local port 8000 is already in use on this machine: choose another, or leave it empty for any free port',
	});
});
