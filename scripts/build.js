// Bundles source/cli.ts into dist/: one small entry chunk that draws the first frame,
// and lazily loaded chunks for the heavy clients (dockerode, @kubernetes/client-node, execa).
import {rm} from 'node:fs/promises';
import {build} from 'esbuild';
import {bundleOptions} from './bundle-options.js';

await rm(new URL('../dist', import.meta.url), {recursive: true, force: true});
await build({
	...bundleOptions,
	entryPoints: {cli: 'source/cli.ts', 'download-worker': 'source/adapters/download-worker.ts'},
	outdir: 'dist',
	sourcemap: 'linked',
});
