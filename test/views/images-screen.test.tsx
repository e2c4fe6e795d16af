import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import {render} from 'ink-testing-library';
import type {ImagesAction, ImagePlan} from '../../source/engine/images/actions.js';
import {applyBuildMessage, initialBuildProgress} from '../../source/engine/images/build-progress.js';
import {imagesReducer, initialImagesState} from '../../source/engine/images/reducer.js';
import {defaultGate, summarizeScan} from '../../source/engine/images/scan-results.js';
import {ImagesScreen} from '../../source/views/images-app.js';
import {capturedFixture} from '../helpers/paths.js';

const plan = (name: 'backend' | 'frontend'): ImagePlan => ({
	name,
	ref: `todo-${name}:git-3f2c1a9b7d4e`,
	repository: `todo-${name}`,
	tag: 'git-3f2c1a9b7d4e',
	sourceTag: 'git-3f2c1a9b7d4e',
	buildArgs: [],
	context: `/p/${name}`,
	dockerfile: 'Dockerfile',
	commit: '3f2c1a9b7d4e',
	contextBytes: 2048,
	ignoredFiles: 0,
	ignoredBytes: 0,
});

function screen(...actions: ImagesAction[]): string {
	const state = actions.reduce(imagesReducer, initialImagesState());
	const {lastFrame, unmount} = render(<ImagesScreen state={state} />);
	const frame = lastFrame() ?? '';
	unmount();
	return frame;
}

test('a running build shows its step, cache hits and current line; a failed gate shows the worst findings', () => {
	const progress = [
		{stream: 'Step 1/6 : FROM base'},
		{stream: ' ---> Using cache\n'},
		{stream: 'Step 4/6 : RUN npm run build'},
		{stream: 'Creating an optimized production build...\n'},
	].reduce(applyBuildMessage, initialBuildProgress);
	const summary = summarizeScan(readFileSync(capturedFixture('trivy', 'trivy-golden-alpine-39.json'), 'utf8'), defaultGate);
	const frame = screen(
		{type: 'images/started', names: ['backend', 'frontend'], steps: {build: true, load: true, scan: true}, target: {type: 'kind', cluster: 'todo'}},
		{type: 'images/planned', plan: plan('backend')},
		{type: 'images/planned', plan: plan('frontend')},
		{type: 'images/build', name: 'frontend', status: {type: 'building', progress, contextBytes: 2048, ignoredFiles: 0}},
		{type: 'images/build', name: 'backend', status: {type: 'done', outcome: 'built', id: 'sha256:1', size: 2_000_000, durationMs: 3200, steps: 7, cached: 3}},
		{
			type: 'images/load',
			name: 'backend',
			status: {type: 'done', outcome: 'already-present', where: 'kind cluster "todo" (1 node)', durationMs: 40, digest: undefined},
		},
		{
			type: 'images/scan',
			name: 'backend',
			status: {type: 'done', summary, reportPath: '/p/.todo-deploy/reports/todo-backend.trivy.json', cached: false, durationMs: 900},
		},
	);
	assert.match(frame, /todo-deploy build · load · scan → kind cluster "todo"/);
	assert.match(frame, /build {2}step 4\/6, 1 cached: RUN npm run build › Creating an optimized production build\.\.\./);
	assert.match(frame, /✔ build {2}built in 3\.2 s, 7 steps \(3 from cache\), 2\.0 MB/);
	assert.match(frame, /✔ load {3}already in kind cluster "todo" \(1 node\), not sent again/);
	assert.match(frame, /✖ scan {3}2 CRITICAL, 4 MEDIUM; FAILS the gate/);
	assert.match(frame, /CRITICAL CVE-2019-14697 {2}musl 1\.1\.20-r4 -> fixed in 1\.1\.20-r5/);
	assert.match(frame, /Ctrl-C stops the builds\./);
});

test('a failed build shows the step, its output and the fix; a run-wide failure says what to do', () => {
	const frame = screen(
		{type: 'images/started', names: ['backend'], steps: {build: true, load: false, scan: false}, target: undefined},
		{type: 'images/planned', plan: plan('backend')},
		{
			type: 'images/build',
			name: 'backend',
			status: {
				type: 'failed',
				message: "The command '/bin/sh -c pip install' returned a non-zero code: 1",
				step: 'Step 3/6 : RUN pip install',
				output: ['ERROR: No matching distribution found for fastapi==99'],
				fix: 'Fix "RUN pip install" in /p/backend/Dockerfile; the lines above are its output.',
			},
		},
		{
			type: 'images/failed',
			message: 'Docker does not answer: connect ENOENT /var/run/docker.sock',
			fix: 'todo-deploy doctor says why and how to fix it',
			kind: 'environment',
		},
		{type: 'images/finished', durationMs: 1200, cancelled: false},
	);
	assert.match(frame, /✖ build {2}build failed: The command/);
	assert.match(frame, /at Step 3\/6 : RUN pip install/);
	assert.match(frame, /\| ERROR: No matching distribution found for fastapi==99/);
	assert.match(frame, /fix: Fix "RUN pip install" in \/p\/backend\/Dockerfile/);
	assert.match(frame, /→ todo-deploy doctor says why and how to fix it/);
	assert.match(frame, /Finished in 1\.2 s\./);
	assert.doesNotMatch(frame, /load|scan/);
});
