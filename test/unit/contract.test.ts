// The app's contract, read from projects laid out as real ones are: the team's Phase-II layout with
// compose, pydantic settings and a Next.js route that proxies to the backend; and the pieces one at a
// time on other real-world shapes (pydantic v2 prefixes and aliases, process.env on either side,
// compose's list forms, gunicorn's bind).
import assert from 'node:assert/strict';
import {cpSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {listProjectFiles} from '../../source/adapters/project.js';
import {composeServices, kindOf, targetOf} from '../../source/engine/project/contract.js';
import {discoverProject} from '../../source/engine/project/discover.js';
import {readDockerfile} from '../../source/engine/project/dockerfile.js';
import {dockerfileFacts, fastapiHealthPaths, javascriptEnvReads, nextApiPath, pythonEnvReads} from '../../source/engine/project/env-reads.js';
import {readContract} from '../../source/engine/project/read-contract.js';
import {dockerignoreFor} from '../../source/engine/project/unwanted.js';
import {tempDir} from '../helpers/cli.js';
import {localFixtures} from '../helpers/paths.js';

async function teamProject() {
	const root = path.join(tempDir('real-app'), 'todo');
	cpSync(path.join(localFixtures, 'real-app'), root, {recursive: true});
	const files = await listProjectFiles(root);
	const found = discoverProject(files);
	return {root, files, found, contract: await readContract(root, files, {backend: found.backend, frontend: found.frontend})};
}

const envOf = <T extends {readonly name: string}>(contract: {readonly env: readonly T[]} | undefined, name: string) =>
	contract?.env.find(entry => entry.name === name);

test("the team's layout: the backend's port, health path and settings, each with its kind and where it was read", async () => {
	const {found, contract} = await teamProject();
	assert.deepEqual(found.backend, {context: 'Phase-II/backend', dockerfile: 'Dockerfile'});
	const backend = contract.backend;
	assert.equal(backend?.port, 8080);
	assert.equal(backend.portFrom, 'Phase-II/backend/Dockerfile CMD');
	assert.deepEqual(backend.health, ['/healthz']);
	assert.deepEqual(
		backend.env.map(entry => [entry.name, entry.kind, entry.required]),
		[
			['ACCESS_TOKEN_EXPIRE_MINUTES', 'plain', false],
			['ALLOWED_ORIGINS', 'plain', false],
			['DATABASE_URL', 'database-url', false],
			['GEMINI_API_KEY', 'secret', false],
			['GEMINI_BASE_URL', 'service-url', false],
			['GEMINI_MODEL', 'plain', false],
			['JWT_ALGORITHM', 'plain', false],
			['JWT_SECRET_KEY', 'secret', false],
		],
	);
	const database = envOf(backend, 'DATABASE_URL');
	assert.deepEqual(database?.from, ['Phase-II/backend/app/config.py:9', 'Phase-II/docker-compose.yml:services.backend']);
	assert.equal(envOf(backend, 'DATABASE_URL')?.target, 'database');
	assert.equal(envOf(backend, 'JWT_ALGORITHM')?.fallback, 'HS256');
	// A secret's fallback is never shown, even a development one.
	assert.equal(envOf(backend, 'JWT_SECRET_KEY')?.fallback, undefined);
	assert.equal(contract.database?.image, 'postgres:16-alpine');
	assert.deepEqual([contract.database.user, contract.database.database], ['todo_user', 'todo_db']);
});

test("the team's layout: the browser's code bakes the backend's address in at build time, the server reads its own, and it serves /api/health", async () => {
	const {contract} = await teamProject();
	const frontend = contract.frontend;
	assert.equal(frontend?.port, 3000);
	assert.deepEqual(frontend.health, ['/api/health']);
	const apiBase = envOf(frontend, 'NEXT_PUBLIC_API_BASE_URL');
	assert.equal(apiBase?.kind, 'build-time');
	assert.equal(apiBase.target, 'backend');
	assert.equal(apiBase.browser, true, "read in 'use client' code: the browser calls the backend");
	assert.ok(apiBase.from.includes('Phase-II/frontend/lib/backend.ts:4'), apiBase.from.join());
	assert.ok(apiBase.from.includes('Phase-II/frontend/Dockerfile:3'), apiBase.from.join());
	// The server's way to the backend is a setting of its own, read at run time.
	const server = envOf(frontend, 'API_URL');
	assert.equal(server?.kind, 'service-url');
	assert.equal(server.target, 'backend');
	assert.ok(!server.browser);
});

test('what would go into the images that does not belong there, and the line that copies it', async () => {
	const {contract} = await teamProject();
	const unwanted = contract.backend?.unwanted ?? [];
	assert.deepEqual(
		unwanted.map(item => [item.path, item.secret]),
		[
			['Phase-II/backend/.env', true],
			['Phase-II/backend/.venv/', false],
			['Phase-II/backend/dev.db', false],
		],
	);
	assert.match(
		unwanted[0]?.why ?? '',
		/^an environment file with 3 values, JWT_SECRET_KEY, DATABASE_URL look real, copied by `COPY \. \.` \(Phase-II\/backend\/Dockerfile:3\)$/,
	);
	assert.deepEqual(
		contract.frontend?.unwanted.map(item => [item.path, item.secret]),
		[['Phase-II/frontend/.env.local', false]],
	);
	assert.deepEqual(dockerignoreFor(unwanted), ['.env', '.env.*', '!.env.example', '.venv/', '*.db', '*.sqlite*']);
	assert.ok(
		contract.credentials.some(item => /^Phase-II\/backend\/\.env:\d+ \(DATABASE_URL\)$/.test(item.path) && /neon\.tech/.test(item.what)),
		JSON.stringify(contract.credentials),
	);
});

test('pydantic v2 settings: a prefix, aliases, Field defaults, required and optional fields', () => {
	const reads = pythonEnvReads(
		[
			'from pydantic import Field',
			'from pydantic_settings import BaseSettings, SettingsConfigDict',
			'',
			'class AppSettings(BaseSettings):',
			'    model_config = SettingsConfigDict(env_prefix="TODO_", env_file=".env")',
			'    database_url: str',
			'    secret_key: str = Field(..., alias="AUTH_SECRET")',
			'    debug: bool = False',
			'    redis_url: str | None = None',
			'    workers: int = Field(4, ge=1)',
			'',
			'def build():',
			'    return os.environ["SENTRY_DSN"], os.getenv("LOG_LEVEL", "info")',
		].join('\n'),
		'api/settings.py',
	);
	assert.deepEqual(
		reads.map(read => [read.name, read.required, read.fallback ?? null, read.at]),
		[
			['LOG_LEVEL', false, 'info', 'api/settings.py:13'],
			['SENTRY_DSN', true, null, 'api/settings.py:13'],
			['TODO_DATABASE_URL', true, null, 'api/settings.py:6'],
			['AUTH_SECRET', true, null, 'api/settings.py:7'],
			['TODO_DEBUG', false, 'false', 'api/settings.py:8'],
			['TODO_REDIS_URL', false, null, 'api/settings.py:9'],
			['TODO_WORKERS', false, '4', 'api/settings.py:10'],
		],
	);
});

test('process.env on the server and in the browser; a browser-only address is marked', () => {
	const server = javascriptEnvReads(
		"const url = process.env.BACKEND_URL ?? 'http://localhost:8000';\nconst key = process.env['NEXTAUTH_SECRET'];\n",
		'web/app/api/todos/route.ts',
	);
	assert.deepEqual(
		server.map(read => [read.name, read.fallback ?? null, read.side]),
		[
			['BACKEND_URL', 'http://localhost:8000', 'server'],
			['NEXTAUTH_SECRET', null, 'server'],
		],
	);
	const client = javascriptEnvReads(
		"'use client';\nexport const base = process.env.NEXT_PUBLIC_API_URL || \"http://localhost:8000\";\nif (process.env.NODE_ENV === 'x') {}\n",
		'web/lib/client.ts',
	);
	assert.deepEqual(
		client.map(read => [read.name, read.side]),
		[['NEXT_PUBLIC_API_URL', 'client']],
	);
	assert.equal(nextApiPath('web/src/app/api/(internal)/healthz/route.ts'), '/api/healthz');
	assert.equal(nextApiPath('web/pages/api/health/index.js'), '/api/health');
	assert.deepEqual(fastapiHealthPaths("router = APIRouter(prefix='/api')\n@router.get('/ready')\n@app.get(\"/health\")\n@router.get('/todos')\n"), [
		'/api/ready',
		'/health',
	]);
});

test('Dockerfiles: build arguments, ENV, EXPOSE, USER, the HEALTHCHECK path and the port in the start command', () => {
	const facts = dockerfileFacts(
		readDockerfile(
			[
				'FROM python:3.12-slim',
				'ARG APP_VERSION=dev',
				'ENV PYTHONUNBUFFERED=1 PORT=5000',
				'COPY requirements.txt .',
				'COPY . /srv',
				'USER app',
				'EXPOSE 5000',
				'HEALTHCHECK --interval=30s CMD curl -f http://localhost:5000/api/health || exit 1',
				'CMD ["gunicorn", "-w", "2", "-b", "0.0.0.0:5000", \\',
				'     "app:create_app()"]',
			].join('\n'),
		),
		'Dockerfile',
	);
	assert.deepEqual(
		facts.args.map(read => [read.name, read.fallback]),
		[['APP_VERSION', 'dev']],
	);
	assert.deepEqual(
		facts.env.map(read => [read.name, read.fallback]),
		[
			['PYTHONUNBUFFERED', '1'],
			['PORT', '5000'],
		],
	);
	assert.deepEqual([facts.exposed, facts.user, facts.healthPath, facts.commandPort], [[5000], 'app', '/api/health', 5000]);
	assert.deepEqual(
		facts.copiesEverything.map(copy => copy.line),
		[5],
	);
});

test('compose: list and map forms of environment, env_file, build args, the healthcheck, and which service is whose', () => {
	const services = composeServices(
		[
			'services:',
			'  api:',
			'    build: {context: ../services/api, args: [APP_ENV=prod]}',
			'    env_file: [.env, ../common.env]',
			'    environment: ["SECRET_KEY", "DB_URL=postgresql://app:app@postgres:5432/app"]',
			'    ports: ["127.0.0.1:8001:8000"]',
			'    healthcheck: {test: "wget -qO- http://127.0.0.1:8000/status"}',
			'  postgres:',
			'    image: postgres:15',
		].join('\n'),
		'deploy/compose.yaml',
	);
	const api = services[0];
	assert.equal(api?.context, 'services/api');
	assert.deepEqual(api.envFiles, ['deploy/.env', 'common.env']);
	assert.deepEqual(api.environment, {SECRET_KEY: '', DB_URL: 'postgresql://app:app@postgres:5432/app'});
	assert.deepEqual([api.args, api.containerPorts, api.healthPath], [{APP_ENV: 'prod'}, [8000], '/status']);
	assert.equal(kindOf('DB_URL', ['postgresql://app:app@postgres:5432/app'], false), 'database-url');
	assert.equal(kindOf('SESSION_SIGNING_KEY', [], false), 'secret');
	assert.equal(kindOf('SESSION_TOKEN_TTL', ['3600'], false), 'plain');
	assert.equal(kindOf('API_BASE', ['http://api:8000'], true), 'build-time');
	assert.equal(targetOf('UPSTREAM', ['http://api:8000/v1'], {backend: 8000}, {api: 'backend', postgres: 'database'}), 'backend');
	assert.equal(targetOf('NEXTAUTH_URL', [], {}, {}), 'frontend');
});
