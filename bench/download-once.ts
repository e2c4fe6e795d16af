// One download with todo-deploy's downloader (streamed to disk and hashed); prints seconds taken.
import {rmSync} from 'node:fs';
import {downloadFile} from '../source/adapters/download.js';

const [url = '', target = ''] = process.argv.slice(2);
const started = performance.now();
const result = await downloadFile(url, target, {env: {}, idleTimeoutMs: 30_000, attempts: 1});
const seconds = (performance.now() - started) / 1000;
rmSync(target, {force: true});
process.stdout.write(`${seconds} ${result.bytes}\n`);
