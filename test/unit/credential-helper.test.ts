// A credential helper the Docker config names and this machine cannot run: every pull the docker CLI
// makes asks it first (kind's node image too), so it is told with the config line to change.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import {explainClusterStart} from '../../source/diagnose/cluster-start.js';
import {credentialHelperFix, missingCredentialHelper} from '../../source/diagnose/credential-helper.js';
import {capturedFixture} from '../helpers/paths.js';

test("kind's node image pull, stopped by a missing helper, names the config line", () => {
	const failure = explainClusterStart(
		{program: 'kind', args: ['create', 'cluster', '--name', 'todo']},
		readFileSync(capturedFixture('kind/kind-create-cluster-credential-helper-not-found.txt'), 'utf8'),
	);
	assert.equal(failure.rule, 'credential-helper');
	assert.match(failure.cause, /names the credential helper docker-credential-osxkeychain, which cannot be run here/);
	assert.match(failure.fix, /~\/\.docker\/config\.json has "credsStore": "osxkeychain"/);
	assert.match(failure.fix, /Then run kind delete cluster --name todo, then try again\.$/);
});

test("Docker Desktop's helper, seen from WSL without its integration, and the older wordings", () => {
	const wsl = missingCredentialHelper('error getting credentials - err: exec: "docker-credential-desktop.exe": executable file not found in $PATH, out: ``');
	assert.deepEqual(wsl, {program: 'docker-credential-desktop.exe', helper: 'desktop.exe'});
	assert.ok(wsl);
	assert.match(credentialHelperFix(wsl), /turn on Docker Desktop's WSL integration for this distro/);
	// Windows' own PATH wording, and a Windows helper run from Linux.
	assert.equal(missingCredentialHelper('err: exec: "docker-credential-wincred.exe": executable file not found in %PATH%, out: ``')?.program, undefined);
	assert.equal(
		missingCredentialHelper('error getting credentials - err: exec: "docker-credential-wincred.exe": executable file not found in %PATH%, out: ``')?.program,
		'docker-credential-wincred.exe',
	);
	assert.equal(
		missingCredentialHelper('Error: error getting credentials - err: fork/exec /usr/bin/docker-credential-desktop.exe: exec format error, out: ``')?.program,
		'docker-credential-desktop.exe',
	);
	assert.equal(missingCredentialHelper('Error response from daemon: pull access denied for todo-backend'), undefined);
});
