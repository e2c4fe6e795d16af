// todo-deploy's chart fitted to the app's contract, and the Secret that goes with it: the team's real
// layout (a JWT secret under its own name, a sqlite fallback, a Next.js build-time address) and the
// smaller shapes one at a time.
import assert from 'node:assert/strict';
import {cpSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {load} from 'js-yaml';
import {listProjectFiles} from '../../source/adapters/project.js';
import {chartSecretEnv, fitChart, roleOf} from '../../source/engine/deploy/fit.js';
import {resolveSecrets, secretData, secretSpecsFor} from '../../source/engine/deploy/secrets.js';
import type {EnvUse, ServiceContract} from '../../source/engine/project/contract.js';
import {discoverProject} from '../../source/engine/project/discover.js';
import {readContract, type AppContract} from '../../source/engine/project/read-contract.js';
import {contractSummary} from '../../source/engine/up/stages/doctor.js';
import {tempDir} from '../helpers/cli.js';
import {localFixtures, repoRoot} from '../helpers/paths.js';

async function teamContract(): Promise<AppContract> {
	const root = path.join(tempDir('real-app'), 'todo');
	cpSync(path.join(localFixtures, 'real-app'), root, {recursive: true});
	const files = await listProjectFiles(root);
	const found = discoverProject(files);
	return readContract(root, files, {backend: found.backend, frontend: found.frontend});
}

const side = (port: number, env: EnvUse[], health: string[] = []): ServiceContract => ({port, portFrom: 'test', health, env, unwanted: []});
const use = (name: string, kind: EnvUse['kind'], extra: Partial<EnvUse> = {}): EnvUse => ({name, kind, required: false, from: ['app.py:1'], ...extra});

test("the shipped chart's default secretEnv is what fit.ts leaves out when the code does not read it", () => {
	const values = load(readFileSync(path.join(repoRoot, 'charts/todo-app/values.yaml'), 'utf8')) as Record<string, {secretEnv: Record<string, unknown>}>;
	assert.deepEqual(Object.keys(values['backend']?.secretEnv ?? {}).sort(), [...chartSecretEnv.backend].sort());
	assert.deepEqual(Object.keys(values['frontend']?.secretEnv ?? {}).sort(), [...chartSecretEnv.frontend].sort());
});

test("the team's app: its port, probe path, JWT secret, database URL and the frontend's baked-in backend address", async () => {
	const fit = fitChart({contract: await teamContract(), release: 'todo'});
	const values = fit.values as {
		backend: {port: number; probes: {readiness: {path: string}}; secretEnv: Record<string, unknown>; env?: Record<string, string>};
		frontend: {env: Record<string, string>};
		secrets: {existingSecret: string};
		postgresql: {username: string; database: string};
	};
	assert.equal(values.backend.port, 8080);
	assert.equal(values.backend.probes.readiness.path, '/healthz');
	assert.deepEqual(values.backend.secretEnv, {
		DATABASE_URL: 'DATABASE_URL',
		JWT_SECRET_KEY: 'JWT_SECRET_KEY',
		GEMINI_API_KEY: {key: 'GEMINI_API_KEY', optional: true},
		// The chart's own name for the auth secret is not read by this code: helm deletes a null.
		AUTH_SECRET: null,
	});
	assert.equal(values.secrets.existingSecret, 'todo-todo-app-app-secrets');
	// The compose file's database service names its user and database.
	assert.deepEqual(values.postgresql, {username: fit.database.user, database: fit.database.name});
	// The browser calls the backend at the address held for it on this machine (its own port, 8080); the
	// frontend's server reaches it inside the cluster.
	assert.equal(values.frontend.env['NEXT_PUBLIC_API_BASE_URL'], 'http://localhost:8080');
	assert.deepEqual(fit.buildArgs.frontend, {NEXT_PUBLIC_API_BASE_URL: 'http://localhost:8080'});
	assert.equal(values.frontend.env['API_URL'], 'http://todo-todo-app-backend:8080');
	// The backend lets the page from the frontend's address call it.
	assert.equal(values.backend.env?.['ALLOWED_ORIGINS'], 'http://localhost:3000');
	assert.deepEqual(
		fit.bindings.map(binding => [binding.key, binding.source.type === 'role' ? binding.source.role : binding.source.type, binding.optional]),
		[
			['DATABASE_URL', 'database-url', false],
			['GEMINI_API_KEY', 'geminiApiKey', true],
			['JWT_SECRET_KEY', 'authSecret', false],
		],
	);
	assert.ok(fit.learnt.some(line => /JWT_SECRET_KEY ← the auth secret.*config\.py:10/.test(line)));
	assert.ok(fit.learnt.some(line => /backend: listens on 8080 \(Phase-II\/backend\/Dockerfile CMD\)/.test(line)));
	assert.deepEqual(fit.gaps, []);
});

test("the Secret holds todo-deploy's keys and the app's own names; the database URL keeps the app's driver", () => {
	const fit = fitChart({
		contract: {
			backend: side(8000, [
				use('SQLALCHEMY_DATABASE_URI', 'database-url', {scheme: 'postgresql+psycopg2', required: true}),
				use('SECRET_KEY', 'secret', {required: true}),
				use('STRIPE_API_KEY', 'secret', {required: true}),
				use('WEBHOOK_SIGNING_SECRET', 'secret'),
			]),
			credentials: [],
		},
		release: 'shop',
	});
	const specs = secretSpecsFor(fit.bindings);
	const resolved = resolveSecrets(
		{env: {STRIPE_API_KEY: 'sk_test_51HqLyjWDarjtT1zdp7dc'}, dotenv: {}, prompted: {}, existing: undefined, random: () => 'generated-value-1234567890'},
		specs,
	);
	assert.deepEqual(resolved.problems, []);
	const data = secretData(resolved.secrets, {host: 'shop-todo-app-postgresql', user: 'todo', name: 'todo'}, fit.bindings, specs);
	assert.equal(data['SQLALCHEMY_DATABASE_URI'], 'postgresql+psycopg2://todo:generated-value-1234567890@shop-todo-app-postgresql:5432/todo');
	assert.equal(data['DATABASE_URL'], 'postgresql://todo:generated-value-1234567890@shop-todo-app-postgresql:5432/todo');
	// SECRET_KEY is the auth secret, under the app's name and todo-deploy's.
	assert.equal(data['SECRET_KEY'], data['AUTH_SECRET']);
	assert.equal(data['STRIPE_API_KEY'], 'sk_test_51HqLyjWDarjtT1zdp7dc');
	// A signing secret of the app's own is made up, and kept by the next deploy (the cluster has it).
	assert.equal(data['WEBHOOK_SIGNING_SECRET'], 'generated-value-1234567890');
	const again = resolveSecrets({env: {}, dotenv: {}, prompted: {}, existing: data, random: () => 'another-value-0987654321'}, specs);
	assert.equal(again.secrets.find(secret => secret.name === 'WEBHOOK_SIGNING_SECRET')?.source, 'cluster');
});

test('a provider key the code needs and nobody gave stops the deploy with what to set; one with a fallback is left out', () => {
	const fit = fitChart({
		contract: {backend: side(8000, [use('STRIPE_API_KEY', 'secret', {required: true}), use('SENTRY_TOKEN', 'secret')]), credentials: []},
		release: 'todo',
	});
	const resolved = resolveSecrets(
		{env: {}, dotenv: {}, prompted: {}, existing: undefined, random: () => 'q8Vd2kLm0sRt5wXz7bNc4yPa'},
		secretSpecsFor(fit.bindings),
	);
	assert.deepEqual(
		resolved.problems.map(problem => [problem.name, problem.fix]),
		[['STRIPE_API_KEY', "Set STRIPE_API_KEY in the environment or the project's .env, and run again."]],
	);
	assert.deepEqual((fit.values as {backend: {secretEnv: Record<string, unknown>}}).backend.secretEnv['SENTRY_TOKEN'], {key: 'SENTRY_TOKEN', optional: true});
});

test('addresses: a server-side read gets the Service, a browser read the address held on this machine, a *_HOST the host name', () => {
	const contract = {
		backend: side(9000, [
			use('DB_HOST', 'service-url', {target: 'database'}),
			use('CORS_ORIGINS', 'plain', {value: 'http://localhost:3000,https://todo.example.com'}),
		]),
		frontend: side(3000, [
			use('API_URL', 'service-url', {target: 'backend'}),
			use('NEXT_PUBLIC_API_URL', 'build-time', {target: 'backend', browser: true, arg: true}),
			use('NEXT_PUBLIC_SITE_NAME', 'build-time', {value: 'Todos'}),
		]),
		credentials: [],
	};
	const fit = fitChart({contract, release: 'todo-app'});
	const values = fit.values as {backend: {env: Record<string, string>}; frontend: {env: Record<string, string>}};
	assert.equal(values.backend.env['DB_HOST'], 'todo-app-postgresql');
	assert.equal(values.frontend.env['API_URL'], 'http://todo-app-backend:9000');
	// The browser reaches the backend where todo-deploy holds it: by default the port the app declares.
	assert.equal(fit.buildArgs.frontend?.['NEXT_PUBLIC_API_URL'], 'http://localhost:9000');
	// Baked in by next build with no ARG for it: a .env.production.local in the context todo-deploy sends.
	assert.deepEqual(fit.bakedEnv.frontend, {NEXT_PUBLIC_SITE_NAME: 'Todos'});
	assert.equal(fit.buildArgs.frontend['NEXT_PUBLIC_SITE_NAME'], undefined);
	assert.deepEqual(fit.gaps, []);
	// The backend lets the browser call it from the frontend's address; the project's other origins stay.
	assert.equal(values.backend.env['CORS_ORIGINS'], 'http://localhost:3000,https://todo.example.com');

	// Ports moved for a taken one: what is baked in and allowed follows.
	const moved = fitChart({contract, release: 'todo-app', addresses: {frontend: 3001, backend: 9001}});
	assert.equal(moved.buildArgs.frontend?.['NEXT_PUBLIC_API_URL'], 'http://localhost:9001');
	assert.equal((moved.values as typeof values).backend.env['CORS_ORIGINS'], 'http://localhost:3001,https://todo.example.com');
	assert.equal((moved.values as typeof values).frontend.env['API_URL'], 'http://todo-app-backend:9000');
});

test('which of todo-deploy secrets a name is', () => {
	const cases: Array<[string, string | undefined]> = [
		['JWT_SECRET_KEY', 'authSecret'],
		['JWT_SECRET', 'authSecret'],
		['BETTER_AUTH_SECRET', 'authSecret'],
		['NEXTAUTH_SECRET', 'authSecret'],
		['SECRET_KEY', 'authSecret'],
		['SESSION_SECRET', 'authSecret'],
		['GEMINI_API_KEY', 'geminiApiKey'],
		['GOOGLE_API_KEY', 'geminiApiKey'],
		['POSTGRES_PASSWORD', 'databasePassword'],
		['DB_PASSWORD', 'databasePassword'],
		['STRIPE_SECRET_KEY', undefined],
		['GITHUB_CLIENT_SECRET', undefined],
		['OPENAI_API_KEY', undefined],
		['AUTH_TOKEN', undefined],
	];
	assert.deepEqual(
		cases.map(([name]) => [name, roleOf(name)]),
		cases,
	);
});

test("the wizard's plan says what the app's code reads, side by side", async () => {
	assert.equal(
		contractSummary(await teamContract()),
		'The app, as its code reads it: backend on 8080 (/healthz) reading DATABASE_URL, GEMINI_API_KEY, GEMINI_BASE_URL, JWT_SECRET_KEY; frontend on 3000 (/api/health) reading API_URL, NEXT_PUBLIC_API_BASE_URL.',
	);
	assert.equal(contractSummary({credentials: []}), '');
});
