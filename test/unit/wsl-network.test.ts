// WSL 2 and the Windows browser: the user's .wslconfig (real ones, from public threads) read through
// /mnt/c, and wslinfo's mode, decide whether http://localhost:PORT held inside WSL reaches Windows.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import {platformCheck} from '../../source/engine/doctor/check-machine.js';
import {parseWslConfig, readWslNetwork, windowsBrowserWords, wslPathOf} from '../../source/engine/doctor/wsl-network.js';
import {createFakeSystem, type FakeSystemOptions} from '../helpers/fake-system.js';
import {capturedFixture} from '../helpers/paths.js';

const captured = (name: string) => readFileSync(capturedFixture('wsl', name), 'utf8');
const wslKernel = captured('uname-r-wsl2-4.19.81-microsoft-standard.txt').trim();
const profile = '/mnt/c/Users/ada';
const wsl = (options: {config?: string; wslinfo?: string; env?: Record<string, string>; commands?: FakeSystemOptions['commands']}) =>
	createFakeSystem({
		kernelRelease: wslKernel,
		cpus: 8,
		memoryMiB: 16_000,
		env: {PATH: '/usr/bin', HOME: '/home/ada', USER: 'ada', WSL_DISTRO_NAME: 'Ubuntu', ...options.env},
		files: {
			'/run/systemd/system': '',
			'/etc/resolv.conf': captured('resolv-conf-generated-by-wsl-issue-7009.txt'),
			...(options.config === undefined ? {} : {[`${profile}/.wslconfig`]: options.config}),
		},
		commands: {...(options.wslinfo === undefined ? {} : {wslinfo: {stdout: options.wslinfo}}), ...options.commands},
	});

test('the keys as WSL reads them: networkingMode under [wsl2] or the older [experimental], localhostForwarding under [wsl2], comments ignored', () => {
	assert.deepEqual(parseWslConfig(captured('wslconfig-localhostForwarding-false-gist-feamcor.ini')), {localhostForwarding: false});
	assert.deepEqual(parseWslConfig(captured('wslconfig-mirrored-wsl2-section-issue-11228.ini')), {networkingMode: 'mirrored'});
	assert.deepEqual(parseWslConfig(captured('wslconfig-mirrored-experimental-section-issue-11090.ini')), {networkingMode: 'mirrored'});
	assert.deepEqual(parseWslConfig('[wsl2]\r\nnetworkingMode = NAT\r\n[experimental]\r\nnetworkingMode=mirrored\r\n'), {networkingMode: 'nat'});
	assert.equal(wslPathOf('C:\\Users\\Ada Lovelace\r'), '/mnt/c/Users/Ada Lovelace');
	assert.equal(wslPathOf('%USERPROFILE%'), undefined);
});

test('localhostForwarding=false under NAT: doctor warns that the Windows browser will not reach localhost, names the file and the line to change', async () => {
	const outcome = await platformCheck.run(wsl({config: captured('wslconfig-localhostForwarding-false-gist-feamcor.ini')}));
	assert.equal(outcome.status, 'warn');
	assert.match(
		outcome.detail ?? '',
		/localhostForwarding=false in %UserProfile%\\\.wslconfig: the Windows browser will not reach http:\/\/localhost:PORT held inside WSL/,
	);
	assert.match(outcome.fix ?? '', /under \[wsl2\], remove localhostForwarding=false \(or set networkingMode=mirrored\), then run wsl --shutdown in PowerShell/);
	assert.match((outcome.facts as {windowsBrowser?: {detail: string}}).windowsBrowser?.detail ?? '', /localhostForwarding=false/);
});

test('mirrored networking, from the file or as wslinfo says it runs: the Windows browser reaches localhost, said as a note', async () => {
	for (const system of [wsl({config: captured('wslconfig-mirrored-wsl2-section-issue-11228.ini')}), wsl({wslinfo: 'mirrored\n'})]) {
		const outcome = await platformCheck.run(system);
		assert.equal(outcome.status, 'ok');
		assert.match(outcome.detail ?? '', /WSL networking is mirrored.*: the Windows browser reaches http:\/\/localhost:PORT held here/);
	}
});

test('the mode in use wins over the file: mirrored in .wslconfig while wslinfo says nat (not applied until wsl --shutdown)', async () => {
	const network = await readWslNetwork(
		wsl({config: captured('wslconfig-mirrored-experimental-section-issue-11090.ini'), wslinfo: captured('wslinfo-networking-mode-nat-issue-11045.txt')}),
	);
	assert.deepEqual(network, {mode: 'nat', modeFrom: 'wslinfo', localhostForwarding: true, config: `${profile}/.wslconfig`});
	assert.match(windowsBrowserWords(network).note, /^WSL networking is NAT \(wslinfo --networking-mode\) with localhost forwarding on/);
});

test('networkingMode none or bridged: a warning with the setting that brings localhost back', async () => {
	for (const mode of ['none', 'bridged']) {
		const outcome = await platformCheck.run(wsl({config: `[wsl2]\nnetworkingMode=${mode}\n`}));
		assert.equal(outcome.status, 'warn', mode);
		assert.match(outcome.detail ?? '', new RegExp(`WSL networking is ${mode} \\(%UserProfile%\\\\\\.wslconfig\\): .*will not reach http://localhost:PORT`));
		assert.match(outcome.fix ?? '', /set networkingMode=mirrored .* or remove networkingMode to use NAT/);
	}
});

test("the profile folder: $USERPROFILE when WSLENV passes it, else what cmd.exe says; no .wslconfig is WSL's defaults", async () => {
	const fromEnv = await readWslNetwork(
		createFakeSystem({
			env: {PATH: '/usr/bin', USERPROFILE: 'C:\\Users\\grace'},
			files: {'/mnt/c/Users/grace/.wslconfig': '[wsl2]\nlocalhostForwarding=false\n'},
		}),
	);
	assert.equal(fromEnv.localhostForwarding, false);
	const fromCmd = await readWslNetwork(
		createFakeSystem({
			env: {PATH: '/usr/bin', USER: 'dev'},
			commands: {
				'cmd.exe': {
					stdout: 'C:\\Users\\Grace Hopper\r\n',
					stderr: "'\\\\wsl.localhost\\Ubuntu\\home\\dev'\r\nCMD.EXE was started with the above path as the current directory.\r\n",
				},
			},
			files: {'/mnt/c/Users/Grace Hopper/.wslconfig': '[wsl2]\nnetworkingMode=mirrored\n'},
		}),
	);
	assert.equal(fromCmd.mode, 'mirrored');
	const none = await readWslNetwork(wsl({}));
	assert.deepEqual(none, {mode: 'nat', modeFrom: 'default', localhostForwarding: true, config: undefined});
	// Not WSL: nothing is read, and nothing is said.
	const linux = await platformCheck.run(createFakeSystem({cpus: 8, memoryMiB: 16_000, env: {PATH: '/usr/bin'}, files: {'/run/systemd/system': ''}}));
	assert.doesNotMatch(linux.detail ?? '', /WSL networking|Windows browser/);
});
