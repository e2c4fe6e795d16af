// WSL 2 without name resolution: the /etc/resolv.conf WSL writes (captured), a VPN that leaves its
// resolver silent, and /etc/wsl.conf's generateResolvConf = false with no file of one's own.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import {platformCheck} from '../../source/engine/doctor/check-machine.js';
import {pullHost, readWslDns, wslDnsProblem} from '../../source/engine/doctor/wsl-dns.js';
import {createFakeSystem} from '../helpers/fake-system.js';
import {capturedFixture} from '../helpers/paths.js';

const captured = (name: string) => readFileSync(capturedFixture('wsl', name), 'utf8');
const resolv = captured('resolv-conf-generated-by-wsl-issue-7009.txt');
const wsl2 = (files: Record<string, string>, lookups: Record<string, string> = {}, env: Record<string, string> = {}) =>
	createFakeSystem({
		kernelRelease: captured('uname-r-wsl2-4.19.81-microsoft-standard.txt').trim(),
		env: {PATH: '/usr/bin', HOME: '/home/ada', WSL_DISTRO_NAME: 'Ubuntu', ...env},
		files: {'/run/systemd/system': '', ...files},
		lookups,
	});

test("WSL's own resolv.conf, and names that resolve: nothing to say", async () => {
	const dns = await readWslDns(wsl2({'/etc/resolv.conf': resolv}));
	assert.deepEqual(dns, {nameservers: ['172.17.215.193'], ownResolvConf: false, answer: 'ok'});
	assert.equal(wslDnsProblem(dns, false), undefined);
	assert.equal((await platformCheck.run(wsl2({'/etc/resolv.conf': resolv}))).status, 'ok');
});

test('a VPN leaves the resolver silent: "Temporary failure in name resolution" told with dnsTunneling', async () => {
	const outcome = await platformCheck.run(wsl2({'/etc/resolv.conf': resolv}, {[pullHost]: 'EAI_AGAIN'}));
	assert.equal(outcome.status, 'warn');
	assert.match(
		outcome.detail ?? '',
		/Names do not resolve in this distro: registry-1\.docker\.io gives "Temporary failure in name resolution" \(EAI_AGAIN\), from 172\.17\.215\.193/,
	);
	assert.match(outcome.fix ?? '', /\[wsl2\] dnsTunneling=true .* then wsl --shutdown in PowerShell/);
	// Behind a proxy the proxy resolves names: a silent resolver here is not the cause of anything.
	assert.equal(
		(await platformCheck.run(wsl2({'/etc/resolv.conf': resolv}, {[pullHost]: 'EAI_AGAIN'}, {HTTPS_PROXY: 'http://proxy.corp:3128'}))).detail?.includes(
			'Names do not resolve',
		),
		false,
	);
});

test('generateResolvConf = false with no file of its own: no DNS server at all, and the way back', async () => {
	const outcome = await platformCheck.run(wsl2({'/etc/wsl.conf': '[network]\ngenerateResolvConf = false\n'}));
	assert.equal(outcome.status, 'warn');
	assert.match(outcome.detail ?? '', /This distro has no DNS server: .*generateResolvConf = false/);
	assert.match(outcome.fix ?? '', /remove generateResolvConf = false from \/etc\/wsl\.conf and run wsl --shutdown/);
	// Not WSL: nothing of this is read, and nothing is looked up.
	const linux = createFakeSystem({env: {PATH: '/usr/bin'}, files: {'/run/systemd/system': ''}, lookups: {[pullHost]: 'EAI_AGAIN'}});
	assert.doesNotMatch((await platformCheck.run(linux)).detail ?? '', /resolve|DNS/);
});
