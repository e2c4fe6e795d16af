// A registry image that cannot be pulled, told apart by the kubelet's own words (captured from public
// threads): the rate limit, a certificate the node does not trust. Neither is "a local image that was
// never loaded", and the fix says how to load it from this machine instead.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import type {V1Pod} from '@kubernetes/client-node';
import {diagnosePod} from '../../source/diagnose/pod.js';
import {capturedFixture} from '../helpers/paths.js';

const now = new Date('2026-08-20T23:15:00Z');
const kind = {cluster: 'kind cluster "todo"', images: new Set(['todo-backend:git-abc']), loadCommand: 'kind load docker-image IMAGE --name todo'};

function backingOff(image: string, captured: string) {
	const pod = {
		metadata: {name: 'todo-todo-app-postgresql-0'},
		spec: {containers: [{name: 'postgresql', image}]},
		status: {
			phase: 'Pending',
			containerStatuses: [
				{
					name: 'postgresql',
					image,
					imageID: '',
					ready: false,
					restartCount: 0,
					state: {waiting: {reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"`}},
				},
			],
		},
	} as unknown as V1Pod;
	const failed = readFileSync(capturedFixture('k8s', 'pull-failures', captured), 'utf8').trim();
	return diagnosePod({
		pod,
		now,
		localImages: kind,
		events: [{type: 'Warning', reason: 'Failed', message: failed, involvedObject: {fieldPath: 'spec.containers{postgresql}'}}],
	});
}

test("the rate limit: named from the kubelet's event, and the image loaded from here instead", () => {
	for (const captured of ['toomanyrequests-containerd.txt', 'toomanyrequests-docker.txt']) {
		const diagnosis = backingOff('postgres:16.4-alpine', captured);
		assert.match(diagnosis.explanation, /Docker Hub's pull rate limit for anonymous pulls was reached/, captured);
		assert.match(diagnosis.fix, /docker pull postgres:16\.4-alpine && kind load docker-image postgres:16\.4-alpine --name todo/);
		assert.doesNotMatch(diagnosis.fix, /A local image is in no registry/);
		assert.ok(diagnosis.evidence.some(line => /toomanyrequests/.test(line)));
	}
});

test('a certificate the node does not trust: a company proxy, and how to give the node its CA', () => {
	for (const captured of ['x509-minikube-docker.txt', 'x509-registry-v2.txt']) {
		const diagnosis = backingOff('busybox:1.36.1', captured);
		assert.match(diagnosis.explanation, /does not trust the certificate .*company proxy/, captured);
		assert.match(diagnosis.fix, /minikube start --embed-certs/);
	}
});

test("kind's local registry not wired into the node: plain HTTP refused over HTTPS, or the node's own localhost; the fix is the hosts.toml --local-registry writes", () => {
	const https = backingOff('localhost:5000/vm-runner:dev', 'http-registry-no-hosts-toml.txt');
	assert.match(
		https.explanation,
		/asked localhost:5000 over HTTPS and it speaks plain HTTP: the node's containerd has no \/etc\/containerd\/certs\.d\/localhost:5000\/hosts\.toml/,
	);
	assert.match(https.fix, /todo-deploy up --local-registry points every node at the cluster's local registry/);
	const refused = backingOff('localhost:5000/hello-app:1.0', 'localhost-registry-refused.txt');
	assert.match(refused.explanation, /inside the node, localhost:5000 is the node itself, where no registry listens/);
	assert.match(refused.fix, /todo-deploy up --local-registry writes it on every node/);
	// Another registry's refused connection keeps its own cause.
	const elsewhere = backingOff('registry.example.com:5000/app:1', 'localhost-registry-refused.txt');
	assert.match(elsewhere.explanation, /cannot be reached from the node/);
});
