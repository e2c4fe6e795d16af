import assert from 'node:assert/strict';
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {listBuildContext, digestFiles} from '../../source/adapters/build-context.js';
import {parsePorcelainZ} from '../../source/adapters/git.js';
import {registryAuth} from '../../source/adapters/images.js';
import {parseCrictlImageId, parseKindLoad} from '../../source/adapters/kind.js';
import {parseDockerEnv} from '../../source/adapters/minikube.js';
import {explainTrivyFailure, trivyDatabasePath, trivyImageArgs} from '../../source/adapters/trivy.js';
import {applyBuildMessage, failingStepOutput, initialBuildProgress} from '../../source/engine/images/build-progress.js';
import {imagesReducer, imagesSucceeded, initialImagesState} from '../../source/engine/images/reducer.js';
import {defaultGate, parseSeverities, parseTrivyignore, summarizeScan} from '../../source/engine/images/scan-results.js';
import {buildArgsDigest, imageTag, isValidTag} from '../../source/engine/images/tag.js';
import {tempDir} from '../helpers/cli.js';
import {capturedFixture} from '../helpers/paths.js';

const trivyReport = (name: string) => readFileSync(capturedFixture('trivy', name), 'utf8');
const kindOutput = (name: string) => readFileSync(capturedFixture('kind', name), 'utf8');

test('tags come from the commit, the changes and the build arguments, and are valid Docker tags', () => {
	const commit = '3f2c1a9b7d4e5f60718293a4b5c6d7e8f9012345';
	assert.equal(imageTag({type: 'git', commit, changesDigest: undefined}, undefined), 'git-3f2c1a9b7d4e');
	assert.equal(imageTag({type: 'git', commit, changesDigest: '81c0f2aa99'}, undefined), 'git-3f2c1a9b7d4e-dirty-81c0f2aa');
	assert.equal(imageTag({type: 'files', digest: '5d41402abc4b2a76b9719d911017c592'}, undefined), 'src-5d41402abc4b');
	assert.equal(buildArgsDigest({}, 'Dockerfile'), undefined);
	const args = buildArgsDigest({B: '2', A: '1'}, 'Dockerfile');
	assert.equal(args, buildArgsDigest({A: '1', B: '2'}, 'Dockerfile'), 'the order of the arguments does not matter');
	assert.notEqual(args, buildArgsDigest({A: '1', B: '3'}, 'Dockerfile'));
	assert.notEqual(buildArgsDigest({}, 'Dockerfile.prod'), undefined);
	const tag = imageTag({type: 'git', commit, changesDigest: 'ffffffff'}, args);
	assert.ok(isValidTag(tag), tag);
	assert.ok(!isValidTag('-bad'));
	assert.ok(!isValidTag('latest:x'));
});

test('the build stream: steps, cache hits, output lines, the image ID, and an error delivered as data', () => {
	// Messages as the classic builder sends them (docker 20.10).
	const messages = [
		{stream: 'Step 1/4 : FROM todo-deploy-test/busybox:1'},
		{stream: '\n'},
		{stream: ' ---> 2818ffcb562d\n'},
		{stream: 'Step 2/4 : COPY requirements.txt /app/'},
		{stream: '\n'},
		{stream: ' ---> Using cache\n'},
		{stream: ' ---> 8752f2dc5699\n'},
		{stream: 'Step 3/4 : RUN pip install -r requirements.txt'},
		{stream: '\n'},
		{stream: ' ---> Running in 4826da7a64f1\n'},
		{stream: 'Collecting fastapi\r\u001B[32mDownloading\u001B[0m 10%\rDownloading 100%\n'},
		{stream: 'ERROR: No matching distribution found for fastapi==99\n'},
		{
			errorDetail: {code: 1, message: "The command '/bin/sh -c pip install -r requirements.txt' returned a non-zero code: 1"},
			error: "The command '/bin/sh -c pip install -r requirements.txt' returned a non-zero code: 1",
		},
	];
	const progress = messages.reduce(applyBuildMessage, initialBuildProgress);
	assert.equal(progress.step, 3);
	assert.equal(progress.steps, 4);
	assert.equal(progress.instruction, 'RUN pip install -r requirements.txt');
	assert.equal(progress.cached, 1);
	assert.match(progress.error ?? '', /returned a non-zero code: 1/);
	assert.deepEqual(failingStepOutput(progress), ['Downloading 100%', 'ERROR: No matching distribution found for fastapi==99']);
	const built = applyBuildMessage(initialBuildProgress, {aux: {ID: 'sha256:8752f2dc5699'}});
	assert.equal(built.imageId, 'sha256:8752f2dc5699');
	assert.equal(built.error, undefined);
	// A thousand output lines keep only the last few.
	const noisy = Array.from({length: 1000}, (_, index) => ({stream: `line ${index}\n`})).reduce(applyBuildMessage, initialBuildProgress);
	assert.equal(noisy.lastLines.length, 12);
	assert.equal(noisy.lastLines.at(-1), 'line 999');
});

