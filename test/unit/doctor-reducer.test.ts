import assert from 'node:assert/strict';
import {test} from 'node:test';
import {doctorReducer, initialDoctorState} from '../../source/engine/doctor/reducer.js';
import {checkIds} from '../../source/engine/doctor/types.js';

test('every check starts pending', () => {
	const state = initialDoctorState();
	assert.deepEqual(
		checkIds.map(id => state.checks[id].type),
		checkIds.map(() => 'pending'),
	);
	assert.equal(state.phase.type, 'idle');
});

test('a check goes pending -> running -> done and keeps its outcome', () => {
	let state = initialDoctorState();
	state = doctorReducer(state, {type: 'doctor/check-started', id: 'helm', at: 5});
	assert.deepEqual(state.checks.helm, {type: 'running', startedAt: 5});
	state = doctorReducer(state, {type: 'doctor/check-finished', id: 'helm', outcome: {status: 'missing', summary: 'Helm is not installed'}, durationMs: 12});
	assert.equal(state.checks.helm.type, 'done');
	assert.equal(state.checks.helm.outcome.status, 'missing');
	assert.equal(state.checks.docker.type, 'pending');
});

test('the reducer returns the same object when nothing changes', () => {
	let state = initialDoctorState();
	state = doctorReducer(state, {type: 'doctor/check-finished', id: 'kind', outcome: {status: 'ok', summary: 'kind v0.32.0'}, durationMs: 3});
	// A late "started" for a finished check, or a second "finished", changes nothing.
	assert.equal(doctorReducer(state, {type: 'doctor/check-started', id: 'kind', at: 9}), state);
	assert.equal(doctorReducer(state, {type: 'doctor/check-finished', id: 'kind', outcome: {status: 'fail', summary: 'x'}, durationMs: 9}), state);
});

test('finishing records the recommendation and the total time', () => {
	const recommendation = {target: null, command: null, start: null, why: 'x', install: [], installCommand: null, pathSetup: null, rejected: [], fixes: ['y']};
	const state = doctorReducer(initialDoctorState(), {type: 'doctor/finished', recommendation, durationMs: 420});
	assert.deepEqual(state.phase, {type: 'done', durationMs: 420});
	assert.equal(state.recommendation, recommendation);
});
