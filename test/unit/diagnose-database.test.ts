// An app that cannot use its database, diagnosed from its own last lines: what PostgreSQL clients
// really print (captured here from psycopg2, SQLAlchemy, Node, and from public issue threads).
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import {databaseCause} from '../../source/diagnose/database.js';
import {diagnosePod} from '../../source/diagnose/pod.js';
import {initialStatusState} from '../../source/engine/status/reducer.js';
import {statusSnapshot} from '../../source/engine/status/select.js';
import {capturedPod} from '../helpers/k8s-fixtures.js';
import {capturedFixture} from '../helpers/paths.js';

const lines = (name: string) => readFileSync(capturedFixture('app-logs', name), 'utf8').split('\n');
const now = new Date('2026-08-20T23:15:00Z');

test('each captured client error is read as its cause', () => {
	const cases: Array<[string, string]> = [
		['psycopg2-password-authentication-failed.txt', 'password'],
		['sqlalchemy-password-authentication-failed.txt', 'password'],
		['psycopg2-password-failed-in-cluster.txt', 'password'],
		['psycopg2-connection-refused-service-host.txt', 'refused'],
		['psycopg2-database-system-starting-up.txt', 'starting'],
		// Refused on loopback: inside a pod that is the pod itself, a host copied from compose or .env.
		['psycopg2-connection-refused.txt', 'localhost'],
		['libpq-could-not-connect-refused-old.txt', 'localhost'],
		['node-connect-econnrefused-5432.txt', 'localhost'],
		['node-econnrefused-localhost-copied-config.txt', 'localhost'],
		['psycopg2-could-not-translate-host-name.txt', 'host'],
		['psycopg2-temporary-failure-in-name-resolution.txt', 'host'],
	];
	assert.deepEqual(
		cases.map(([file]) => [file, databaseCause(lines(file))?.kind]),
		cases,
	);
	assert.match(databaseCause(lines('psycopg2-password-failed-in-cluster.txt'))?.explanation ?? '', /user "authentik"/);
	assert.match(databaseCause(lines('psycopg2-could-not-translate-host-name.txt'))?.title ?? '', /the database host "postgres" does not resolve/);
	assert.equal(databaseCause(['INFO:     Uvicorn running on http://0.0.0.0:8000', 'ValueError: bad setting']), undefined);
});

