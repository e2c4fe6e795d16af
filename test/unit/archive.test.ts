import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {mkdirSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {ArchiveError, extractTarGzMember} from '../../source/adapters/archive.js';
import {tempDir} from '../helpers/cli.js';

function makeArchive(format: 'gnu' | 'pax' | 'ustar', files: Record<string, string | Buffer>): string {
	const dir = tempDir('tar');
	for (const [name, content] of Object.entries(files)) {
		mkdirSync(path.join(dir, 'src', path.dirname(name)), {recursive: true});
		writeFileSync(path.join(dir, 'src', name), content);
	}

	const archive = path.join(dir, 'out.tar.gz');
	execFileSync('tar', [`--format=${format}`, '-czf', archive, '-C', path.join(dir, 'src'), ...Object.keys(files)]);
	return archive;
}

test('one member is streamed out of a tar.gz made by GNU tar, in every header format', async () => {
	const big = Buffer.alloc(3_000_000, 7);
	for (const format of ['gnu', 'pax', 'ustar'] as const) {
		const archive = makeArchive(format, {'README.md': '# hi\n', 'linux-amd64/helm': big, 'linux-amd64/LICENSE': 'MIT'});
		const out = path.join(tempDir('out'), 'helm');
		await extractTarGzMember(archive, 'linux-amd64/helm', out);
		assert.ok(readFileSync(out).equals(big), format);
		assert.equal(statSync(out).mode & 0o777, 0o755);
	}
});

test('names longer than 100 characters (GNU long names and pax paths) are found', async () => {
	const long = `${'very-long-folder-name-'.repeat(6)}/tool`;
	for (const format of ['gnu', 'pax'] as const) {
		const archive = makeArchive(format, {[long]: 'binary', short: 'x'});
		const out = path.join(tempDir('out'), 'tool');
		await extractTarGzMember(archive, long, out);
		assert.equal(readFileSync(out, 'utf8'), 'binary', format);
	}
});

test('a missing member and a corrupt archive are clear errors', async () => {
	const archive = makeArchive('gnu', {'a/one': '1', 'a/two': '2'});
	await assert.rejects(
		extractTarGzMember(archive, 'linux-amd64/helm', path.join(tempDir('out'), 'helm')),
		new ArchiveError('the archive has no linux-amd64/helm; it holds a/one, a/two'),
	);
	const corrupt = path.join(tempDir('bad'), 'bad.tar.gz');
	writeFileSync(corrupt, Buffer.from('this is not gzip'));
	await assert.rejects(
		extractTarGzMember(corrupt, 'x', path.join(tempDir('out'), 'x')),
		/^ArchiveError: the archive could not be read: incorrect header check$/,
	);
});
