#!/usr/bin/env node
// Tiny launcher: refuses an unsupported Node.js with a clear message, then loads the bundle.
// Written so that even very old Node.js versions can parse it.
var parts = process.versions.node.split('.');
var major = Number(parts[0]);
var minor = Number(parts[1]);
if (major < 22 || (major === 22 && minor < 19)) {
	process.stderr.write(
		'todo-deploy needs Node.js 22.19 or newer; this is Node.js ' + process.versions.node + '.\n' +
		'Install a current Node.js (https://nodejs.org/, or: nvm install 24) and run it again.\n'
	);
	process.exit(1);
}

// Node's deprecation warnings (DEP0169 from a library parsing a tcp:// DOCKER_HOST) are not the user's business.
process.noDeprecation = true;

// NO_COLOR (https://no-color.org) turns colour off in Ink's chalk as well.
if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') {
	process.env.FORCE_COLOR = '0';
}

import('../dist/cli.js').catch(function (error) {
	if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).indexOf('dist/cli.js') !== -1) {
		process.stderr.write('todo-deploy is not built: run npm run build in its folder first.\n');
	} else {
		process.stderr.write('todo-deploy could not start: ' + (error && error.message ? error.message : String(error)) + '\n');
	}

	process.exit(1);
});
