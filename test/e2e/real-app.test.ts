// The team's real project, as it is (test/fixtures/real-app): a FastAPI backend with register/login
// and a bearer-protected /api/v1/tasks/ whose create answers 200, a JWT secret under its own name with a
// development fallback, a .env with values and a SQLite file beside it and no .dockerignore; a
// Next.js-style frontend that bakes NEXT_PUBLIC_API_BASE_URL in at build time and proxies /api/tasks;
// a compose file; and a chart of its own that would not deploy. `todo-deploy --yes`, told nothing about
// the app and with no edits, must reach "verified" with its pods run for real against a real PostgreSQL.
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {copyTeamProject, startAppWorld, type AppWorld} from '../helpers/app-world.js';
import {freePort, runCli, failureOf} from '../helpers/cli.js';
import {removeImages} from '../helpers/images.js';

let world: AppWorld;
const made: string[] = [];

before(async () => {
	world = await startAppWorld();
});

after(async () => {
	await world.stop();
	removeImages(made);
});

const filesIn = (image: string) =>
	execFileSync('docker', ['run', '--rm', '--network', 'none', '--entrypoint', 'sh', image, '-c', 'find / -xdev -type f 2>/dev/null'], {encoding: 'utf8'});

test("todo-deploy --yes on the team's project, told nothing about the app, no edits: the fitted chart, clean images, authenticated CRUD, verified", async t => {
	const root = copyTeamProject();
	const before = execFileSync('find', [root, '-type', 'f', '-newer', path.join(root, 'README.md')], {encoding: 'utf8'});
	// Nothing about the app is given. The load check's shape is: 100 users would measure this machine's
	// two cores (the load, kubectl, the simulator and the app share them), not the wizard.
	const result = await runCli(['--yes', root, '--users', '20', '--duration', '5'], {env: world.env(), timeoutMs: 600_000});
	made.push(...[...result.stdout.matchAll(/todo-(?:backend|frontend):src-[0-9a-f]{12}(?:-args-[0-9a-f]+)?/g)].map(match => match[0]));
	t.diagnostic(/^. Load check: .*$/m.exec(result.stdout)?.[0] ?? 'no load check line');
	assert.equal(result.code, 0, failureOf(result));
	for (const line of [
		// The project's chart would not deploy: todo-deploy's, fitted, instead; the notes say what was learnt and where.
		/^✔ Fit the chart to the app: todo-deploy's chart instead of Phase-IV\/charts\/todo-app \(\d+ errors?: .*\), fitted to the app/m,
		/backend: JWT_SECRET_KEY ← the auth secret .*Phase-II\/backend\/app\/config\.py:10/,
		// What the browser's scripts read is baked in as the backend's address on this machine; the
		// frontend's server calls the backend inside the cluster.
		/frontend: NEXT_PUBLIC_API_BASE_URL = http:\/\/localhost:\d+, baked in at build time through a build argument \(read in the browser\)/,
		/frontend: API_URL = http:\/\/todo-todo-app-backend:8080/,
		/backend: ALLOWED_ORIGINS = http:\/\/localhost:\d+ \(the browser's origin: the frontend's address on this machine\)/,
		// A real-looking credential committed in the project is named, to rotate.
		/Phase-II\/backend\/\.env:3 \(DATABASE_URL\) holds a postgresql URL with a password for ep-quiet-forest-a5b2c3d4\.us-east-2\.aws\.neon\.tech: rotate it/,
		/Left out of the backend image \(it does not belong there\): Phase-II\/backend\/\.env \(holds secrets\), .*Phase-II\/backend\/dev\.db/,
		/^✔ Rollout: 3 pods ready/m,
		/^✔ Learn the app's API: GET \/openapi\.json \(OpenAPI\): the todos at \/api\/v1\/tasks\/ \(create 200, PATCH to update\); sign-in: the OAuth2 password flow's tokenUrl/m,
		/^✔ Health endpoints: \/healthz 200/m,
		/^✔ Smoke test \(todo API\): sign up 201, log in 200, create 200, list 200, update 200, read back 200, delete 204, gone 404; auth: signed up todo-deploy-\w+@example\.com and logged in/m,
		/^✔ Frontend reaches the backend: http:\/\/localhost:\d+ serves its page, whose scripts call the backend at http:\/\/localhost:\d+, which lets them \(CORS\); \/api\/health 200, \/api\/tasks 200/m,
		// No Gemini key was given: the chatbot is off, and nothing calls it verified.
		/^- Chatbot: skipped \(chatbot not verified: no Gemini key given \(the chatbot is off\)\)$/m,
		/^✔ Load check: 20 users for 5 s: .* on GET \/api\/v1\/tasks\/ as the signed-in test user; p95 under the 500 ms target/m,
		/^Open http:\/\/localhost:\d+ in your browser: sign up in the app .* Verified; report: /m,
	]) {
		assert.match(result.stdout, line);
	}

	// No file of the project was changed or added (the report and state live in .todo-deploy/).
	const after = execFileSync('find', [root, '-type', 'f', '-newer', path.join(root, 'README.md'), '-not', '-path', '*/.todo-deploy/*'], {encoding: 'utf8'});
	assert.equal(after, before);

	// The Secret and the ConfigMap carry the app's own names.
	const secret = world.cluster.get('Secret', 'todo', 'todo-todo-app-app-secrets') as {data: Record<string, string>};
	const decoded = Object.fromEntries(Object.entries(secret.data).map(([key, value]) => [key, Buffer.from(value, 'base64').toString()]));
	// The user and database the compose file's db service names.
	assert.match(decoded['DATABASE_URL'] ?? '', /^postgresql:\/\/todo_user:[^@]+@todo-todo-app-postgresql:5432\/todo_db$/);
	assert.ok((decoded['JWT_SECRET_KEY'] ?? '').length >= 24 && decoded['JWT_SECRET_KEY'] !== 'dev-insecure-secret');
	const backendPod = world.started.find(entry => entry.image.startsWith('todo-backend:'));
	assert.equal(backendPod?.env['JWT_SECRET_KEY'], decoded['JWT_SECRET_KEY'], 'the backend runs with the generated secret, not its fallback');
	assert.equal(backendPod?.env['AUTH_SECRET'], undefined);
	const config = world.cluster.get('ConfigMap', 'todo', 'todo-todo-app-config') as {data: Record<string, string>};
	assert.match(config.data['NEXT_PUBLIC_API_BASE_URL'] ?? '', /^http:\/\/localhost:\d+$/);
	assert.equal(config.data['API_URL'], 'http://todo-todo-app-backend:8080');

	// The test's todo is gone; its throwaway user is what stays, and the report says so.
	assert.equal(world.postgres.query('SELECT count(*) FROM task', 'todo_db').trim(), '0');
	assert.match(world.postgres.query('SELECT email FROM "user"', 'todo_db'), /^todo-deploy-\w+@example\.com$/m);
	const report = readFileSync(path.join(root, '.todo-deploy/report.md'), 'utf8');
	assert.match(report, /Deployed chart: todo-deploy's chart, because the project's chart Phase-IV\/charts\/todo-app failed lint/);
	assert.match(report, /Left behind by the smoke test: the throwaway user todo-deploy-\w+@example\.com \(the API has no way to delete a user\)/);
	assert.match(report, /\| Verification \| ✅ verified \|/);
	assert.match(report, /- \*\*Chatbot:\*\* not run: chatbot not verified: no Gemini key given/);

	// The images hold no .env, no database file, no virtualenv.
	const backendImage = /todo-backend:src-[0-9a-f]{12}/.exec(result.stdout)?.[0] ?? '';
	const frontendImage = /todo-frontend:src-[0-9a-f]{12}(?:-args-[0-9a-f]+)?/.exec(result.stdout)?.[0] ?? '';
	assert.doesNotMatch(filesIn(backendImage), /\/code\/(\.env|dev\.db|\.venv\/)/);
	assert.doesNotMatch(filesIn(frontendImage), /\/app\/\.env\.local/);
	assert.match(filesIn(backendImage), /\/code\/app\/main\.py/);
});

