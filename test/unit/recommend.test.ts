import assert from 'node:assert/strict';
import {test} from 'node:test';
import {describeDocker} from '../../source/engine/doctor/check-docker.js';
import {recommend, type Outcomes} from '../../source/engine/doctor/recommend.js';
import type {ClusterFacts, DockerFacts, KubeContextFacts, PlatformFacts} from '../../source/engine/doctor/types.js';
import {linuxFacts} from '../helpers/platform-facts.js';

const linux: PlatformFacts = linuxFacts;
const wsl2: PlatformFacts = {...linux, kernel: '5.15.153.1-microsoft-standard-WSL2', wsl: 2, wslDistro: 'Ubuntu', systemd: false, userBinOnPath: false};

const reachable: DockerFacts = {
	cli: 'present',
	cliPath: '/usr/bin/docker',
	cliVersion: '28.2.2',
	stubMessage: undefined,
	host: 'unix:///var/run/docker.sock',
	daemon: {type: 'reachable', version: '28.2.2', apiVersion: '1.50', osType: 'linux', cpus: 8, memoryMiB: 7800},
};

function withDocker(platform: PlatformFacts, docker: DockerFacts, extra: Outcomes = {}): Outcomes {
	return {
		platform: {status: 'ok', summary: 'platform', facts: platform},
		docker: {...describeDocker(docker, platform), facts: docker},
		kvm2: {status: 'missing', summary: '/dev/kvm is absent: no hardware virtualisation here', facts: {devKvm: 'absent', virsh: undefined, driver: undefined}},
		minikube: {status: 'missing', summary: 'minikube is not installed', facts: {path: undefined, version: undefined, profiles: []}},
		kind: {status: 'missing', summary: 'kind is not installed', facts: {path: undefined, version: undefined, clusters: []}},
		helm: {status: 'missing', summary: 'Helm is not installed', facts: {path: undefined, version: undefined}},
		trivy: {status: 'ok', summary: 'Trivy', facts: {path: '/usr/bin/trivy', version: 'v0.74.0'}},
		kubectl: {status: 'ok', summary: 'kubectl', facts: {path: '/usr/bin/kubectl', version: 'v1.35.2'}},
		cluster: {status: 'missing', summary: 'No kubeconfig', facts: {kubeconfig: [], contexts: [], currentContext: undefined, error: undefined}},
		...extra,
	};
}

function clusterWith(contexts: KubeContextFacts[]): Outcomes {
	const facts: ClusterFacts = {
		kubeconfig: ['/home/dev/.kube/config'],
		contexts,
		currentContext: contexts.find(context => context.current)?.name,
		error: undefined,
	};
	return {cluster: {status: 'ok', summary: 'contexts', facts}};
}

const kindContext: KubeContextFacts = {
	name: 'kind-todo',
	cluster: 'kind-todo',
	server: 'https://127.0.0.1:40123',
	local: 'kind',
	current: false,
	reachable: true,
	serverVersion: 'v1.36.1',
	error: undefined,
};

test('WSL 2 with Docker Desktop integration off: no path yet, and the fix is the integration switch', () => {
	const stub: DockerFacts = {
		cli: 'desktop-stub',
		cliPath: '/usr/bin/docker',
		cliVersion: undefined,
		stubMessage: "The command 'docker' could not be found in this WSL 2 distro.",
		host: 'unix:///var/run/docker.sock',
		daemon: {type: 'no-socket', socket: '/var/run/docker.sock'},
	};
	const result = recommend(withDocker(wsl2, stub));
	assert.equal(result.target, null);
	assert.equal(result.command, null);
	assert.equal(result.fixes.length, 1);
	assert.match(result.fixes[0] ?? '', /Docker Desktop > Settings > Resources > WSL integration, turn on Ubuntu/);
	assert.deepEqual(
		result.rejected.map(item => item.target),
		['existing-context', 'minikube-docker', 'kind', 'minikube-kvm2'],
	);
	assert.match(result.rejected.find(item => item.target === 'minikube-docker')?.why ?? '', /WSL integration is off/);
});

test('permission denied on the socket: the fix is the docker group and a new login shell', () => {
	const denied: DockerFacts = {...reachable, daemon: {type: 'permission-denied', socket: '/var/run/docker.sock'}};
	const result = recommend(withDocker(linux, denied));
	assert.equal(result.target, null);
	assert.match(result.fixes[0] ?? '', /usermod -aG docker \$USER.*new login shell/);
});

test('daemon down in WSL 2 without systemd: start it with service, not systemctl', () => {
	const down: DockerFacts = {...reachable, daemon: {type: 'no-socket', socket: '/var/run/docker.sock'}};
	const result = recommend(withDocker(wsl2, down));
	assert.equal(result.target, null);
	assert.match(result.fixes[0] ?? '', /sudo service docker start/);
	assert.doesNotMatch(result.fixes[0] ?? '', /systemctl/);
});

