// A cluster that fails to start is shown by its real reason, read from the captured outputs of real
// minikube and kind runs (test/fixtures/captured/SOURCES.md says where each comes from).
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import {clusterStartNotes, explainClusterStart} from '../../source/diagnose/cluster-start.js';
import {capturedFixture} from '../helpers/paths.js';

const minikube = (name: string) => readFileSync(capturedFixture('minikube', name), 'utf8');
const kind = (name: string) => readFileSync(capturedFixture('kind', name), 'utf8');
const minikubeStart = {program: 'minikube', args: ['start', '--driver=docker', '--cpus=2', '--memory=4096mb'], startDocker: 'sudo service docker start'};
const kindCreate = {program: 'kind', args: ['create', 'cluster', '--name', 'todo']};

test('GUEST_PROVISION ending in a box: the reason line is found, not the box, and a blocked kicbase pull is a network cause', () => {
	const failure = explainClusterStart(minikubeStart, minikube('minikube-start-GUEST_PROVISION-kicbase-gcr-timeout-v1.37.0.txt'));
	assert.equal(failure.reason, 'GUEST_PROVISION');
	assert.match(failure.cause, /^Docker cannot download minikube's node image \(gcr\.io\/k8s-minikube\/kicbase\)/);
	assert.match(failure.fix, /Resources > Proxies.*http-proxy\.conf.*run minikube delete, then try again/);
	assert.match(failure.evidence[0] ?? '', /^X Exiting due to GUEST_PROVISION: error provisioning guest/);
	assert.ok(failure.evidence.some(line => /Client\.Timeout exceeded/.test(line)));
	assert.ok(!failure.evidence.some(line => /[╭│╰]/.test(line)), 'the bug-report box is not evidence');
});

test('GUEST_START with the API server never healthy names the unreachable registry minikube warned of', () => {
	const failure = explainClusterStart(minikubeStart, minikube('minikube-start-GUEST_START-apiserver-healthz-registry-unreachable.txt'));
	assert.equal(failure.reason, 'GUEST_START');
	assert.match(failure.cause, /API server never became healthy in the 6 minutes.*cannot reach https:\/\/registry\.k8s\.io/);
	assert.match(failure.fix, /^Fix the network first.*minikube logs --file=logs\.txt.*cgroup v1/);
});

test('PROVIDER_DOCKER_NOT_RUNNING says Docker is not running, with the way Docker starts on this machine', () => {
	for (const file of ['minikube-start-PROVIDER_DOCKER_NOT_RUNNING-v1.18.1-wsl.txt', 'minikube-start-PROVIDER_DOCKER_NOT_RUNNING-v1.37.0-ko.txt']) {
		const failure = explainClusterStart(minikubeStart, minikube(file));
		assert.equal(failure.reason, 'PROVIDER_DOCKER_NOT_RUNNING', file);
		assert.match(failure.cause, /^Docker is not running/);
		assert.match(failure.fix, /^Start Docker \(sudo service docker start\)/);
		// minikube's own advice stays under it, in whatever language minikube spoke.
		assert.ok(
			failure.evidence.some(line => /^ {2}💡 {2}(Suggestion|권장): Start the Docker service$/.test(line)),
			file,
		);
	}
});

test('too few CPUs and too little memory give the flag that fits', () => {
	const cores = explainClusterStart(minikubeStart, minikube('minikube-start-RSRC_INSUFFICIENT_CORES-v1.37.0-ko.txt'));
	assert.equal(cores.reason, 'RSRC_INSUFFICIENT_CORES');
	assert.match(cores.cause, /fewer CPUs than the cluster asks for \(Requested cpu count 4 is greater than the available cpus of 2\)/);
	assert.match(cores.fix, /--cpus=2.*\.wslconfig/);
	const memory = explainClusterStart(minikubeStart, minikube('minikube-start-MK_USAGE-docker-desktop-memory-v1.37.0-ko.txt'));
	assert.equal(memory.reason, 'MK_USAGE');
	assert.match(memory.cause, /less memory than the cluster asks for \(Docker Desktop has only 5921MB memory but you specified 8192MB\)/);
	// Three quarters of what Docker has, in 256 MB steps.
	assert.match(memory.fix, /^Start with --memory=4352mb/);
});

test('a profile other than the default is named in the fix', () => {
	const failure = explainClusterStart(
		{program: 'minikube', args: ['start', '-p', 'todo', '--driver=docker']},
		minikube('minikube-start-GUEST_PROVISION-kicbase-gcr-timeout-v1.37.0.txt'),
	);
	assert.match(failure.fix, /run minikube delete -p todo, then try again/);
	assert.match(
		explainClusterStart({program: 'minikube', args: []}, minikube('minikube-start-PROVIDER_DOCKER_NOT_RUNNING-v1.18.1-wsl.txt')).fix,
		/open Docker Desktop/,
	);
});

test('the captured DRV_NOT_DETECTED outputs send the person to the doctor, with emoji or without', () => {
	for (const file of ['minikube-start-DRV_NOT_DETECTED-v1.37.0-ubuntu24.04.txt', 'minikube-start-DRV_NOT_DETECTED-v1.35.0-noemoji.txt']) {
		const failure = explainClusterStart(minikubeStart, minikube(file));
		assert.equal(failure.reason, 'DRV_NOT_DETECTED', file);
		assert.match(failure.fix, /todo-deploy doctor/);
	}
});

test('a reason todo-deploy does not know is said as minikube says it, with its own suggestion', () => {
	const output =
		'😄  minikube v1.38.1 on Debian 12\n\n❌  Exiting due to HOST_HOME_PERMISSION: open /home/dev/.minikube/profiles: permission denied\n💡  Suggestion: Your user lacks permissions to the minikube profile directory\n🍿  Related issue:\n    ▪ https://github.com/kubernetes/minikube/issues/9165\n';
	const failure = explainClusterStart(minikubeStart, output);
	assert.equal(failure.cause, 'minikube stopped with HOST_HOME_PERMISSION: open /home/dev/.minikube/profiles: permission denied');
	assert.equal(failure.fix, 'minikube suggests: Your user lacks permissions to the minikube profile directory.');
	assert.ok(failure.evidence.includes('  ▪ https://github.com/kubernetes/minikube/issues/9165'));
});

test('kind: the ERROR line is the reason, and each known one gets its fix', () => {
	const existing = explainClusterStart(kindCreate, kind('kind-create-cluster-node-already-exist.txt'));
	assert.match(existing.cause, /^A kind cluster named gateway-e2e exists already/);
	assert.match(existing.fix, /^To use it: kind export kubeconfig --name gateway-e2e/);

	const rootless = explainClusterStart(kindCreate, kind('kind-create-cluster-rootless-delegate.txt'));
	assert.match(rootless.cause, /rootless Docker or Podman/);
	assert.match(rootless.fix, /Delegate=yes.*systemd-run --scope --user -p Delegate=yes kind create cluster/);

	const pool = explainClusterStart(kindCreate, kind('kind-create-cluster-no-ipv4-pool-v0.11.1.txt'));
	assert.match(pool.cause, /no free address range for kind's network: a VPN/);
	assert.match(pool.fix, /docker network prune.*default-address-pools.*run kind delete cluster --name todo, then try again/);
	assert.equal(pool.evidence.length, 2, 'the ERROR line and its Command Output');

	const boot = explainClusterStart(kindCreate, kind('kind-create-cluster-multi-user-system-log-line.txt'));
	assert.match(boot.cause, /never finished booting: most often the inotify limits/);
	assert.match(boot.fix, /^sudo sysctl -w fs\.inotify\.max_user_watches=524288/);
});

test('kind on WSL 2: kubeadm killed by exit 137 is memory; other kubeadm and node failures point at cgroup v1 and inotify', () => {
	assert.match(explainClusterStart(kindCreate, kind('kind-create-cluster-wsl2-kubeadm-exit-137-EXCERPT.txt')).cause, /exit 137.*out of memory/);
	for (const file of ['kind-create-cluster-wsl2-kubeadm-init-failed-EXCERPT.txt', 'kind-create-cluster-wsl2-writing-configuration-not-running-EXCERPT.txt']) {
		const failure = explainClusterStart(kindCreate, kind(file));
		assert.match(failure.cause, /did not start inside kind's node container.*cgroup v1/, file);
		assert.match(failure.fix, /--retain, then docker logs todo-control-plane/);
	}
});

test('output with no reason line falls back to its last lines, never the box', () => {
	const failure = explainClusterStart({program: 'minikube', args: ['start']}, 'something\nwent wrong\n╰──╯\n');
	assert.equal(failure.cause, 'went wrong');
	assert.deepEqual(failure.evidence, ['something', 'went wrong']);
});

test('a start that worked still says what will matter later', () => {
	assert.match(
		clusterStartNotes(minikube('minikube-start-trouble-accessing-k8s.gcr.io-wsl.txt'))[0] ?? '',
		/^minikube cannot reach https:\/\/k8s\.gcr\.io from the node/,
	);
	assert.match(clusterStartNotes(minikube('minikube-start-no-free-subnet-warning-v1.26.1.txt'))[0] ?? '', /could not make its own Docker network/);
	assert.deepEqual(clusterStartNotes('🏄  Done! kubectl is now configured to use "minikube" cluster'), []);
	// An existing profile keeps its CPUs and memory whatever --cpus and --memory ask.
	const [kept, ...more] = clusterStartNotes(minikube('minikube-start-existing-profile-cannot-change-cpus-v1.31.0.txt'));
	assert.equal(more.length, 0);
	assert.match(kept ?? '', /^minikube kept the profile's own CPUs and memory: it does not change them on a cluster that exists/);
	assert.match(kept ?? '', /minikube delete \(what it holds is lost\), then todo-deploy up\.$/);
	const named = clusterStartNotes(
		minikube('minikube-start-existing-profile-cannot-change-cpus-v1.31.0.txt').replace('node minikube in cluster minikube', 'node todo in cluster todo'),
	);
	assert.match(named[0] ?? '', /minikube delete -p todo \(what it holds is lost\)/);
});
