// Bundles source/cli.tsx into dist/: one small entry chunk that draws the first frame,
// and lazily loaded chunks for the heavy clients (dockerode, @kubernetes/client-node, execa).
import {build} from 'esbuild';
import {rm} from 'node:fs/promises';

await rm(new URL('../dist', import.meta.url), {recursive: true, force: true});
await build({
	entryPoints: {cli: 'source/cli.tsx'},
	outdir: 'dist',
	bundle: true,
	splitting: true,
	format: 'esm',
	platform: 'node',
	target: 'node22',
	jsx: 'automatic',
	minify: false,
	sourcemap: 'linked',
	legalComments: 'none',
	logLevel: 'warning',
	// Ink imports react-devtools-core only when DEV=true; it is not a dependency.
	external: ['react-devtools-core', 'cpu-features', 'ssh2'],
	// Bundled CommonJS (dockerode, client-node's deps) needs require in an ES module.
	banner: {js: "import {createRequire as __tdCreateRequire} from 'node:module'; const require = __tdCreateRequire(import.meta.url);"},
	define: {'process.env.NODE_ENV': '"production"'},
});
