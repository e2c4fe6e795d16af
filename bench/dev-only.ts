// npm run bench:dev: only the save-to-cluster benchmark.
import {benchDev} from './dev.js';

await benchDev(Number(process.env['BENCH_RUNS'] ?? 5));
