// uvicorn's module checked against what the image holds: the module name that is, a file outside
// WORKDIR, no file at all, and a file that is there (so the import itself failed).
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import {withModuleContext} from '../../source/diagnose/module-context.js';
import {diagnosePod} from '../../source/diagnose/pod.js';
import {podRow} from '../../source/diagnose/rows.js';
import {capturedPod} from '../helpers/k8s-fixtures.js';
import {capturedFixture} from '../helpers/paths.js';

const now = new Date('2026-08-20T23:15:00Z');
const lines = readFileSync(capturedFixture('app-logs', 'uvicorn-could-not-import-module-main.txt'), 'utf8').split('\n');

function crashingRow() {
	const pod = capturedPod('crashloop');
	const name = pod.status?.containerStatuses?.[0]?.name ?? '';
	const diagnosis = diagnosePod({pod, now, logs: {[name]: lines}});
	assert.equal(diagnosis.module?.name, 'main');
	return {row: podRow(pod, [], now, undefined, {[name]: lines}), image: diagnosis.module.image ?? ''};
}

test('what the image holds decides the fix', () => {
	const {row, image} = crashingRow();
	const tree = (files: string[], workdir = '/code') => new Map([[image, {workdir, files, truncated: false}]]);
	assert.match(
		withModuleContext(row, tree(['/code/app/main.py', '/code/app/__init__.py'])).diagnosis.fix,
		/^The image has it at \/code\/app\/main\.py: start it as uvicorn app\.main:app/,
	);
	assert.match(
		withModuleContext(row, tree(['/srv/main.py'])).diagnosis.fix,
		/^The image has main\.py at \/srv\/main\.py, outside \/code: set WORKDIR to \/srv/,
	);
	assert.match(withModuleContext(row, tree(['/code/requirements.txt'])).diagnosis.fix, /^The image has no main\.py: COPY the code/);
	const found = withModuleContext(row, tree(['/code/main.py']));
	assert.match(found.diagnosis.explanation, /\/code\/main\.py is in the image, so the file is found: importing it failed/);
	// Not looked into (or could not be): the row as it was.
	assert.equal(withModuleContext(row, new Map([[image, 'unknown']])), row);
	assert.equal(withModuleContext(row, new Map()), row);
});
