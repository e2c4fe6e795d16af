// Docker Desktop from a WSL 2 distro: stopped, installed but never started here, or running with the
// integration off, each told by the marks it leaves (links into /mnt/wsl/docker-desktop, its stand-in).
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import {dockerCheck} from '../../source/engine/doctor/check-docker.js';
import {createFakeSystem, type FakeSystemOptions} from '../helpers/fake-system.js';
import {capturedFixture} from '../helpers/paths.js';

const wslKernel = readFileSync(capturedFixture('wsl', 'uname-r-wsl2-4.19.81-microsoft-standard.txt'), 'utf8').trim();
const stub = readFileSync(capturedFixture('docker', 'docker-desktop-wsl2-integration-disabled-message-2023.txt'), 'utf8');
// A socket path where nothing listens: the daemon is not there, as when Docker Desktop is stopped.
const nowhere = {DOCKER_HOST: 'unix:///nonexistent/todo-deploy-test/docker.sock'};
const wsl2 = (options: FakeSystemOptions) =>
	createFakeSystem({kernelRelease: wslKernel, env: {WSL_DISTRO_NAME: 'Ubuntu', PATH: '/usr/bin', ...nowhere}, ...options});

test('integration on, Docker Desktop stopped: the links into /mnt/wsl/docker-desktop dangle', async () => {
	const outcome = await dockerCheck.run(
		wsl2({
			links: {
				'/usr/bin/docker': '/mnt/wsl/docker-desktop/cli-tools/usr/bin/docker',
				'/var/run/docker.sock': '/mnt/wsl/docker-desktop/shared-sockets/guest-services/docker.proxy.sock',
			},
		}),
	);
	assert.equal(outcome.summary, 'Docker Desktop is not running');
	assert.match(outcome.detail ?? '', /integration is on \(\/usr\/bin\/docker -> \/mnt\/wsl\/docker-desktop\/cli-tools\/usr\/bin\/docker\)/);
	assert.match(outcome.fix ?? '', /^Start Docker Desktop from the Windows Start menu/);
});

test('integration on and Docker Desktop running, but the socket here does not answer: the integration stopped, not Docker Desktop', async () => {
	const outcome = await dockerCheck.run(
		wsl2({
			links: {
				'/usr/bin/docker': '/mnt/wsl/docker-desktop/cli-tools/usr/bin/docker',
				'/var/run/docker.sock': '/mnt/wsl/docker-desktop/shared-sockets/guest-services/docker.proxy.sock',
			},
			files: {'/mnt/wsl/docker-desktop/cli-tools/usr/bin/docker': '', '/mnt/wsl/docker-desktop/shared-sockets/guest-services/docker.proxy.sock': ''},
			commands: {docker: {stdout: 'Docker version 28.2.2, build e6534b4'}},
		}),
	);
	assert.equal(outcome.summary, 'Docker Desktop runs, but its WSL integration with Ubuntu stopped');
	assert.match(outcome.detail ?? '', /unexpectedly stopped\. Do you want to restart it\?/);
	assert.match(outcome.fix ?? '', /^Choose Restart in that Docker Desktop message/);
	assert.doesNotMatch(outcome.fix ?? '', /Start Docker Desktop from the Windows Start menu/);
});

test('installed on Windows, no integration links and no stand-in: it is not running', async () => {
	const outcome = await dockerCheck.run(wsl2({files: {'/mnt/c/Program Files/Docker/Docker/Docker Desktop.exe': ''}}));
	assert.equal(outcome.summary, 'Docker Desktop is installed on Windows but not running');
	assert.match(outcome.fix ?? '', /turn it on: Open Docker Desktop > Settings > Resources > WSL integration, turn on Ubuntu/);
});

test('running with the integration off: its stand-in answers, and says so', async () => {
	const outcome = await dockerCheck.run(
		wsl2({files: {'/mnt/c/Program Files/Docker/Docker/Docker Desktop.exe': ''}, commands: {docker: {exitCode: 1, stdout: stub}}}),
	);
	assert.equal(outcome.summary, "Docker Desktop's WSL integration is off for this distro");
	assert.match(outcome.detail ?? '', /^Docker Desktop runs \(its stand-in is here\)/);
});

test('the links alive mean it runs; outside WSL nothing of this is looked at', async () => {
	const alive = await dockerCheck.run(
		wsl2({
			links: {'/usr/bin/docker': '/mnt/wsl/docker-desktop/cli-tools/usr/bin/docker'},
			files: {'/mnt/wsl/docker-desktop/cli-tools/usr/bin/docker': ''},
			commands: {docker: {stdout: 'Docker version 28.2.2, build e6534b4'}},
		}),
	);
	assert.notEqual(alive.summary, 'Docker Desktop is not running');
	assert.equal(alive.facts?.desktop?.running, true);
	const linux = await dockerCheck.run(
		createFakeSystem({env: {PATH: '/usr/bin', ...nowhere}, files: {'/mnt/c/Program Files/Docker/Docker/Docker Desktop.exe': ''}}),
	);
	assert.equal(linux.facts?.desktop, undefined);
	assert.match(linux.summary, /Docker is not installed here/);
});
