import assert from 'node:assert/strict';
import {readdirSync, readFileSync} from 'node:fs';
import {test} from 'node:test';
import {detectPlatform, detectWsl} from '../../source/engine/doctor/platform.js';
import {createFakeSystem} from '../helpers/fake-system.js';
import {capturedFixture} from '../helpers/paths.js';

const wslDirectory = capturedFixture('wsl');
const read = (name: string) => readFileSync(`${wslDirectory}/${name}`, 'utf8').trim();

test('every captured WSL 1 kernel string is WSL 1 and every WSL 2 one is WSL 2', () => {
	const files = readdirSync(wslDirectory).filter(name => /^(proc-version|uname-r|osrelease|dmesg|sar-header|uname-a)-wsl[12]/.test(name));
	assert.ok(files.length >= 12, `expected the shared WSL captures, found ${files.length}`);
	for (const file of files) {
		const expected = file.includes('-wsl1-') ? 1 : 2;
		const text = read(file);
		// uname -a of the 2016 WSL 1 build says only "3.4.0+"; its /proc/version (same issue) says Microsoft.
		if (file === 'uname-a-wsl1-2016.txt') {
			assert.equal(detectWsl(text, undefined, {}), null, file);
			assert.equal(detectWsl(text, read('proc-version-wsl1-3.4.0-Microsoft-2016.txt'), {}), 1, file);
			continue;
		}

		assert.equal(detectWsl(text, undefined, {}), expected, file);
	}
});

test('kernel release and /proc/version are read together: a custom WSL 2 kernel is still WSL 2', () => {
	assert.equal(detectWsl('4.19.104-microsoft-standard', read('proc-version-wsl2-custom-built-4.19.104.txt'), {}), 2);
	assert.equal(detectWsl('4.4.0-18362-Microsoft', read('proc-version-wsl1-4.4.0-18985-Microsoft.txt'), {}), 1);
});

test('a kernel that names neither is a custom WSL 2 kernel when WSL_DISTRO_NAME or WSL_INTEROP is set', () => {
	assert.equal(detectWsl('6.6.36.3-custom', 'Linux version 6.6.36.3-custom (me@box)', {WSL_DISTRO_NAME: 'Ubuntu', WSL_INTEROP: '/run/WSL/1_interop'}), 2);
	assert.equal(detectWsl('6.6.36.3-custom', 'Linux version 6.6.36.3-custom (me@box)', {WSL_DISTRO_NAME: 'Ubuntu'}), 2);
	assert.equal(detectWsl('6.8.0-45-generic', 'Linux version 6.8.0-45-generic (buildd@lcy02)', {}), null);
});

test('detectPlatform reads the machine through the system adapter', async () => {
	const system = createFakeSystem({
		kernelRelease: read('uname-r-wsl2-4.19.81-microsoft-standard.txt'),
		files: {'/proc/version': read('proc-version-wsl2-4.19.128-microsoft-standard.txt')},
		env: {WSL_DISTRO_NAME: 'Ubuntu-22.04', PATH: '/home/dev/.local/share/todo-deploy/bin:/usr/bin'},
		cpus: 8,
		memoryMiB: 15_872,
	});
	const platform = await detectPlatform(system);
	assert.deepEqual(
		{
			wsl: platform.wsl,
			distro: platform.wslDistro,
			systemd: platform.systemd,
			cpus: platform.cpus,
			memory: platform.memoryMiB,
			onPath: platform.userBinOnPath,
			forShell: platform.userBinForShell,
		},
		{wsl: 2, distro: 'Ubuntu-22.04', systemd: false, cpus: 8, memory: 15_872, onPath: true, forShell: '$HOME/.local/share/todo-deploy/bin'},
	);
});
