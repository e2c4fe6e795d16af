// A NEXT_PUBLIC_* value a Dockerfile declares no ARG for reaches `next build` as a .env.production.local
// todo-deploy adds to the context it sends: the project is not touched, a file of the same name in it
// is not sent, the value is public only, and a changed value changes the tag.
import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {test} from 'node:test';
import * as tarStream from 'tar-stream';
import {packBuildContext} from '../../source/adapters/build-context.js';
import {createSystem} from '../../source/adapters/system.js';
import {bakedEnvFile, imageGuards} from '../../source/engine/images/guard.js';
import {planImage} from '../../source/engine/images/plan.js';

async function filesOf(stream: NodeJS.ReadableStream): Promise<Map<string, string>> {
	const extract = tarStream.extract();
	const files = new Map<string, string>();
	extract.on('entry', (header, body, next) => {
		const chunks: Buffer[] = [];
		body.on('data', (chunk: unknown) => chunks.push(chunk as Buffer));
		body.on('end', () => {
			files.set(header.name, Buffer.concat(chunks).toString('utf8'));
			next();
		});
	});
	await new Promise<void>((resolve, reject) => {
		extract.on('finish', resolve);
		extract.on('error', reject);
		stream.pipe(extract);
	});
	return files;
}

test('the generated file holds the public values only, and is sent in place of a file of that name; the project keeps its own', async () => {
	assert.equal(bakedEnvFile({}), undefined);
	assert.equal(bakedEnvFile({API_SECRET: 'x'}), undefined, 'nothing that is not NEXT_PUBLIC_ goes in');
	const dir = mkdtempSync(path.join(os.tmpdir(), 'baked-'));
	writeFileSync(path.join(dir, 'Dockerfile'), 'FROM todo-deploy-test/node:1\nCOPY . .\nRUN node build.js\n');
	writeFileSync(path.join(dir, '.env.production.local'), 'NEXT_PUBLIC_API_BASE_URL=http://localhost:8080\n');
	const system = createSystem(process.env);
	const guards = imageGuards({frontend: {context: '.'}}, {frontend: undefined}, false, {frontend: {NEXT_PUBLIC_API_BASE_URL: 'http://localhost:8081'}});
	const planned = await planImage(system, dir, 'frontend', {context: '.', dockerfile: 'Dockerfile'}, {}, guards.frontend);
	assert.deepEqual(planned.plan.generated, [{name: '.env.production.local', why: 'NEXT_PUBLIC_API_BASE_URL (the Dockerfile declares no ARG for it)'}]);
	const sent = await filesOf(packBuildContext(planned.context));
	assert.match(sent.get('.env.production.local') ?? '', /^# Written by todo-deploy .*\nNEXT_PUBLIC_API_BASE_URL=http:\/\/localhost:8081\n$/);
	assert.equal([...sent.keys()].filter(name => name === '.env.production.local').length, 1);
	assert.equal(readFileSync(path.join(dir, '.env.production.local'), 'utf8'), 'NEXT_PUBLIC_API_BASE_URL=http://localhost:8080\n', 'the project is not touched');

	// The tag follows the baked value: another address is another image.
	const plain = await planImage(system, dir, 'frontend', {context: '.', dockerfile: 'Dockerfile'}, {});
	const other = await planImage(
		system,
		dir,
		'frontend',
		{context: '.', dockerfile: 'Dockerfile'},
		{},
		imageGuards({frontend: {context: '.'}}, {frontend: undefined}, false, {frontend: {NEXT_PUBLIC_API_BASE_URL: 'http://localhost:9000'}}).frontend,
	);
	assert.equal(new Set([plain.plan.tag, planned.plan.tag, other.plan.tag]).size, 3);
	assert.equal(plain.plan.sourceTag, planned.plan.sourceTag, 'the same sources');
});
