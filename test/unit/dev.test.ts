// Watch mode's pure parts: the base images a Dockerfile starts from (copied once into minikube's
// engine), what the screen keeps of each change, and the words for it.
import assert from 'node:assert/strict';
import {initialImagesState} from '../../source/engine/images/reducer.js';
import {test} from 'node:test';
import {baseImagesOf} from '../../source/engine/images/in-place.js';
import {devReducer, initialDevState, type DevCycle} from '../../source/engine/dev/state.js';
import {devCycleLine} from '../../source/render/dev-words.js';

/** A backend build that failed, as the images' state holds it. */
const failedBuild = {
	kind: 'images' as const,
	state: {
		...initialImagesState(),
		images: [
			{
				name: 'backend' as const,
				plan: undefined,
				build: {type: 'failed' as const, message: 'exit 7', step: undefined, output: [], fix: 'Fix the RUN.'},
				load: {type: 'skipped' as const, reason: 'the build failed'},
				scan: {type: 'skipped' as const, reason: 'not asked for'},
			},
		],
	},
};

test('base images: stages, ARG-made names and scratch are not images to copy; each base once', () => {
	const dockerfile = [
		'ARG PYTHON=3.12',
		'FROM --platform=$BUILDPLATFORM node:22-alpine AS deps',
		'RUN npm ci',
		'FROM deps as build',
		'FROM python:${PYTHON}-slim',
		'from node:22-alpine',
		'FROM scratch',
		'FROM \\',
		'  gcr.io/distroless/python3:nonroot AS run',
		'COPY --from=build /app /app',
	].join('\n');
	assert.deepEqual(baseImagesOf(dockerfile), ['node:22-alpine', 'gcr.io/distroless/python3:nonroot']);
});

const cycle = (patch: Partial<DevCycle>): DevCycle => ({sides: ['backend'], savedAt: 0, phase: 'building', files: ['app/main.py'], ...patch});

/** A backend save built in minikube's own Docker: nothing sent, the pod Ready 3.2 s after the save. */
const builtInPlace = () =>
	cycle({
		phase: 'ready',
		buildMs: 800,
		transferMs: 0,
		bytes: 0,
		loads: [{type: 'done', outcome: 'built-in-place', where: 'minikube profile "todo"', durationMs: 0, digest: undefined}],
		rolloutMs: 2100,
		totalMs: 3200,
	});

test('the screen keeps the change being shipped, then the last one; a save the image does not see keeps the last', () => {
	let state = devReducer(initialDevState, {type: 'dev/watching', folders: ['backend', 'frontend']});
	state = devReducer(state, {type: 'dev/cycle', cycle: cycle({phase: 'building'})});
	assert.equal(state.current?.phase, 'building');
	const ready = builtInPlace();
	state = devReducer(state, {type: 'dev/cycle', cycle: ready});
	assert.equal(state.current, undefined);
	assert.equal(state.last, ready);
	assert.equal(state.shipped, 1);
	state = devReducer(state, {type: 'dev/cycle', cycle: cycle({phase: 'unchanged', files: ['notes.md']})});
	assert.equal(state.last, ready);
	state = devReducer(state, {type: 'dev/cycle', cycle: cycle({phase: 'failed', failure: failedBuild})});
	assert.equal(state.last?.phase, 'failed');
	assert.equal(state.shipped, 1);
});

test('a change in words: the time from the save, split into build, transfer (what was sent) and rollout', () => {
	assert.equal(
		devCycleLine(builtInPlace()),
		'backend (app/main.py): new pod Ready 3.2 s after the save (build 800 ms · transfer 0 ms (built in place, nothing sent) · rollout 2.1 s)',
	);
	assert.equal(
		devCycleLine(cycle({phase: 'failed', failure: failedBuild})),
		'backend (app/main.py): not shipped: todo-backend: build failed: exit 7\n  fix: Fix the RUN. The next save tries again.',
	);
	assert.equal(devCycleLine(cycle({phase: 'unchanged', files: ['.env']})), 'backend (.env): nothing the image sees changed, nothing to ship');
});
