// The machine's limits that stop a cluster later: inotify, disk space, Docker's cgroup version.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import {describeDocker} from '../../source/engine/doctor/check-docker.js';
import {lowOnDisk, platformCheck} from '../../source/engine/doctor/check-machine.js';
import {recommend, type Outcomes} from '../../source/engine/doctor/recommend.js';
import type {DockerFacts, PlatformFacts} from '../../source/engine/doctor/types.js';
import {createFakeSystem, type FakeSystemOptions} from '../helpers/fake-system.js';
import {capturedFixture} from '../helpers/paths.js';
import {linuxFacts} from '../helpers/platform-facts.js';

const wslKernel = readFileSync(capturedFixture('wsl', 'uname-r-wsl2-4.19.81-microsoft-standard.txt'), 'utf8').trim();
const inotify = (watches: number, instances: number) => ({
	'/proc/sys/fs/inotify/max_user_watches': `${watches}\n`,
	'/proc/sys/fs/inotify/max_user_instances': `${instances}\n`,
});
const fakeMachine = (options: FakeSystemOptions) =>
	createFakeSystem({cpus: 8, memoryMiB: 16_000, env: {PATH: '/usr/bin', HOME: '/home/dev'}, files: {'/run/systemd/system': '', ...options.files}, ...options});

test('inotify limits below what kind needs are a warning with the sysctl that raises them', async () => {
	// 8192 watches and 128 instances: the kernel defaults of Ubuntu 20.04 and Debian 11.
	const outcome = await platformCheck.run(fakeMachine({files: {'/run/systemd/system': '', ...inotify(8192, 128)}}));
	assert.equal(outcome.status, 'warn');
	assert.match(outcome.detail ?? '', /inotify limits are low \(max_user_watches 8192, max_user_instances 128; kind needs 524288 and 512\)/);
	assert.match(
		outcome.fix ?? '',
		/^sudo sysctl -w fs\.inotify\.max_user_watches=524288 fs\.inotify\.max_user_instances=512; to keep it: .*\/etc\/sysctl\.d\/99-inotify\.conf/,
	);
});

test('a higher value is kept: only the limit that is short is raised', async () => {
	const outcome = await platformCheck.run(fakeMachine({files: {'/run/systemd/system': '', ...inotify(1_048_576, 128)}}));
	assert.equal(outcome.status, 'warn');
	assert.match(outcome.fix ?? '', /max_user_watches=1048576 fs\.inotify\.max_user_instances=512/);
});

test('in WSL 2 without systemd the lasting fix goes in /etc/wsl.conf, since sysctl.d is not read at boot', async () => {
	const system = createFakeSystem({
		kernelRelease: wslKernel,
		cpus: 8,
		memoryMiB: 16_000,
		env: {WSL_DISTRO_NAME: 'Ubuntu', PATH: '/usr/bin'},
		files: inotify(65_536, 128),
	});
	const outcome = await platformCheck.run(system);
	assert.equal(outcome.status, 'warn');
	assert.match(outcome.fix ?? '', /add to \/etc\/wsl\.conf: \[boot\] command = sysctl -w fs\.inotify\.max_user_watches=524288/);
});

test('enough inotify and disk is ok, and unreadable limits (macOS, a locked /proc) say nothing', async () => {
	assert.equal((await platformCheck.run(fakeMachine({files: {'/run/systemd/system': '', ...inotify(524_288, 8192)}}))).status, 'ok');
	assert.equal((await platformCheck.run(fakeMachine({}))).status, 'ok');
	assert.equal((await platformCheck.run(fakeMachine({files: {'/run/systemd/system': '', ...inotify(Number.NaN, 128)}}))).status, 'ok');
});

test('a disk about to fill is a warning that says how much is free and how to free more', async () => {
	const outcome = await platformCheck.run(
		fakeMachine({files: {'/run/systemd/system': '', ...inotify(524_288, 512)}, disk: {free: 3 * 2 ** 30, total: 250 * 2 ** 30}}),
	);
	assert.equal(outcome.status, 'warn');
	assert.match(outcome.detail ?? '', /^Only 3\.0 GiB free of 250\.0 GiB on the disk of \$HOME\/\.local\/share\/todo-deploy\/bin/);
	assert.match(outcome.fix ?? '', /docker system prune -a/);
});

test('low disk is under 5 GB or under a tenth of the disk', () => {
	assert.equal(lowOnDisk({free: 4.9e9, total: 20e9}), true);
	assert.equal(lowOnDisk({free: 6e9, total: 20e9}), false);
	assert.equal(lowOnDisk({free: 40e9, total: 500e9}), true);
	assert.equal(lowOnDisk({free: 60e9, total: 500e9}), false);
});

test('several problems are all said, each fix in turn', async () => {
	const outcome = await platformCheck.run(fakeMachine({cpus: 1, files: {'/run/systemd/system': '', ...inotify(8192, 128)}, disk: {free: 1e9, total: 100e9}}));
	assert.match(outcome.detail ?? '', /Short for minikube: .*inotify limits are low.*Only 0\.9 GiB free/);
	assert.equal((outcome.fix ?? '').split(' Then: ').length, 3);
});

const linux: PlatformFacts = {...linuxFacts, kernel: '6.1.0-26-amd64'};

