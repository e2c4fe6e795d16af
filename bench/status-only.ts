// npm run bench:status: only the status benchmark.
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {realKubeTool} from '../test/helpers/kube-tools.js';
import {benchStatus} from './status.js';

await benchStatus(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..'), realKubeTool('kubectl'));