test('a frontend built with a wrong backend address: verify fails, and says which address the page calls and how the right one is baked in', async () => {
	const root = copyTeamProject();
	const unreachable = `http://127.0.0.1:${await freePort()}`;
	// A saved answer that sends the frontend to a development address (as its .env.local does).
	writeFileSync(
		path.join(root, 'todo-deploy.json'),
		JSON.stringify({
			frontend: {context: 'Phase-II/frontend', dockerfile: 'Dockerfile', env: {NEXT_PUBLIC_API_BASE_URL: {kind: 'build-time', value: unreachable}}},
		}),
	);
	const result = await runCli(['up', root, '--yes', '-n', 'broken', '--users', '5', '--duration', '1'], {env: world.env(), timeoutMs: 600_000});
	made.push(...[...result.stdout.matchAll(/todo-(?:backend|frontend):src-[0-9a-f]{12}(?:-args-[0-9a-f]+)?/g)].map(match => match[0]));
	assert.equal(result.code, 8, failureOf(result));
	assert.match(result.stdout, /^✔ Smoke test \(todo API\): sign up 201, log in 200, create 200/m);
	// The page's scripts name the saved address, not the one this machine holds for the backend: the
	// browser check says so before anything is asked through the frontend.
	assert.match(
		result.stdout,
		new RegExp(
			`^✖ Frontend reaches the backend: The page's scripts do not call the backend at http://localhost:\\d+, where your browser reaches it: they name ${unreachable}`,
			'm',
		),
	);
	assert.match(
		result.stdout,
		/fix: The backend's address is baked into the frontend when it is built: .*a value the project gives in todo-deploy\.json wins over it/,
	);
});
