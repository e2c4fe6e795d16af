// The repository stands on its own after a git clone: nothing it runs reads a folder beside it, and
// every captured output a test reads is inside it, with its source written down.
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {capturedFixtures, repoRoot} from '../helpers/paths.js';

const tracked = () =>
	execFileSync('git', ['-C', repoRoot, 'ls-files', '--cached', '--others', '--exclude-standard'], {encoding: 'utf8'}).split('\n').filter(Boolean);

test('no code, script or config in the repository reads a folder beside it (the team folder of shared captures)', t => {
	let files: string[];
	try {
		files = tracked();
	} catch {
		t.skip('not a git checkout');
		return;
	}

	const code = files.filter(file => /\.(?:[cm]?[jt]sx?|sh|json|ya?ml)$/.test(file) && !file.startsWith('test/fixtures/') && file !== 'package-lock.json');
	assert.ok(code.length > 50, `expected the repository's code, found ${code.length} files`);
	// Spelt in two parts so that this file does not find itself.
	const pattern = new RegExp(String.raw`\.\./${'shared'}\b|${'shared'}/fixtures`);
	const outside = code.filter(file => pattern.test(readFileSync(path.join(repoRoot, file), 'utf8')));
	assert.deepEqual(outside, []);
});

test('every captured file is listed in captured/SOURCES.md with where it came from', t => {
	let files: string[];
	try {
		files = tracked().filter(file => file.startsWith('test/fixtures/captured/') && !file.endsWith('/SOURCES.md'));
	} catch {
		t.skip('not a git checkout');
		return;
	}

	const sources = readFileSync(path.join(capturedFixtures, 'SOURCES.md'), 'utf8');
	const unlisted = files
		.map(file => path.relative(capturedFixtures, path.join(repoRoot, file)))
		.filter(file => !sources.includes(file) && !sources.includes(path.basename(file)));
	assert.deepEqual(unlisted, []);
});