// docker info of Debian's docker.io 20.10.24 on a cgroup v1 host: CgroupVersion "1", CgroupDriver "cgroupfs".
const dockerOn = (cgroupVersion: string | undefined): DockerFacts => ({
	cli: 'present',
	cliPath: '/usr/bin/docker',
	cliVersion: '20.10.24+dfsg1',
	stubMessage: undefined,
	host: 'unix:///var/run/docker.sock',
	daemon: {
		type: 'reachable',
		version: '20.10.24+dfsg1',
		apiVersion: '1.41',
		osType: 'linux',
		cpus: 8,
		memoryMiB: 15_800,
		cgroupVersion,
		cgroupDriver: 'cgroupfs',
	},
});

function outcomesFor(platform: PlatformFacts, docker: DockerFacts, kindInstalled = false): Outcomes {
	return {
		platform: {status: 'ok', summary: 'platform', facts: platform},
		docker: {...describeDocker(docker, platform), facts: docker},
		minikube: {status: 'missing', summary: 'minikube is not installed', facts: {path: undefined, version: undefined, profiles: []}},
		kind: {status: 'ok', summary: 'kind', facts: {path: kindInstalled ? '/usr/bin/kind' : undefined, version: 'v0.31.0', clusters: []}},
		cluster: {status: 'missing', summary: 'No kubeconfig', facts: {kubeconfig: [], contexts: [], currentContext: undefined, error: undefined}},
	};
}

test('Docker on cgroup v1 is a warning, and the cluster it recommends runs Kubernetes 1.34', () => {
	const v1 = describeDocker(dockerOn('1'), linux);
	assert.equal(v1.status, 'warn');
	assert.match(v1.detail ?? '', /cgroup v1 \(driver cgroupfs\): Kubernetes 1\.35 and later refuse cgroup v1/);
	assert.match(v1.fix ?? '', /systemd\.unified_cgroup_hierarchy=1 to GRUB_CMDLINE_LINUX/);
	const recommendation = recommend(outcomesFor(linux, dockerOn('1')));
	assert.equal(recommendation.target, 'minikube-docker');
	assert.match(recommendation.command ?? '', / --kubernetes-version=v1\.34\.0$/);
	assert.match(recommendation.why, /on Kubernetes v1\.34\.0, the last that starts on Docker's cgroup v1/);
});

test('kind, when it is the path, is pinned to the same Kubernetes with its node image', () => {
	const small: DockerFacts = {...dockerOn('1'), daemon: {...(dockerOn('1').daemon as Extract<DockerFacts['daemon'], {type: 'reachable'}>), memoryMiB: 1500}};
	const recommendation = recommend(outcomesFor(linux, small, true));
	assert.equal(recommendation.target, 'kind');
	assert.equal(recommendation.command, 'kind create cluster --name todo --image kindest/node:v1.34.0');
});

test('in WSL 2 the cgroup v2 switch is .wslconfig', () => {
	const wsl2 = {...linux, wsl: 2 as const, wslDistro: 'Ubuntu', systemd: false};
	assert.match(describeDocker(dockerOn('1'), wsl2).fix ?? '', /\.wslconfig set \[wsl2\] kernelCommandLine = cgroup_no_v1=all/);
});

test('cgroup v2, or a daemon too old to say, gets the plain commands', () => {
	for (const version of ['2', undefined]) {
		assert.equal(describeDocker(dockerOn(version), linux).status, 'ok');
		assert.doesNotMatch(recommend(outcomesFor(linux, dockerOn(version))).command ?? '', /kubernetes-version/);
	}
});

test("Docker's own data folder about to fill is said with what frees it, together with cgroup v1", () => {
	const full: DockerFacts = {...dockerOn('2'), dataDisk: {path: '/var/lib/docker', free: 2 * 2 ** 30, total: 100 * 2 ** 30}};
	const outcome = describeDocker(full, linux);
	assert.equal(outcome.status, 'warn');
	assert.match(outcome.detail ?? '', /Only 2\.0 GiB free of 100\.0 GiB where Docker keeps its data \(\/var\/lib\/docker\)/);
	assert.match(outcome.fix ?? '', /docker system prune -a/);
	const both = describeDocker({...dockerOn('1'), dataDisk: full.dataDisk}, linux);
	assert.match(both.detail ?? '', /cgroup v1.*Only 2\.0 GiB free/);
	assert.equal((both.fix ?? '').split(' Then: ').length, 2);
	assert.equal(describeDocker({...dockerOn('2'), dataDisk: {path: '/var/lib/docker', free: 80e9, total: 100e9}}, linux).status, 'ok');
});

test("Docker Desktop's data is in a virtual disk on C:, so C:'s free space is what runs out", () => {
	const wsl2 = {...linux, wsl: 2 as const, wslDistro: 'Ubuntu'};
	const desktop: DockerFacts = {
		...dockerOn('2'),
		host: 'unix:///var/run/docker.sock',
		desktop: {link: '/var/run/docker.sock -> /mnt/wsl/docker-desktop/shared-sockets/guest-services/docker.proxy.sock', running: true, installed: true},
		desktopDisk: {path: 'C:', free: 3e9, total: 250e9},
	};
	const low = describeDocker(desktop, wsl2);
	assert.equal(low.status, 'warn');
	assert.match(low.detail ?? '', /Only 2\.8 GiB free of 232\.8 GiB on Windows' C: drive, where Docker Desktop keeps its data: in its VM's virtual disk/);
	assert.match(low.fix ?? '', /does not shrink by itself: Docker Desktop > Troubleshoot > Clean \/ Purge data/);
	assert.doesNotMatch(describeDocker({...desktop, desktopDisk: {path: 'C:', free: 120e9, total: 250e9}}, wsl2).detail ?? '', /C: drive/);
});
