// Will the image start what its command names? Dockerfiles as FastAPI's and Next.js's own docs write
// them, and the mistakes the public threads show (the module named from the wrong folder, next start
// without next build), read before anything is built.
import assert from 'node:assert/strict';
import {mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {test} from 'node:test';
import {readContract} from '../../source/engine/project/read-contract.js';
import {imageFiles, startProblems} from '../../source/engine/project/start-check.js';
import {readDockerfile} from '../../source/engine/project/dockerfile.js';
import {contractLines} from '../../source/render/contract-words.js';

// FastAPI's "FastAPI in Containers" Dockerfile, with the uvicorn command of its earlier versions.
const fastapiDocs = (command: string) => `FROM python:3.9
WORKDIR /code
COPY ./requirements.txt /code/requirements.txt
RUN pip install --no-cache-dir --upgrade -r /code/requirements.txt
COPY ./app /code/app
CMD ${command}
`;
const fastapiFiles = ['Dockerfile', 'requirements.txt', 'app/__init__.py', 'app/main.py', 'app/routers/items.py'];

test('the COPY lines put the context where the image has it', () => {
	const {files, workdir} = imageFiles(readDockerfile(fastapiDocs('["true"]')).instructions, fastapiFiles);
	assert.equal(workdir, '/code');
	assert.deepEqual([...files].sort(), ['/code/app/__init__.py', '/code/app/main.py', '/code/app/routers/items.py', '/code/requirements.txt']);
	const everything = imageFiles(readDockerfile('FROM python:3.12\nWORKDIR /srv\nCOPY . .\nCOPY *.txt /etc/app/\n').instructions, [
		'main.py',
		'a.txt',
		'lib/b.py',
	]);
	assert.deepEqual([...everything.files].sort(), ['/etc/app/a.txt', '/srv/a.txt', '/srv/lib/b.py', '/srv/main.py']);
});

test("uvicorn's module is looked for under WORKDIR, where the COPY lines put the code", () => {
	assert.deepEqual(
		startProblems(readDockerfile(fastapiDocs('["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "80"]')), 'api/Dockerfile', fastapiFiles),
		[],
	);
	const [wrong, ...rest] = startProblems(
		readDockerfile(fastapiDocs('["uvicorn", "main:app", "--host", "0.0.0.0", "--port", "80"]')),
		'api/Dockerfile',
		fastapiFiles,
	);
	assert.equal(rest.length, 0);
	assert.ok(wrong);
	assert.equal(wrong.at, 'api/Dockerfile:6');
	assert.match(wrong.message, /imports \/code\/main\.py, and the image will not have it: the COPY lines put main\.py at \/code\/app\/main\.py/);
	assert.match(wrong.message, /Could not import module \\"main\\"/);
	assert.equal(wrong.fix, 'Name the module as it lies under WORKDIR /code: uvicorn app.main:app.');
	// --app-dir moves where it looks; the project installed as a package imports from anywhere.
	assert.deepEqual(startProblems(readDockerfile(fastapiDocs('["uvicorn", "main:app", "--app-dir", "app"]')), 'Dockerfile', fastapiFiles), []);
	assert.deepEqual(
		startProblems(readDockerfile(fastapiDocs('uvicorn main:app').replace('COPY ./app /code/app', 'COPY . .\nRUN pip install .')), 'Dockerfile', fastapiFiles),
		[],
	);
	// A file .dockerignore left out is not in the image.
	const missing = startProblems(readDockerfile(fastapiDocs('["uvicorn", "app.main:app"]')), 'Dockerfile', ['requirements.txt', 'app/__init__.py']);
	assert.match(missing[0]?.fix ?? '', /COPY the code that holds main\.py/);
	// A COPY from another stage hides what the image holds: nothing is said.
	assert.deepEqual(
		startProblems(
			readDockerfile('FROM python:3.12 AS build\nFROM python:3.12\nWORKDIR /app\nCOPY --from=build /src /app\nCMD ["uvicorn", "main:app"]\n'),
			'Dockerfile',
			[],
		),
		[],
	);
});

test('next start needs a next build in the image', () => {
	const single = 'FROM node:20-alpine\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nEXPOSE 3000\nCMD ["npm", "start"]\n';
	const [noBuild] = startProblems(readDockerfile(single), 'web/Dockerfile', ['package.json', 'app/page.tsx'], 'next start');
	assert.match(noBuild?.message ?? '', /^next start \(web\/Dockerfile:7\) serves the build in \.next, and no RUN in the Dockerfile runs next build/);
	assert.match(noBuild?.fix ?? '', /RUN npm run build/);
	assert.deepEqual(
		startProblems(readDockerfile(single.replace('COPY . .', 'COPY . .\nRUN npm run build')), 'web/Dockerfile', ['package.json'], 'next start'),
		[],
	);
	// npm start that is not next start is not this check's; next dev needs no build.
	assert.deepEqual(startProblems(readDockerfile(single), 'web/Dockerfile', ['package.json'], 'node server.js'), []);
	assert.deepEqual(startProblems(readDockerfile(single.replace('["npm", "start"]', '["npx", "next", "dev"]')), 'web/Dockerfile', ['package.json']), []);
	const stages = `FROM node:20-alpine AS builder
WORKDIR /app
COPY . .
RUN npm ci && npm run build

FROM node:20-alpine AS runner
WORKDIR /app
COPY --from=builder /app/node_modules ./node_modules
COPY --from=builder /app/package.json ./package.json
CMD ["npx", "next", "start"]
`;
	const [notCopied] = startProblems(readDockerfile(stages), 'Dockerfile', ['package.json']);
	assert.match(notCopied?.message ?? '', /the last stage neither builds nor copies it from the stage that does/);
	assert.deepEqual(startProblems(readDockerfile(stages.replace('CMD', 'COPY --from=builder /app/.next ./.next\nCMD')), 'Dockerfile', ['package.json']), []);
});

test('discover shows the problem under the side, read from the project folder', async t => {
	const root = await mkdtemp(path.join(os.tmpdir(), 'start-check-'));
	t.after(() => rm(root, {recursive: true, force: true}));
	const files: Record<string, string> = {
		'service/Dockerfile': fastapiDocs('["uvicorn", "main:app", "--host", "0.0.0.0", "--port", "8080"]'),
		'service/requirements.txt': 'fastapi\n',
		'service/app/__init__.py': '',
		'service/app/main.py': 'from fastapi import FastAPI\napp = FastAPI()\n',
	};
	for (const [file, text] of Object.entries(files)) {
		await mkdir(path.join(root, path.dirname(file)), {recursive: true});
		await writeFile(path.join(root, file), text);
	}

	const contract = await readContract(root, Object.keys(files), {backend: {context: 'service', dockerfile: 'Dockerfile'}} as never);
	assert.equal(contract.backend?.startProblems?.length, 1);
	const lines = contractLines('backend', contract.backend);
	assert.ok(lines.includes('  the backend image would not start:'));
	assert.ok(lines.some(line => line.includes('uvicorn app.main:app')));
});
