// A pod the scheduler cannot place, read from the scheduler's real messages (captured; see SOURCES.md).
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import {unschedulable} from '../../source/diagnose/explain.js';
import {capturedFixture} from '../helpers/paths.js';

const message = (name: string) => readFileSync(capturedFixture('k8s', 'scheduling', name), 'utf8').trim();

test('the disk-pressure taint is a full disk, not a selector to remove', () => {
	for (const file of [
		'failed-scheduling-disk-pressure.txt',
		'failed-scheduling-disk-pressure-and-selector.txt',
		'failed-scheduling-disk-pressure-older-wording.txt',
	]) {
		const said = unschedulable(message(file));
		assert.match(said.explanation, /^The node is short of disk space: its kubelet marked it disk-pressure/, file);
		assert.match(said.fix, /docker system prune -a.*don't add a toleration/, file);
		assert.doesNotMatch(said.fix, /nodeSelector/, file);
	}
});

test("a taint of the user's own, or a selector, is still the values to change", () => {
	const said = unschedulable("0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector.");
	assert.match(said.fix, /^Remove the nodeSelector/);
	// The older scheduler's words for a taint of the user's own.
	const own = unschedulable("0/3 nodes are available: 3 node(s) had taint {dedicated: gpu}, that the pod didn't tolerate.");
	assert.match(own.fix, /^Remove the nodeSelector, affinity or the need for a tainted node/);
});
