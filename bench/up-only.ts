// npm run bench:up: only the whole-flow benchmark.
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {benchUp} from './up.js';

await benchUp(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..'), Number(process.env['BENCH_RUNS'] ?? 3));
