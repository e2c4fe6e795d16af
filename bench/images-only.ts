// npm run bench:images: only the build, load and scan benchmark.
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {benchImages} from './images.js';

await benchImages(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..'), Number(process.env['BENCH_RUNS'] ?? 5));
