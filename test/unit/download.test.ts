import assert from 'node:assert/strict';
import {createHash, randomBytes} from 'node:crypto';
import {execFile} from 'node:child_process';
import {readFileSync} from 'node:fs';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {build} from 'esbuild';
import {bundleOptions} from '../../scripts/bundle-options.js';
import {DownloadError, LocalDownloadError, downloadFile, fetchText} from '../../source/adapters/download.js';
import {repoRoot} from '../helpers/paths.js';
import {tempDir} from '../helpers/cli.js';

const body = randomBytes(3 * 1024 * 1024 + 17);
let base = '';
let server: http.Server;
let flaky = 0;
let served = 0;

before(async () => {
	server = http.createServer((request, response) => {
		switch (request.url) {
			case '/file': {
				served++;
				response.writeHead(200, {'content-length': String(body.length)}).end(body);
				break;
			}

			case '/flaky': {
				flaky++;
				if (flaky < 3) {
					response.writeHead(503).end();
				} else {
					response.writeHead(200).end('ok');
				}

				break;
			}

			case '/hang': {
				break;
			}

			default: {
				response.writeHead(404).end();
			}
		}
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => {
	server.closeAllConnections();
	server.close();
});

const options = {env: {}, idleTimeoutMs: 2000, attempts: 3, backoffBaseMs: 10};

test('a download is written and hashed as it streams, with progress', async () => {
	const file = path.join(tempDir('dl'), 'out');
	let last = 0;
	const result = await downloadFile(`${base}/file`, file, {
		...options,
		onProgress: progress => {
			assert.ok(progress.received >= last);
			last = progress.received;
			assert.equal(progress.total, body.length);
		},
	});
	assert.equal(result.bytes, body.length);
	assert.equal(result.sha256, createHash('sha256').update(body).digest('hex'));
	assert.ok(readFileSync(file).equals(body));
	assert.equal(last, body.length);
});

test('404 is final; 503 is retried with backoff', async () => {
	await assert.rejects(
		downloadFile(`${base}/missing`, path.join(tempDir('dl'), 'x'), options),
		(error: unknown) => error instanceof DownloadError && error.fault === 'not-found' && !error.transient,
	);
	const retries: number[] = [];
	assert.equal(await fetchText(`${base}/flaky`, {...options, onRetry: (_error, attempt) => retries.push(attempt)}), 'ok');
	assert.deepEqual(retries, [1, 2]);
});

test('a server that sends nothing times out; a cancelled download says so', async () => {
	await assert.rejects(
		downloadFile(`${base}/hang`, path.join(tempDir('dl'), 'x'), {...options, idleTimeoutMs: 200, attempts: 1}),
		(error: unknown) => error instanceof DownloadError && error.fault === 'timeout',
	);
	const controller = new AbortController();
	setTimeout(() => controller.abort(), 100);
	await assert.rejects(
		downloadFile(`${base}/hang`, path.join(tempDir('dl'), 'x'), {...options, signal: controller.signal}),
		(error: unknown) => error instanceof DownloadError && error.fault === 'aborted',
	);
});

test('a full disk is a fault of this machine: said as that, with the file, and not retried', async () => {
	const before = served;
	await assert.rejects(downloadFile(`${base}/file`, '/dev/full', {...options, attempts: 3}), (error: unknown) => {
		assert.ok(error instanceof LocalDownloadError, String(error));
		assert.match(error.message, /^cannot write the download to \/dev\/full: ENOSPC/);
		assert.equal(error.code, 'ENOSPC');
		return true;
	});
	assert.equal(served - before, 1, 'a disk fault was retried');
});

test('bundled without its worker file beside it, the downloader still writes and hashes the whole file', async () => {
	const folder = tempDir('bundled-download');
	const target = path.join(folder, 'out.bin');
	await build({
		...bundleOptions,
		splitting: false,
		stdin: {
			contents: `import {downloadFile} from './source/adapters/download.js';\nconst result = await downloadFile(process.argv[2], process.argv[3], {env: {}, idleTimeoutMs: 30000, attempts: 1});\nprocess.stdout.write(result.sha256);\n`,
			resolveDir: repoRoot,
			loader: 'ts',
		},
		outfile: path.join(folder, 'download-alone.js'),
	});
	const sha256 = await new Promise<string>((resolve, reject) => {
		execFile(process.execPath, [path.join(folder, 'download-alone.js'), `${base}/file`, target], {encoding: 'utf8'}, (error, stdout, stderr) =>
			error ? reject(new Error(stderr)) : resolve(stdout),
		);
	});
	assert.equal(sha256, createHash('sha256').update(body).digest('hex'));
	assert.deepEqual(readFileSync(target), body);
});