test('Trivy reports: counts, the worst first, the gate, .trivyignore; both no-finding shapes', () => {
	const alpine = summarizeScan(trivyReport('trivy-golden-alpine-39.json'), defaultGate);
	assert.deepEqual(alpine.counts, {CRITICAL: 2, HIGH: 0, MEDIUM: 4, LOW: 0, UNKNOWN: 0});
	assert.equal(alpine.gate.passed, false);
	assert.equal(alpine.gate.blocking, 2);
	assert.deepEqual(
		alpine.worst.slice(0, 2).map(finding => `${finding.id} ${finding.pkg} ${finding.installed} ${finding.fixed}`),
		['CVE-2019-14697 musl 1.1.20-r4 1.1.20-r5', 'CVE-2019-14697 musl-utils 1.1.20-r4 1.1.20-r5'],
	);
	assert.equal(alpine.os, 'alpine 3.9.4');
	const ignored = summarizeScan(trivyReport('trivy-golden-alpine-39.json'), {...defaultGate, ignored: ['CVE-2019-14697']});
	assert.equal(ignored.gate.passed, true);
	assert.equal(ignored.ignored, 2);
	for (const clean of ['trivy-golden-sl-micro-rancher5.4.json', 'trivy-golden-alpine-39-skip.json']) {
		const summary = summarizeScan(trivyReport(clean), defaultGate);
		assert.equal(summary.total, 0, clean);
		assert.equal(summary.gate.passed, true);
	}

	// A real user's report: the fixed version lists several release lines.
	const next = summarizeScan(trivyReport('trivy-real-tws-ecommerce-app-node-alpine.json'), defaultGate);
	assert.equal(next.worst[0]?.pkg, 'next');
	assert.equal(next.worst[0].fixed, '13.5.9, 14.2.25, 15.2.3, 12.3.5');
	assert.equal(next.gate.blocking, 1);

	// Without a fixed version a finding blocks only when unfixed ones count.
	const report = JSON.parse(trivyReport('trivy-golden-debian-buster-ignore-unfixed.json')) as {
		Results: Array<{Vulnerabilities: Array<{FixedVersion?: string}>}>;
	};
	for (const vulnerability of report.Results[0]?.Vulnerabilities ?? []) {
		delete vulnerability.FixedVersion;
	}

	const unfixed = JSON.stringify(report);
	assert.equal(summarizeScan(unfixed, defaultGate).gate.passed, true);
	assert.equal(summarizeScan(unfixed, {severities: ['CRITICAL'], fixableOnly: false, ignored: []}).gate.passed, false);
	assert.throws(() => summarizeScan('{"Results": [', defaultGate), /Trivy's report is not JSON/);
});

test('.trivyignore lines, comments and expired entries; severity lists', () => {
	const ids = parseTrivyignore('# accepted\nCVE-2019-14697\nCVE-2020-1 exp:2020-01-01\nCVE-2030-2 exp:2099-01-01  # later\n\n', new Date('2026-11-26'));
	assert.deepEqual(ids, ['CVE-2019-14697', 'CVE-2030-2']);
	assert.deepEqual(parseSeverities('critical, HIGH'), ['CRITICAL', 'HIGH']);
	assert.equal(parseSeverities('SEVERE'), undefined);
	assert.equal(parseSeverities(''), undefined);
});

test('kind load output: already present, loaded on which nodes, and the ctr import failure', () => {
	assert.deepEqual(parseKindLoad(0, kindOutput('kind-load-docker-image-already-present.txt')), {type: 'already-present'});
	assert.deepEqual(parseKindLoad(0, kindOutput('kind-load-docker-image-multinode-loading.txt')), {
		type: 'loaded',
		nodes: ['testgpu-control-plane', 'testgpu-worker'],
	});
	const failed = parseKindLoad(1, kindOutput('kind-load-docker-image-failed-ctr-import.txt'));
	assert.equal(failed.type, 'failed');
	assert.match(failed.message, /^failed to load image: command "docker exec --privileged -i kind-control-plane ctr/);
	assert.equal(parseCrictlImageId('{"status":{"id":"sha256:721afbc9","repoTags":["docker.io/library/api:test-kind"]}}'), 'sha256:721afbc9');
	assert.equal(parseCrictlImageId('FATA[0000] no such image'), undefined);
});

test('minikube docker-env lines, git status -z entries, Trivy failures and arguments', () => {
	assert.deepEqual(
		parseDockerEnv(
			'DOCKER_TLS_VERIFY="1"\nDOCKER_HOST="tcp://192.168.49.2:2376"\nDOCKER_CERT_PATH="/home/dev/.minikube/certs"\nMINIKUBE_ACTIVE_DOCKERD="minikube"\n',
		),
		{DOCKER_TLS_VERIFY: '1', DOCKER_HOST: 'tcp://192.168.49.2:2376', DOCKER_CERT_PATH: '/home/dev/.minikube/certs', MINIKUBE_ACTIVE_DOCKERD: 'minikube'},
	);
	assert.equal(parseDockerEnv('X The docker-env command is only compatible with the "docker" runtime'), undefined);
	assert.deepEqual(parsePorcelainZ(' M backend/main.py\0?? backend/new file.py\0R  backend/b.py\0backend/a.py\0'), [
		'backend/main.py',
		'backend/new file.py',
		'backend/b.py',
		'backend/a.py',
	]);
	assert.equal(explainTrivyFailure('2021-10-20T05:55:54.417Z\tERROR\tThe first run cannot skip downloading DB\n').dbUnavailable, true);
	// --skip-db-update only when Trivy has a database to go on with.
	const offline = '2021-01-19T12:14:08.151Z\tFATAL\tfailed to download vulnerability DB: failed to list releases';
	assert.match(explainTrivyFailure(offline, true).fix ?? '', /--skip-db-update/);
	assert.doesNotMatch(explainTrivyFailure(offline, false).fix ?? '', /--skip-db-update/);
	// The rate limit of ghcr.io, as Trivy 0.57 prints it: told as such, with the mirrors and the wait.
	const limited = readFileSync(capturedFixture('trivy', 'trivy-db-download-toomanyrequests.txt'), 'utf8');
	const rate = explainTrivyFailure(limited, false);
	assert.match(rate.message, /refused by ghcr\.io for too many requests/);
	assert.match(rate.fix ?? '', /TRIVY_DB_REPOSITORY=mirror\.gcr\.io\/aquasec\/trivy-db:2,public\.ecr\.aws\/aquasecurity\/trivy-db:2 todo-deploy scan/);
	assert.match(rate.fix ?? '', /wait a few minutes/);
	assert.doesNotMatch(rate.fix ?? '', /--skip-db-update/);
	assert.match(explainTrivyFailure(limited, true).fix ?? '', /--skip-db-update/);
	assert.equal(trivyDatabasePath({HOME: '/home/dev'}), '/home/dev/.cache/trivy/db/trivy.db');
	assert.equal(trivyDatabasePath({HOME: '/home/dev', TRIVY_CACHE_DIR: '/var/trivy'}), '/var/trivy/db/trivy.db');
	assert.equal(explainTrivyFailure('FATAL\tsomething odd happened').message, 'something odd happened');
	const args = trivyImageArgs('todo-backend:git-1', {output: '/r.json', skipDbUpdate: true, ignoreFile: '/p/.trivyignore', timeoutMs: 1});
	assert.deepEqual(args.slice(-4), ['--skip-db-update', '--ignorefile', '/p/.trivyignore', 'todo-backend:git-1']);
	assert.deepEqual(args.slice(0, 5), ['image', '--format', 'json', '--output', '/r.json']);
});

test('the build context leaves out what .dockerignore says, keeps the Dockerfile, and re-includes "!" exceptions', async () => {
	const dir = tempDir('context');
	const write = (file: string, text = 'x') => {
		mkdirSync(path.dirname(path.join(dir, file)), {recursive: true});
		writeFileSync(path.join(dir, file), text);
	};

	write('Dockerfile', 'FROM scratch\n');
	write('.dockerignore', 'Dockerfile\nnode_modules\n**/*.log\ndocs\n!docs/keep.md\n');
	write('app.py');
	write('node_modules/a/index.js', 'a'.repeat(1000));
	write('logs/x.log');
	write('docs/drop.md');
	write('docs/keep.md');
	const context = await listBuildContext(dir, 'Dockerfile');
	const names = context.entries
		.filter(entry => entry.type === 'file')
		.map(entry => entry.name)
		.sort();
	assert.deepEqual(names, ['.dockerignore', 'Dockerfile', 'app.py', 'docs/keep.md']);
	assert.equal(context.ignored.files, 3);
	assert.ok(context.ignored.bytes >= 1000);
	await assert.rejects(listBuildContext(dir, 'Dockerfile.prod'), /There is no Dockerfile\.prod in/);
	const before = await digestFiles(dir, ['app.py']);
	write('app.py', 'y');
	assert.notEqual(await digestFiles(dir, ['app.py']), before);
	assert.notEqual(await digestFiles(dir, ['gone.py']), await digestFiles(dir, ['app.py']));
});

test('registry credentials from ~/.docker/config.json, and a credential helper is named', async () => {
	const home = tempDir('home');
	mkdirSync(path.join(home, '.docker'));
	writeFileSync(
		path.join(home, '.docker/config.json'),
		JSON.stringify({auths: {'https://localhost:5000/v1/': {auth: Buffer.from('dev:s3cret:with-colon').toString('base64')}}, credHelpers: {'ghcr.io': 'pass'}}),
	);
	assert.deepEqual(await registryAuth({}, home, 'localhost:5000'), {
		auth: {serveraddress: 'localhost:5000', username: 'dev', password: 's3cret:with-colon'},
		helper: undefined,
	});
	// The helper is named, and that it is not there is said.
	assert.deepEqual(await registryAuth({}, home, 'ghcr.io'), {
		auth: undefined,
		helper: 'pass',
		problem: `the Docker config keeps credentials in docker-credential-pass, which is not on PATH: ${path.join(home, '.docker/config.json')} has "credHelpers": {"ghcr.io": "pass"}: remove that entry, and the docker CLI keeps logins in the file itself (a public image needs none). Or put docker-credential-pass on PATH (install the docker-credential-helpers package).`,
	});
	assert.deepEqual(await registryAuth({}, tempDir('empty'), 'ghcr.io'), {auth: undefined, helper: undefined});
});

test('the images reducer: a finished step stays finished; success needs every asked-for step and the gate', () => {
	let state = imagesReducer(initialImagesState(), {
		type: 'images/started',
		names: ['backend'],
		steps: {build: true, load: false, scan: true},
		target: undefined,
	});
	assert.equal(state.images[0]?.load.type, 'skipped');
	state = imagesReducer(state, {
		type: 'images/build',
		name: 'backend',
		status: {type: 'done', outcome: 'built', id: 'sha256:1', size: 1, durationMs: 1, steps: 3, cached: 0},
	});
	const late = imagesReducer(state, {type: 'images/build', name: 'backend', status: {type: 'preparing'}});
	assert.equal(late, state);
	assert.equal(imagesSucceeded(state), false, 'the scan has not run');
	const summary = summarizeScan(trivyReport('trivy-golden-alpine-39.json'), defaultGate);
	const failedGate = imagesReducer(state, {
		type: 'images/scan',
		name: 'backend',
		status: {type: 'done', summary, reportPath: '/r', cached: false, durationMs: 1},
	});
	assert.equal(imagesSucceeded(failedGate), false);
	const passed = imagesReducer(state, {
		type: 'images/scan',
		name: 'backend',
		status: {
			type: 'done',
			summary: summarizeScan(trivyReport('trivy-golden-sl-micro-rancher5.4.json'), defaultGate),
			reportPath: '/r',
			cached: false,
			durationMs: 1,
		},
	});
	assert.equal(imagesSucceeded(passed), true);
	assert.equal(imagesReducer(passed, {type: 'images/build', name: 'frontend', status: {type: 'preparing'}}), passed, 'an unknown image changes nothing');
});
