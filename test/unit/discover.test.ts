import assert from 'node:assert/strict';
import {test} from 'node:test';
import {discoverProject, phaseOf} from '../../source/engine/project/discover.js';

test('backend/ and frontend/ at the root, with the chart under charts/', () => {
	const found = discoverProject([
		'backend/Dockerfile',
		'backend/requirements.txt',
		'backend/app/main.py',
		'frontend/Dockerfile',
		'frontend/package.json',
		'charts/todo-app/Chart.yaml',
		'README.md',
	]);
	assert.deepEqual(found.backend, {context: 'backend', dockerfile: 'Dockerfile'});
	assert.deepEqual(found.frontend, {context: 'frontend', dockerfile: 'Dockerfile'});
	assert.equal(found.chart, 'charts/todo-app');
	assert.deepEqual(found.notes, []);
});

test('phase folders: the latest phase wins, its chart too, and the others are named', () => {
	const found = discoverProject([
		'Phase-I/backend/Dockerfile',
		'Phase-I/frontend/Dockerfile',
		'Phase-II/backend/Dockerfile',
		'Phase-II/backend/pyproject.toml',
		'Phase-II/frontend/Dockerfile',
		'Phase-II/frontend/next.config.mjs',
		'Phase-II/helm/todo-app/Chart.yaml',
		'Phase-I/k8s/chart/Chart.yaml',
	]);
	assert.deepEqual(found.backend, {context: 'Phase-II/backend', dockerfile: 'Dockerfile'});
	assert.deepEqual(found.frontend, {context: 'Phase-II/frontend', dockerfile: 'Dockerfile'});
	assert.equal(found.chart, 'Phase-II/helm/todo-app');
	assert.match(found.notes.join('\n'), /backend: Phase-II\/backend\/Dockerfile chosen over Phase-I\/backend\/Dockerfile \(the latest phase, 2\)/);
	assert.equal(phaseOf('phase_3/api'), 3);
	assert.equal(phaseOf('Phase IV/backend'), 4);
	assert.equal(phaseOf('backend'), 0);
});

test('names like api and web, Dockerfile variants, and what is never looked at', () => {
	const found = discoverProject([
		'services/api/Dockerfile.prod',
		'services/api/Dockerfile',
		'apps/web/Dockerfile',
		'apps/web/node_modules/next/Dockerfile',
		'.git/Dockerfile',
	]);
	assert.deepEqual(found.backend, {context: 'services/api', dockerfile: 'Dockerfile'});
	assert.deepEqual(found.frontend, {context: 'apps/web', dockerfile: 'Dockerfile'});
	assert.equal(found.candidates.backend.length, 2);
	assert.equal(found.chart, undefined);
	assert.match(found.notes.join('\n'), /No Helm chart \(Chart\.yaml\) found/);
});

test('no Dockerfiles: each missing one is said, with what was seen', () => {
	const found = discoverProject(['docker/Dockerfile', 'src/index.ts']);
	assert.equal(found.backend, undefined);
	assert.match(found.notes[0] ?? '', /^No backend Dockerfile found \(Dockerfiles seen: docker\/Dockerfile\)\.$/);
});
