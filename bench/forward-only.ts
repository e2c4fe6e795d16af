// npm run bench:forward: only the held-address benchmark.
import {realKubeTool} from '../test/helpers/kube-tools.js';
import {benchForward} from './forward.js';

await benchForward(realKubeTool('kubectl'), Number(process.env['BENCH_RUNS'] ?? 10));
process.exit(0);
