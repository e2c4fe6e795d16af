import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import type {DoctorAction} from '../../source/engine/doctor/actions.js';
import {doctorChecks, type Check} from '../../source/engine/doctor/checks.js';
import {doctorReducer, initialDoctorState, type DoctorState} from '../../source/engine/doctor/reducer.js';
import {runCheck, runDoctor} from '../../source/engine/doctor/run.js';
import {createStore} from '../../source/engine/store.js';
import {createFakeSystem} from '../helpers/fake-system.js';
import {localFixtures, capturedFixture} from '../helpers/paths.js';

const fixture = (...parts: string[]) => readFileSync(capturedFixture(...parts), 'utf8');
const deadSocket = 'unix:///nonexistent/todo-deploy-test/docker.sock';

function doctorStore() {
	return createStore<DoctorState, DoctorAction>(doctorReducer, initialDoctorState());
}

test('the WSL 2 machine that stopped the team: Docker Desktop integration off, nothing installed', async () => {
	const system = createFakeSystem({
		kernelRelease: fixture('wsl', 'osrelease-wsl2-4.19.128-microsoft-standard.txt').trim(),
		files: {
			'/proc/version': fixture('wsl', 'proc-version-wsl2-4.19.128-microsoft-standard.txt'),
			'/etc/resolv.conf': fixture('wsl', 'resolv-conf-generated-by-wsl-issue-7009.txt'),
		},
		env: {PATH: '/usr/bin', WSL_DISTRO_NAME: 'Ubuntu-20.04', WSL_INTEROP: '/run/WSL/8_interop', DOCKER_HOST: deadSocket},
		commands: {docker: {exitCode: 1, stdout: fixture('docker', 'docker-desktop-wsl2-integration-disabled-message-2023.txt')}},
	});
	const store = doctorStore();
	const recommendation = await runDoctor(system, store);
	const state = store.getState();
	const outcome = (id: keyof DoctorState['checks']) => {
		const check = state.checks[id];
		assert.equal(check.type, 'done', id);
		return check.outcome;
	};

	assert.equal(outcome('platform').status, 'ok');
	assert.match(outcome('platform').summary, /WSL 2 \(Ubuntu-20.04\)/);
	assert.match(outcome('platform').detail ?? '', /systemd is off/);
	assert.equal(outcome('docker').status, 'fail');
	assert.match(outcome('docker').summary, /WSL integration is off/);
	assert.match(outcome('docker').detail ?? '', /DRV_NOT_DETECTED/);
	assert.equal(outcome('kvm2').status, 'missing');
	assert.match(outcome('kvm2').detail ?? '', /nested virtualisation/);
	for (const id of ['minikube', 'kind', 'helm', 'trivy', 'kubectl', 'cluster'] as const) {
		assert.equal(outcome(id).status, 'missing', id);
	}

	assert.equal(recommendation.target, null);
	assert.match(recommendation.fixes[0] ?? '', /turn on Ubuntu-20.04/);
	assert.equal(state.phase.type, 'done');
});

test('minikube and kind outputs from the real tools show up as profiles and clusters', async () => {
	const profileList = readFileSync(`${localFixtures}/minikube/profile-list-stopped-docker.json`, 'utf8');
	const system = createFakeSystem({
		env: {PATH: '/usr/bin', DOCKER_HOST: deadSocket},
		commands: {
			minikube: args => ({stdout: args[0] === 'version' ? '{"commit":"65318f4cfff9c12cc87ec9eb8f4cdd57b25047f3","minikubeVersion":"v1.37.0"}' : profileList}),
			kind: args =>
				args[0] === 'version'
					? {stdout: 'kind v0.32.0 go1.25.5 linux/amd64'}
					: {stdout: fixture('kind', 'kind-get-clusters-one-cluster-v0.5.1.txt').split('\n').slice(1).join('\n')},
		},
	});
	const store = doctorStore();
	await runDoctor(system, store);
	const {minikube, kind} = store.getState().checks;
	assert.equal(minikube.type === 'done' && minikube.outcome.summary, 'minikube v1.37.0, profiles: minikube (Stopped, docker)');
	assert.equal(kind.type === 'done' && kind.outcome.summary, 'kind v0.32.0, clusters: halkyon');
});

test('a probe that hangs, crashes or prints garbage ends as a finding, and the run still finishes', async () => {
	const system = createFakeSystem({
		env: {PATH: '/usr/bin', DOCKER_HOST: deadSocket},
		commands: {
			helm: async () =>
				new Promise(() => {
					// Never answers.
				}),
			trivy: {exitCode: 139, stdout: '\u0000\u0001\u00ff\u00fe garbage', stderr: 'Segmentation fault'},
			kubectl: () => {
				throw new Error('spawn EACCES');
			},
		},
	});
	const fastHelm = doctorChecks.map(check => (check.id === 'helm' ? {...check, timeoutMs: 200} : check)) as Check[];
	const store = doctorStore();
	const started = performance.now();
	await runDoctor(system, store, fastHelm);
	assert.ok(performance.now() - started < 5000);
	const {helm, trivy, kubectl} = store.getState().checks;
	assert.equal(helm.type === 'done' && helm.outcome.incomplete, true);
	assert.match(helm.type === 'done' ? helm.outcome.summary : '', /did not finish within 0.2 s/);
	assert.equal(trivy.type === 'done' && trivy.outcome.status, 'warn');
	assert.match(trivy.type === 'done' ? (trivy.outcome.detail ?? '') : '', /exited with code 139: Segmentation fault/);
	assert.equal(kubectl.type === 'done' && kubectl.outcome.incomplete, true);
	assert.match(kubectl.type === 'done' ? kubectl.outcome.summary : '', /could not complete: spawn EACCES/);
});

test('runCheck turns a thrown non-Error into a readable finding', async () => {
	const check: Check = {
		id: 'trivy',
		title: 'Trivy',
		timeoutMs: 1000,
		async run() {
			throw 'boom';
		},
	};
	const outcome = await runCheck(check, createFakeSystem());
	assert.deepEqual(outcome, {status: 'warn', summary: 'The Trivy check could not complete: boom', incomplete: true});
});

test('KVM: present but not ours, and present with libvirt', async () => {
	const kvm2 = doctorChecks.find(check => check.id === 'kvm2') as Check;
	const denied = await runCheck(kvm2, createFakeSystem({devices: {'/dev/kvm': 'no'}}));
	assert.equal(denied.status, 'fail');
	assert.match(denied.fix ?? '', /usermod -aG kvm,libvirt/);
	const usable = await runCheck(kvm2, createFakeSystem({devices: {'/dev/kvm': 'yes'}, commands: {virsh: {}}}));
	assert.equal(usable.status, 'ok');
});

test('Helm 2 is found but not accepted', async () => {
	const helm = doctorChecks.find(check => check.id === 'helm') as Check;
	const outcome = await runCheck(helm, createFakeSystem({commands: {helm: {stdout: 'Client: v2.16.1+gbbdfe5e'}}}));
	assert.equal(outcome.status, 'warn');
	assert.match(outcome.summary, /Helm 2/);
});
