import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import {detectDockerCli, dockerEndpoint, parseDesktopStub, parseDockerCliVersion} from '../../source/adapters/docker.js';
import {createFakeSystem} from '../helpers/fake-system.js';
import {capturedFixture} from '../helpers/paths.js';

const docker = (name: string) => readFileSync(capturedFixture('docker', name), 'utf8');

test("Docker Desktop's WSL stub is recognised in every captured wording", () => {
	assert.deepEqual(parseDesktopStub(docker('docker-desktop-wsl2-integration-disabled-message-2023.txt')), {wsl: 2});
	assert.deepEqual(parseDesktopStub(docker('docker-desktop-wsl2-integration-disabled-session-2020.txt')), {wsl: 2});
	assert.deepEqual(parseDesktopStub(docker('docker-desktop-wsl1-distro-message.txt')), {wsl: 1});
});

test('a real docker error is not mistaken for the stub', () => {
	assert.equal(parseDesktopStub(docker('docker-version-permission-denied-29.2.1.txt')), undefined);
	assert.equal(parseDesktopStub('Docker version 28.2.2, build e6534b4'), undefined);
});

test('detectDockerCli tells the stub from a real CLI', async () => {
	const stub = createFakeSystem({commands: {docker: {exitCode: 1, stdout: docker('docker-desktop-wsl2-integration-disabled-message-2023.txt')}}});
	const cli = await detectDockerCli(stub, 1000);
	assert.equal(cli.type, 'desktop-stub');
	assert.match(cli.stubMessage ?? '', /activate the WSL integration/);

	const real = createFakeSystem({commands: {docker: {stdout: 'Docker version 28.2.2, build e6534b4'}}});
	assert.deepEqual(await detectDockerCli(real, 1000), {type: 'present', path: '/usr/bin/docker', version: '28.2.2', stubMessage: undefined});
	assert.equal((await detectDockerCli(createFakeSystem(), 1000)).type, 'missing');
});

test('parseDockerCliVersion reads `docker --version`', () => {
	assert.equal(parseDockerCliVersion('Docker version 20.10.24+dfsg1, build 297e128'), '20.10.24+dfsg1');
	assert.equal(parseDockerCliVersion('garbage \u0000\u0001'), undefined);
});

test('dockerEndpoint resolves DOCKER_HOST as the docker CLI does', () => {
	assert.deepEqual(dockerEndpoint({}), {type: 'socket', host: 'unix:///var/run/docker.sock', socketPath: '/var/run/docker.sock'});
	assert.deepEqual(dockerEndpoint({DOCKER_HOST: 'unix:///run/user/1000/docker.sock'}), {
		type: 'socket',
		host: 'unix:///run/user/1000/docker.sock',
		socketPath: '/run/user/1000/docker.sock',
	});
	assert.deepEqual(dockerEndpoint({DOCKER_HOST: 'tcp://127.0.0.1:2375'}), {
		type: 'tcp',
		host: 'tcp://127.0.0.1:2375',
		hostname: '127.0.0.1',
		port: 2375,
		tls: false,
		certPath: undefined,
	});
	const tls = dockerEndpoint({DOCKER_HOST: 'tcp://127.0.0.1', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs'});
	assert.equal(tls.type === 'tcp' && tls.port, 2376);
	assert.equal(dockerEndpoint({DOCKER_HOST: 'ssh://me@box'}).type, 'unsupported');
	assert.equal(dockerEndpoint({DOCKER_HOST: 'npipe:////./pipe/docker_engine'}).type, 'unsupported');
});
