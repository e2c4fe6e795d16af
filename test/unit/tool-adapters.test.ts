import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import {parseHelmVersion} from '../../source/adapters/helm.js';
import {parseKindClusters, parseKindVersion, probeKind} from '../../source/adapters/kind.js';
import {classifyLocalContext, kubeconfigPaths, parseKubectlVersion} from '../../source/adapters/kube.js';
import {parseMinikubeProfiles, parseMinikubeVersion, probeMinikube} from '../../source/adapters/minikube.js';
import {firstSemver} from '../../source/adapters/system.js';
import {parseTrivyVersion} from '../../source/adapters/trivy.js';
import {createFakeSystem} from '../helpers/fake-system.js';
import {localFixtures, capturedFixture} from '../helpers/paths.js';

const profileList = readFileSync(`${localFixtures}/minikube/profile-list-stopped-docker.json`, 'utf8');

test('minikube profile list JSON gives each profile with status and driver', () => {
	assert.deepEqual(parseMinikubeProfiles(profileList), [{name: 'minikube', status: 'Stopped', driver: 'docker'}]);
	assert.deepEqual(parseMinikubeProfiles('{"invalid":[{"Name":"old","Status":"","Config":null}],"valid":[]}'), [
		{name: 'old', status: 'Invalid', driver: undefined},
	]);
	assert.deepEqual(parseMinikubeProfiles('{"error":{"Op":"open","Path":"/home/dev/.minikube/profiles","Err":2}}'), []);
	// The truncated capture is not JSON: it must not be taken for "no profiles".
	assert.equal(parseMinikubeProfiles(readFileSync(capturedFixture('minikube', 'minikube-profile-list-json-EXCERPT-truncated.txt'), 'utf8')), undefined);
});

test('minikube versions in JSON and text form', () => {
	assert.equal(parseMinikubeVersion('{"commit":"65318f4cfff9c12cc87ec9eb8f4cdd57b25047f3","minikubeVersion":"v1.37.0"}'), 'v1.37.0');
	assert.equal(parseMinikubeVersion('minikube version: v1.35.0\ncommit: dd5d320e41b5451cdf3c01891bc4e13d189586ed-dirty'), 'v1.35.0');
});

test('probeMinikube lists the profiles, and says when it could not', async () => {
	const good = createFakeSystem({commands: {minikube: args => ({stdout: args[0] === 'version' ? '{"commit":"x","minikubeVersion":"v1.37.0"}' : profileList})}});
	const facts = await probeMinikube(good, 1000);
	assert.equal(facts.version, 'v1.37.0');
	assert.deepEqual(facts.profiles, [{name: 'minikube', status: 'Stopped', driver: 'docker'}]);
	assert.deepEqual(good.runs, ['minikube version --output=json', 'minikube profile list --output=json']);

	const hung = createFakeSystem({
		commands: {minikube: args => (args[0] === 'version' ? {stdout: 'minikube version: v1.37.0'} : {exitCode: undefined, timedOut: true})},
	});
	const hungFacts = await probeMinikube(hung, 1000);
	assert.equal(hungFacts.profiles, undefined);
	assert.equal(hungFacts.profileError, 'did not answer in time');
});

test('kind: version, clusters on stdout, "No kind clusters found." on stderr', async () => {
	assert.equal(parseKindVersion('kind v0.32.0 go1.25.5 linux/amd64'), 'v0.32.0');
	const captured = readFileSync(capturedFixture('kind', 'kind-get-clusters-one-cluster-v0.5.1.txt'), 'utf8').split('\n').slice(1).join('\n');
	assert.deepEqual(parseKindClusters(captured), ['halkyon']);
	const none = createFakeSystem({
		commands: {kind: args => (args[0] === 'version' ? {stdout: 'kind v0.32.0 go1.25.5 linux/amd64'} : {stderr: 'No kind clusters found.'})},
	});
	assert.deepEqual((await probeKind(none, 1000)).clusters, []);
});

test('helm, trivy and kubectl versions', () => {
	assert.equal(parseHelmVersion('v4.1.4+g05fa379'), 'v4.1.4+g05fa379');
	assert.equal(parseHelmVersion('Client: v2.16.1+gbbdfe5e'), 'v2.16.1+gbbdfe5e');
	assert.equal(parseTrivyVersion('Version: 0.58.1\nVulnerability DB:\n  Version: 2\n'), 'v0.58.1');
	assert.equal(parseKubectlVersion('{\n  "clientVersion": {\n    "major": "1",\n    "gitVersion": "v1.35.2"\n  }\n}'), 'v1.35.2');
	assert.equal(firstSemver('\u0000\u00ff garbage'), undefined);
});

test('local contexts are told by the names minikube, kind, k3d and Docker Desktop give them', () => {
	assert.equal(classifyLocalContext('kind-todo', 'kind-todo'), 'kind');
	assert.equal(classifyLocalContext('minikube', 'minikube'), 'minikube');
	assert.equal(classifyLocalContext('dev', 'dev', ['dev']), 'minikube');
	assert.equal(classifyLocalContext('docker-desktop', 'docker-desktop'), 'docker-desktop');
	assert.equal(classifyLocalContext('k3d-mycluster', 'k3d-mycluster'), 'k3d');
	assert.equal(classifyLocalContext('arn:aws:eks:eu-west-1:123:cluster/prod', 'arn:aws:eks:eu-west-1:123:cluster/prod'), null);
});

test('KUBECONFIG is a path list; without it, ~/.kube/config', () => {
	assert.deepEqual(kubeconfigPaths({KUBECONFIG: '/a/config:/b/config'}, '/home/dev'), ['/a/config', '/b/config']);
	assert.deepEqual(kubeconfigPaths({}, '/home/dev'), ['/home/dev/.kube/config']);
});
