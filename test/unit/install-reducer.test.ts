import assert from 'node:assert/strict';
import {test} from 'node:test';
import {initialInstallState, installReducer, installSucceeded} from '../../source/engine/tools/reducer.js';
import {renderInstallPlain} from '../../source/render/install-plain.js';
import {createStore} from '../../source/engine/store.js';

test('tools keep request order; progress updates one tool; a finished tool ignores late events', () => {
	let state = installReducer(initialInstallState(), {type: 'install/started', tools: ['helm', 'kind'], dir: '/d', versions: {helm: '4.2.4', kind: '0.32.0'}});
	state = installReducer(state, {type: 'install/status', tool: 'kind', status: {type: 'downloading', received: 10, total: 100, bytesPerSecond: 5, attempt: 1}});
	assert.deepEqual(
		state.tools.map(entry => entry.status.type),
		['pending', 'downloading'],
	);
	state = installReducer(state, {
		type: 'install/status',
		tool: 'kind',
		status: {type: 'done', outcome: 'installed', version: 'v0.32.0', path: '/d/kind', note: undefined},
	});
	const done = state;
	assert.equal(
		installReducer(done, {type: 'install/status', tool: 'kind', status: {type: 'downloading', received: 99, total: 100, bytesPerSecond: 5, attempt: 1}}),
		done,
	);
	assert.equal(installSucceeded(state), false);
	state = installReducer(state, {
		type: 'install/status',
		tool: 'helm',
		status: {type: 'done', outcome: 'already-installed', version: 'v4.2.4', path: '/d/helm', note: undefined},
	});
	assert.equal(installSucceeded(state), true);
});

test('plain output: results on stdout once; download progress on stderr at most every interval', () => {
	const store = createStore(installReducer, initialInstallState());
	const out: string[] = [];
	const progress: string[] = [];
	const unsubscribe = renderInstallPlain(
		store,
		text => out.push(text),
		text => progress.push(text),
		60_000,
	);
	store.dispatch({type: 'install/started', tools: ['helm'], dir: '/d', versions: {helm: '4.2.4'}});
	for (let received = 1; received <= 50; received++) {
		store.dispatch({
			type: 'install/status',
			tool: 'helm',
			status: {type: 'downloading', received: received * 1_000_000, total: 50_000_000, bytesPerSecond: 10_000_000, attempt: 1},
		});
	}

	store.dispatch({type: 'install/status', tool: 'helm', status: {type: 'failed', message: 'checksum mismatch', fix: 'Try again.', failure: 'fix-first'}});
	unsubscribe();
	assert.deepEqual(progress, ['helm 4.2.4: downloading, 1.0 MB of 50.0 MB, 10.0 MB/s, 5 s left\n']);
	assert.deepEqual(out, ['helm 4.2.4 not installed: checksum mismatch\n  fix: Try again.\n']);
});
