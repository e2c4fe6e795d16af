// .todo-deploy/ keeps itself out of git: after todo-deploy writes there, `git status` of the project
// shows nothing of it (real git), and a .gitignore the user edited is left as it is.
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {readFileSync, statSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {ensureStateDir, ensureStateDirSync, writePrivate} from '../../source/adapters/state-dir.js';
import {tempDir} from '../helpers/cli.js';

const git = (root: string, ...args: string[]) => execFileSync('git', ['-C', root, ...args], {encoding: 'utf8'});

test('what todo-deploy writes under .todo-deploy/ never shows in git status', async () => {
	const root = tempDir('project');
	git(root, 'init', '-q');
	writeFileSync(path.join(root, 'README.md'), 'app\n');
	await writePrivate(path.join(await ensureStateDir(root, 'logs'), 'up.log'), 'a log\n');
	ensureStateDirSync(root, 'reports');
	writeFileSync(path.join(root, '.todo-deploy', 'reports', 'scan.json'), '{}');
	assert.equal(git(root, 'status', '--porcelain', '--untracked-files=all'), '?? README.md\n');
	assert.equal((statSync(path.join(root, '.todo-deploy', '.gitignore')).mode & 0o777).toString(8), '600');
});

test('a .gitignore already in .todo-deploy/ is not written over', async () => {
	const root = tempDir('project');
	await ensureStateDir(root);
	writeFileSync(path.join(root, '.todo-deploy', '.gitignore'), 'logs/\n');
	await ensureStateDir(root, 'logs');
	ensureStateDirSync(root);
	assert.equal(readFileSync(path.join(root, '.todo-deploy', '.gitignore'), 'utf8'), 'logs/\n');
});