test("a crash loop says the database's cause in the diagnosis itself, not only by quoting the log", () => {
	const password = diagnosePod({
		pod: capturedPod('crashloop'),
		now,
		logs: {quitter: ['Traceback (most recent call last):', ...lines('sqlalchemy-password-authentication-failed.txt')]},
	});
	assert.equal(password.title, 'quitter keeps crashing: the database rejects its password (10 restarts)');
	assert.match(password.explanation, /keeps the password it was first started with/);
	assert.match(password.fix, /todo-deploy down --delete-data/);
	assert.ok(password.evidence.some(line => /password authentication failed for user "todo"/.test(line)));
	const refused = diagnosePod({pod: capturedPod('crashloop'), now, logs: {quitter: lines('psycopg2-connection-refused-service-host.txt')}});
	assert.match(refused.title, /nothing accepts connections at the database yet/);
	assert.match(refused.fix, /postgresql pod/);
	const starting = diagnosePod({pod: capturedPod('crashloop'), now, logs: {quitter: lines('psycopg2-database-system-starting-up.txt')}});
	assert.equal(starting.title, 'quitter keeps crashing: the database is still starting up (10 restarts)');
	assert.match(starting.fix, /pg_isready/);
	const localhost = diagnosePod({pod: capturedPod('crashloop'), now, logs: {quitter: lines('node-econnrefused-localhost-copied-config.txt')}});
	assert.equal(localhost.title, 'quitter keeps crashing: the database URL points at 127.0.0.1, which in a pod is the pod itself (10 restarts)');
	assert.doesNotMatch(`${localhost.explanation} ${localhost.fix}`, /not ready/);
	assert.match(localhost.fix, /the database's Service/);
});

test("status shows the database's own pod next to the app's database cause, and a host checked against the Services", () => {
	const app = capturedPod('crashloop');
	// A database pod as kubectl shows one that is not ready yet: the captured readiness-failing pod, named as a chart names it.
	const database = {...capturedPod('readiness'), metadata: {...capturedPod('readiness').metadata, name: 'todo-postgresql-0'}};
	const state = {
		...initialStatusState(),
		pods: new Map([
			[app.metadata?.name ?? '', app],
			['todo-postgresql-0', database],
		]),
		services: new Map([
			['todo-backend', {metadata: {name: 'todo-backend'}}],
			['todo-postgresql', {metadata: {name: 'todo-postgresql'}}],
		]),
		crashLogs: new Map([[`${app.metadata?.name ?? ''}/quitter`, {restarts: 10, lines: lines('psycopg2-could-not-translate-host-name.txt')}]]),
	};
	const report = statusSnapshot(state, {context: 'kind-todo', namespace: 'todo'}, now);
	const row = report.pods.find(pod => pod.name === app.metadata?.name);
	assert.match(row?.diagnosis.title ?? '', /the database host "postgres" does not resolve/);
	assert.ok(row?.diagnosis.evidence.includes('database pod todo-postgresql-0: Running, ready 0/1'), row?.diagnosis.evidence.join('\n'));
	assert.ok(row?.diagnosis.evidence.includes('no Service named "postgres" here; the Services are: todo-backend, todo-postgresql'));
	assert.match(row?.diagnosis.fix ?? '', /^Here that is todo-postgresql: make the database URL's host todo-postgresql/);
	// The database pod's own row is untouched.
	assert.doesNotMatch(report.pods.find(pod => pod.name === 'todo-postgresql-0')?.diagnosis.evidence.join('\n') ?? '', /database pod/);
});

test('with no database pod in the namespace, that is said', () => {
	const app = capturedPod('crashloop');
	const state = {
		...initialStatusState(),
		pods: new Map([[app.metadata?.name ?? '', app]]),
		crashLogs: new Map([[`${app.metadata?.name ?? ''}/quitter`, {restarts: 10, lines: lines('psycopg2-connection-refused.txt')}]]),
	};
	const row = statusSnapshot(state, {context: 'kind-todo', namespace: 'todo'}, now).pods[0];
	assert.ok(row?.diagnosis.evidence.some(line => /^no database pod in this namespace/.test(line)));
});

test("a database URL on localhost is told with the database's Service to name instead, unless the database runs in the app's own pod", () => {
	const app = capturedPod('crashloop');
	const name = app.metadata?.name ?? '';
	const withServices = {
		...initialStatusState(),
		pods: new Map([[name, app]]),
		services: new Map([
			['todo-backend', {metadata: {name: 'todo-backend'}}],
			['todo-postgresql', {metadata: {name: 'todo-postgresql'}}],
		]),
		crashLogs: new Map([[`${name}/quitter`, {restarts: 10, lines: lines('libpq-could-not-connect-refused-old.txt')}]]),
	};
	const row = statusSnapshot(withServices, {context: 'kind-todo', namespace: 'todo'}, now).pods[0];
	assert.match(row?.diagnosis.title ?? '', /the database URL points at localhost/);
	assert.match(row?.diagnosis.fix ?? '', /^Here that is todo-postgresql: make the database URL's host todo-postgresql instead of localhost/);

	// A PostgreSQL container beside the app: localhost is right there, and that container is the one to look at.
	const sidecar = {...app, spec: {...app.spec, containers: [...(app.spec?.containers ?? []), {name: 'db', image: 'postgres:16'}]}};
	const beside = statusSnapshot({...withServices, pods: new Map([[name, sidecar]])}, {context: 'kind-todo', namespace: 'todo'}, now).pods[0];
	assert.match(beside?.diagnosis.title ?? '', /keeps crashing: the database in this pod does not accept connections yet/);
	assert.match(beside?.diagnosis.fix ?? '', new RegExp(`kubectl logs ${name} -c db`));
	assert.doesNotMatch(beside?.diagnosis.fix ?? '', /todo-postgresql/);
});
