// This machine's lock on a release: taken only when free; a holder whose process is gone is taken
// over, a live one is named; given back only by its own process.
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {test} from 'node:test';
import {dropLockFile, takeLockFile} from '../../source/adapters/file-lock.js';
import {tempDir} from '../helpers/cli.js';

const holderFile = (pid: number) => `${JSON.stringify({command: 'todo-deploy up', host: os.hostname(), pid, since: '2026-12-02T09:00:00.000Z'})}\n`;

test('free: taken, with who took it; taken again: the live holder is named', async () => {
	const file = path.join(tempDir('lock'), 'todo.lock');
	assert.equal(await takeLockFile(file, 'todo-deploy deploy'), undefined);
	assert.equal((JSON.parse(readFileSync(file, 'utf8')) as {pid: number}).pid, process.pid);
	// Another process holds it (this test's parent is alive).
	writeFileSync(file, holderFile(process.ppid));
	assert.deepEqual(await takeLockFile(file, 'todo-deploy deploy'), {
		command: 'todo-deploy up',
		host: os.hostname(),
		pid: process.ppid,
		since: '2026-12-02T09:00:00.000Z',
	});
	// Not ours: given back by its holder only.
	await dropLockFile(file);
	assert.ok(existsSync(file));
});

test('a holder whose process is gone (killed, crashed) is taken over; a half-written file too', async () => {
	const file = path.join(tempDir('lock'), 'todo.lock');
	const {pid: gone} = spawnSync(process.execPath, ['-e', '0']);
	assert.ok(gone > 0);
	writeFileSync(file, holderFile(gone));
	assert.equal(await takeLockFile(file, 'todo-deploy deploy'), undefined);
	writeFileSync(file, '{"command": "todo-de');
	assert.equal(await takeLockFile(file, 'todo-deploy deploy'), undefined);
	await dropLockFile(file);
	assert.ok(!existsSync(file));
});
