// A container whose command cannot start, diagnosed from what runc and bash really print (captured
// from public issue threads): Windows line endings, a missing file, another CPU architecture.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import {execCause} from '../../source/diagnose/exec.js';
import {diagnosePod} from '../../source/diagnose/pod.js';
import {capturedPod} from '../helpers/k8s-fixtures.js';
import {capturedFixture} from '../helpers/paths.js';

const lines = (name: string) => readFileSync(capturedFixture('app-logs', name), 'utf8').split('\n');

test('each captured message is read as its cause', () => {
	const cases: Array<[string, string]> = [
		['exec-entrypoint-no-such-file-crlf.txt', 'not-found'],
		['kubectl-logs-exec-no-such-file.txt', 'not-found'],
		['standard-init-no-such-file.txt', 'not-found'],
		['bash-carriage-return-command-not-found.txt', 'crlf'],
		['exec-format-error-arm64.txt', 'format'],
		['standard-init-exec-format-error.txt', 'format'],
	];
	assert.deepEqual(
		cases.map(([file]) => [file, execCause(lines(file))?.kind]),
		cases,
	);
	assert.equal(execCause(['Error: Cannot find module "/app/server.js"']), undefined);
});

test('a missing interpreter names the script and the CRLF fix first', () => {
	const cause = execCause(lines('exec-entrypoint-no-such-file-crlf.txt'));
	assert.equal(cause?.title, '/docker-entrypoint.sh cannot be started ("no such file or directory")');
	assert.match(cause.explanation, /interpreter "\/bin\/sh\\r" that does not exist/);
	assert.match(
		cause.fix,
		/^In the build folder: file docker-entrypoint\.sh says "with CRLF line terminators" if so; convert it with sed -i 's\/\\r\$\/\/' docker-entrypoint\.sh/,
	);
	assert.match(execCause(lines('bash-carriage-return-command-not-found.txt'))?.fix ?? '', /sed -i 's\/\\r\$\/\/' task\/initdb\.sh/);
});

test("exec format error is another architecture, with how to see the node's", () => {
	const cause = execCause(lines('exec-format-error-arm64.txt'));
	assert.equal(cause?.title, '/node-problem-detector is not a program this node can run ("exec format error")');
	assert.match(cause.fix, /docker build --platform linux\/amd64.*nodeInfo\.architecture/);
});

test('a crash loop whose log says it is diagnosed as that, in status and its snapshot', () => {
	const diagnosis = diagnosePod({
		pod: capturedPod('crashloop'),
		now: new Date('2026-08-20T23:15:00Z'),
		logs: {quitter: lines('exec-entrypoint-no-such-file-crlf.txt')},
	});
	assert.equal(diagnosis.title, 'quitter keeps crashing: /docker-entrypoint.sh cannot be started ("no such file or directory") (10 restarts)');
	assert.deepEqual(diagnosis.evidence, ['log: exec /docker-entrypoint.sh: no such file or directory']);
});
