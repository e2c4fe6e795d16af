// esbuild options shared by the product build and the benchmark's baseline Ink app.
export const bundleOptions = {
	bundle: true,
	splitting: true,
	format: 'esm',
	platform: 'node',
	target: 'node22',
	jsx: 'automatic',
	legalComments: 'none',
	logLevel: 'warning',
	// Ink imports react-devtools-core only when DEV=true; it is not a dependency.
	external: ['react-devtools-core', 'cpu-features', 'ssh2'],
	// Bundled CommonJS (signal-exit, dockerode, client-node's deps) needs require in an ES module.
	banner: {js: "import {createRequire as __tdCreateRequire} from 'node:module'; const require = __tdCreateRequire(import.meta.url);"},
	define: {'process.env.NODE_ENV': '"production"'},
};