test('a reachable daemon gives minikube with the docker driver, sized to the engine, with what to install first', () => {
	const result = recommend(withDocker(wsl2, reachable));
	assert.equal(result.target, 'minikube-docker');
	assert.equal(result.command, 'minikube start --driver=docker --cpus=4 --memory=4096mb');
	assert.deepEqual(
		result.install.map(step => step.tool),
		['minikube', 'helm'],
	);
	assert.equal(result.installCommand, 'npx todo-deploy install minikube helm');
	assert.equal(
		result.pathSetup,
		'export PATH="$HOME/.local/share/todo-deploy/bin:$PATH" && echo \'export PATH="$HOME/.local/share/todo-deploy/bin:$PATH"\' >> ~/.bashrc',
	);
	const kind = result.rejected.find(item => item.target === 'kind');
	assert.match(kind?.why ?? '', /^also possible, ranked after minikube-docker/);
});

test('a small engine gets a smaller minikube; too small rules minikube out and leaves kind', () => {
	const small: DockerFacts = {...reachable, daemon: {type: 'reachable', version: '28.2.2', apiVersion: '1.50', osType: 'linux', cpus: 2, memoryMiB: 3000}};
	assert.equal(recommend(withDocker(linux, small)).command, 'minikube start --driver=docker --cpus=2 --memory=2048mb');
	const tiny: DockerFacts = {...reachable, daemon: {type: 'reachable', version: '28.2.2', apiVersion: '1.50', osType: 'linux', cpus: 2, memoryMiB: 2000}};
	const result = recommend(withDocker(linux, tiny));
	assert.equal(result.target, 'kind');
	assert.equal(result.command, 'kind create cluster --name todo');
	assert.match(result.rejected.find(item => item.target === 'minikube-docker')?.why ?? '', /needs at least 1800 MiB/);
});

test('an existing local cluster that answers comes first, current context preferred', () => {
	const current = {...kindContext, name: 'minikube', cluster: 'minikube', local: 'minikube' as const, current: true};
	const result = recommend({...withDocker(linux, reachable), ...clusterWith([kindContext, current])});
	assert.equal(result.target, 'existing-context');
	assert.equal(result.command, 'kubectl config use-context minikube');
	assert.deepEqual(
		result.install.map(step => step.tool),
		['helm'],
	);
});

test('a remote current context is never chosen on its own', () => {
	const remote: KubeContextFacts = {
		name: 'prod',
		cluster: 'prod',
		server: 'https://k8s.example.com',
		local: null,
		current: true,
		reachable: true,
		serverVersion: 'v1.33.0',
		error: undefined,
	};
	assert.equal(recommend({...withDocker(linux, reachable), ...clusterWith([remote])}).target, 'minikube-docker');
});

test('an existing stopped minikube profile on docker is started, not re-created', () => {
	const outcomes = withDocker(linux, reachable, {
		minikube: {
			status: 'ok',
			summary: 'minikube',
			facts: {path: '/usr/bin/minikube', version: 'v1.37.0', profiles: [{name: 'todo', status: 'Stopped', driver: 'docker'}]},
		},
	});
	const result = recommend(outcomes);
	assert.equal(result.command, 'minikube start -p todo');
	assert.deepEqual(
		result.install.map(step => step.tool),
		['helm'],
	);
});

test('no Docker but usable KVM and libvirt: minikube with kvm2', () => {
	const missing: DockerFacts = {
		cli: 'missing',
		cliPath: undefined,
		cliVersion: undefined,
		stubMessage: undefined,
		host: 'unix:///var/run/docker.sock',
		daemon: {type: 'no-socket', socket: '/var/run/docker.sock'},
	};
	const result = recommend(
		withDocker(linux, missing, {kvm2: {status: 'ok', summary: 'kvm', facts: {devKvm: 'yes', virsh: '/usr/bin/virsh', driver: undefined}}}),
	);
	assert.equal(result.target, 'minikube-kvm2');
	assert.equal(result.command, 'minikube start --driver=kvm2');
});

test('WSL 1: converting to WSL 2 comes before any Docker fix', () => {
	const wsl1: PlatformFacts = {...wsl2, wsl: 1, kernel: '4.4.0-18362-Microsoft'};
	const outcomes = withDocker(wsl1, reachable, {
		platform: {status: 'fail', summary: 'WSL 1', fix: 'In Windows PowerShell: wsl --set-version Ubuntu 2, then open this terminal again.', facts: wsl1},
	});
	const result = recommend(outcomes);
	assert.equal(result.target, null);
	assert.match(result.fixes[0] ?? '', /wsl --set-version Ubuntu 2/);
});

test('Windows containers are not usable; the fix says to switch', () => {
	const windows: DockerFacts = {...reachable, daemon: {type: 'reachable', version: '28.2.2', apiVersion: '1.50', osType: 'windows', cpus: 8, memoryMiB: 8000}};
	const result = recommend(withDocker(linux, windows));
	assert.equal(result.target, null);
	assert.match(result.fixes[0] ?? '', /Linux containers/);
});
