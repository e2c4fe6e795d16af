// What an app needs at run time that the chart's strict defaults refuse, read from Dockerfiles and code
// written as real projects write them (the Next.js standalone example's user, a FastAPI app that makes
// its upload folder and a log file, npm start on the node image), fitted into the chart, and rendered
// by the real helm against the chart's schema.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {test} from 'node:test';
import {readDockerfile} from '../../source/engine/project/dockerfile.js';
import {dump, load} from 'js-yaml';
import {chartWritablePaths, fitChart} from '../../source/engine/deploy/fit.js';
import {parseManifest} from '../../source/engine/lint/run.js';
import {readContract} from '../../source/engine/project/read-contract.js';
import {codeWrites, runtimeNeeds} from '../../source/engine/project/runtime-needs.js';
import {helm} from '../helpers/helm.js';
import {repoRoot} from '../helpers/paths.js';

const nextStandalone = `FROM node:20-alpine AS base

FROM base AS builder
WORKDIR /app
COPY . .
RUN npm ci && npm run build

FROM base AS runner
WORKDIR /app
ENV NODE_ENV=production
RUN addgroup --system --gid 1001 nodejs
RUN adduser --system --uid 1001 nextjs
COPY --from=builder --chown=nextjs:nodejs /app/.next/standalone ./
USER nextjs
EXPOSE 3000
CMD ["node", "server.js"]
`;

const fastapi = `FROM python:3.12-slim
WORKDIR /code
COPY ./requirements.txt /code/requirements.txt
RUN pip install --no-cache-dir -r /code/requirements.txt
COPY ./app /code/app
VOLUME ["/code/data"]
CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "80"]
`;

const fastapiCode = `import logging, os
from pathlib import Path
UPLOADS = "uploads"
os.makedirs("uploads/avatars", exist_ok=True)
Path("/var/cache/thumbs").mkdir(parents=True, exist_ok=True)
handler = logging.FileHandler("app.log")
with open("/tmp/scratch.txt", "w") as scratch:
    scratch.write("ok")
with open("settings.json") as settings:
    pass
`;

test('the Dockerfile and the code say what the app writes, as whom it runs, and how it starts', () => {
	const writes = codeWrites(fastapiCode, 'backend/app/main.py');
	assert.deepEqual(
		writes.map(write => [write.path, write.folder, write.at]),
		[
			['uploads/avatars', true, 'backend/app/main.py:4'],
			['/var/cache/thumbs', true, 'backend/app/main.py:5'],
			['app.log', false, 'backend/app/main.py:6'],
			['/tmp/scratch.txt', false, 'backend/app/main.py:7'],
		],
	);
	const backend = runtimeNeeds(readDockerfile(fastapi), 'backend/Dockerfile', writes);
	assert.equal(backend.workdir, '/code');
	assert.deepEqual(
		backend.writes.map(write => write.path),
		['/code/data', '/code/uploads/avatars', '/var/cache/thumbs'],
	);
	// A log file beside the code cannot get an emptyDir without hiding the code; /tmp is writable already.
	assert.deepEqual(backend.writesBesideCode, [{path: '/code/app.log', from: 'backend/app/main.py:6'}]);
	assert.equal(backend.packageManager, undefined);
	assert.equal(backend.uid, undefined);

	const frontend = runtimeNeeds(readDockerfile(nextStandalone), 'frontend/Dockerfile', []);
	assert.deepEqual(frontend.uid, {uid: 1001, user: 'nextjs', from: 'frontend/Dockerfile:14'});
	assert.equal(frontend.packageManager, undefined);

	const npmStart = runtimeNeeds(readDockerfile('FROM node:22-bookworm-slim\nWORKDIR /srv/web\nCOPY . .\nUSER node\nCMD npm run start\n'), 'web/Dockerfile', []);
	assert.deepEqual(npmStart.packageManager, {tool: 'npm', from: 'web/Dockerfile:5', homeSet: false});
	assert.deepEqual(npmStart.uid, {uid: 1000, user: 'node', from: 'web/Dockerfile:4'});
	const root = runtimeNeeds(readDockerfile('FROM python:3.12\nUSER root\nCMD ["python", "-m", "app"]\n'), 'Dockerfile', []);
	assert.deepEqual(root.user, {name: 'root', from: 'Dockerfile:2', root: true});
	const named = runtimeNeeds(readDockerfile('FROM python:3.12\nUSER app\nCMD ["python", "-m", "app"]\n'), 'Dockerfile', []);
	assert.deepEqual(named.user, {name: 'app', from: 'Dockerfile:2', root: false});
});

test('the chart keeps the default writable folders the fit adds to', () => {
	const values = load(readFileSync(path.join(repoRoot, 'charts/todo-app/values.yaml'), 'utf8')) as Record<string, {writablePaths: string[]}>;
	assert.deepEqual(values['backend']?.writablePaths, chartWritablePaths.backend);
	assert.deepEqual(values['frontend']?.writablePaths, chartWritablePaths.frontend);
});

test('a project whose app writes, runs as its own user, listens on 80 and starts with npm is fitted, and helm renders it', async t => {
	const root = await mkdtemp(path.join(os.tmpdir(), 'runtime-needs-'));
	t.after(() => rm(root, {recursive: true, force: true}));
	const files: Record<string, string> = {
		'api/Dockerfile': fastapi,
		'api/requirements.txt': 'fastapi\n',
		'api/app/main.py': `from fastapi import FastAPI\napp = FastAPI()\n${fastapiCode}`,
		'web/Dockerfile': 'FROM node:22-alpine\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nEXPOSE 3000\nCMD ["npm", "start"]\n',
		'web/package.json': '{"name": "web", "scripts": {"start": "next start"}}\n',
	};
	for (const [file, text] of Object.entries(files)) {
		await mkdir(path.join(root, path.dirname(file)), {recursive: true});
		await writeFile(path.join(root, file), text);
	}

	const contract = await readContract(root, Object.keys(files), {
		backend: {context: 'api', dockerfile: 'Dockerfile'},
		frontend: {context: 'web', dockerfile: 'Dockerfile'},
	} as never);
	const fit = fitChart({contract, release: 'demo'});
	const backend = fit.values['backend'] as Record<string, unknown>;
	const frontend = fit.values['frontend'] as Record<string, unknown> & {env: Record<string, string>};
	assert.deepEqual(backend['writablePaths'], ['/tmp', '/code/data', '/code/uploads/avatars', '/var/cache/thumbs']);
	assert.equal(backend['unprivilegedPortStart'], 80);
	assert.equal(frontend.env['npm_config_cache'], '/tmp/.npm');
	assert.equal(frontend.env['HOME'], '/tmp');
	assert.ok(fit.learnt.some(line => /^backend: listens on 80, below 1024/.test(line)));
	assert.ok(fit.learnt.some(line => /^frontend: starts with npm \(web\/Dockerfile:6\)/.test(line)));
	assert.ok(fit.gaps.some(line => /^backend: writes \/code\/app\.log \(api\/app\/main\.py:8\) in \/code, the folder of its own code/.test(line)));

	const valuesFile = path.join(root, 'fitted.yaml');
	await writeFile(valuesFile, dump(fit.values));
	const rendered = await helm([
		'template',
		'demo',
		path.join(repoRoot, 'charts/todo-app'),
		'-f',
		valuesFile,
		'--set',
		'secrets.databasePassword=x',
		'--set',
		'secrets.authSecret=y',
	]);
	assert.equal(rendered.code, 0, rendered.stderr);
	const pods = parseManifest(rendered.stdout).filter(object => object.kind === 'Deployment');
	const podOf = (side: string) =>
		(pods.find(object => object.metadata?.name === `demo-todo-app-${side}`) as unknown as {spec: {template: {spec: unknown}}}).spec.template.spec;
	const backendPod = podOf('backend') as {securityContext: {sysctls: unknown}; containers: Array<{volumeMounts: Array<{mountPath: string}>}>};
	assert.deepEqual(backendPod.securityContext.sysctls, [{name: 'net.ipv4.ip_unprivileged_port_start', value: '80'}]);
	assert.deepEqual(
		backendPod.containers[0]?.volumeMounts.map(mount => mount.mountPath),
		['/tmp', '/code/data', '/code/uploads/avatars', '/var/cache/thumbs'],
	);
});
