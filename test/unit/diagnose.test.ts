import assert from 'node:assert/strict';
import {test} from 'node:test';
import {diagnosePod} from '../../source/diagnose/pod.js';
import {capturedPod, describedEvents} from '../helpers/k8s-fixtures.js';

const now = new Date('2026-08-20T23:15:00Z');

test('CrashLoopBackOff: the exit code, what it means, and the termination message', () => {
	const diagnosis = diagnosePod({
		pod: capturedPod('crashloop'),
		now,
		logs: {quitter: ['starting', 'panic: runtime error: index out of range [3] with length 3']},
	});
	assert.equal(diagnosis.state, 'failing');
	assert.equal(diagnosis.reason, 'CrashLoopBackOff');
	assert.equal(diagnosis.title, 'quitter keeps crashing (exit 1, 10 restarts)');
	assert.match(diagnosis.explanation, /exited with code 1: the app failed while starting/);
	assert.ok(
		diagnosis.evidence.some(line => /^last message: panic: dial t/.test(line)),
		diagnosis.evidence.join('\n'),
	);
	assert.ok(diagnosis.evidence.includes('log: panic: runtime error: index out of range [3] with length 3'));
});

test('exit codes 127 and 143 and 0 are told apart', () => {
	assert.match(diagnosePod({pod: capturedPod('notfound'), now}).explanation, /code 127: the command was not found in the image/);
	assert.match(diagnosePod({pod: capturedPod('notfound'), now}).fix, /command and entrypoint/);
	assert.match(diagnosePod({pod: capturedPod('sigterm'), now}).explanation, /SIGTERM \(exit 143\)/);
	assert.match(diagnosePod({pod: capturedPod('sigterm'), now}).fix, /liveness probe/);
});

test('OOMKilled: the memory limit and how to raise it', () => {
	const diagnosis = diagnosePod({pod: capturedPod('oom'), now});
	assert.equal(diagnosis.reason, 'OOMKilled');
	assert.equal(diagnosis.title, 'hog keeps running out of memory (exit 137, 10 restarts)');
	assert.match(diagnosis.explanation, /Its memory limit is 64Mi\./);
	assert.match(diagnosis.fix, /Raise the memory limit above 64Mi/);
	const serving = diagnosePod({pod: capturedPod('oomserving'), now});
	assert.equal(serving.state, 'ready');
	assert.match(serving.explanation, /restarted before: it was killed for using more memory than its limit/);
});

test('ImagePullBackOff: the image, the cause, and whether the local cluster has it', () => {
	const plain = diagnosePod({pod: capturedPod('image'), now});
	assert.equal(plain.reason, 'ImagePullBackOff');
	assert.equal(plain.title, 'nope: cannot pull registry.invalid/does-not-exist:v9');
	assert.match(plain.explanation, /the node cannot resolve the registry's name/);
	const local = diagnosePod({
		pod: capturedPod('image'),
		now,
		localImages: {cluster: 'minikube profile todo', images: new Set(['todo-backend:0.1.0']), loadCommand: 'minikube image load IMAGE -p todo'},
	});
	// The pull failed on the way (the name does not resolve): loading it from this machine is a way round.
	assert.match(
		local.fix,
		/load the image from this machine: docker pull registry\.invalid\/does-not-exist:v9 && minikube image load registry\.invalid\/does-not-exist:v9 -p todo/,
	);
	// An image built here that no registry has: loading it is the fix.
	const built = diagnosePod({
		pod: {
			metadata: {name: 'app'},
			spec: {containers: [{name: 'app', image: 'todo-backend:git-abc', imagePullPolicy: 'Always'}]},
			status: {
				phase: 'Pending',
				containerStatuses: [
					{
						name: 'app',
						image: 'todo-backend:git-abc',
						imageID: '',
						ready: false,
						restartCount: 0,
						state: {
							waiting: {
								reason: 'ErrImagePull',
								message:
									"rpc error: code = Unknown desc = Error response from daemon: pull access denied for todo-backend, repository does not exist or may require 'docker login'",
							},
						},
					},
				],
			},
		},
		now,
		localImages: {cluster: 'minikube profile todo', images: new Set(['todo-backend:0.1.0']), loadCommand: 'minikube image load IMAGE -p todo'},
	});
	assert.match(built.explanation, /minikube profile todo does not have this image/);
	assert.equal(
		built.fix,
		'A local image is in no registry: load it into minikube profile todo with minikube image load todo-backend:git-abc -p todo, and use imagePullPolicy IfNotPresent (its pull policy is Always).',
	);
	const yaml = diagnosePod({pod: capturedPod('is-healthy-pod-imagepullbackoff.yaml'), now});
	assert.match(yaml.reason, /ImagePullBackOff|ErrImagePull/);
});

test('the pull policy is blamed only when it makes the node pull: Always, declared or implied by :latest; never IfNotPresent', () => {
	const pulling = (image: string, policy: string | undefined, loaded: boolean) =>
		diagnosePod({
			pod: {
				metadata: {name: 'app'},
				spec: {containers: [{name: 'app', image, ...(policy ? {imagePullPolicy: policy} : {})}]},
				status: {
					phase: 'Pending',
					containerStatuses: [
						{
							name: 'app',
							image,
							imageID: '',
							ready: false,
							restartCount: 0,
							state: {
								waiting: {
									reason: 'ErrImagePull',
									message: `rpc error: code = Unknown desc = Error response from daemon: pull access denied for todo-backend, repository does not exist or may require 'docker login'`,
								},
							},
						},
					],
				},
			},
			now,
			localImages: {cluster: 'kind cluster todo', images: new Set(loaded ? [image] : []), loadCommand: 'kind load docker-image IMAGE --name todo'},
		}).fix;
	assert.equal(
		pulling('todo-backend:git-abc', 'IfNotPresent', true),
		'kind cluster todo has todo-backend:git-abc and the pull policy is IfNotPresent, yet the node pulled: it is not on the node this pod runs on, or under another name there. Load it again (kind load docker-image todo-backend:git-abc --name todo), then restart the pod (r).',
	);
	assert.doesNotMatch(pulling('todo-backend:git-abc', 'IfNotPresent', false), /imagePullPolicy/);
	assert.doesNotMatch(pulling('todo-backend:git-abc', undefined, false), /imagePullPolicy/);
	assert.equal(
		pulling('todo-backend:latest', undefined, true),
		'todo-backend:latest is in kind cluster todo, but the tag :latest makes the pull policy Always, so the node pulls it anyway: use imagePullPolicy IfNotPresent, or a tag other than latest.',
	);
	assert.match(
		pulling('todo-backend:git-abc', 'Always', true),
		/but its pull policy is Always, so the node pulls it anyway: use imagePullPolicy IfNotPresent\.$/,
	);
});

test('ErrImageNeverPull: not loaded, or loaded with another tag', () => {
	const [event] = describedEvents('describe-events-ErrImageNeverPull.txt');
	assert.ok(event);
	const image = 'docker-registry.services.stellar-ops.com/dev/anchor-platform:e6ca4be8';
	const pod = {
		metadata: {name: 'anchor'},
		spec: {containers: [{name: 'platform', image, imagePullPolicy: 'Never'}]},
		status: {
			phase: 'Pending',
			containerStatuses: [
				{name: 'platform', image, imageID: '', ready: false, restartCount: 0, state: {waiting: {reason: 'ErrImageNeverPull', message: event.message ?? ''}}},
			],
		},
	};
	const notLoaded = diagnosePod({
		pod,
		events: [event],
		now,
		localImages: {cluster: 'kind cluster todo', images: new Set(), loadCommand: 'kind load docker-image IMAGE --name todo'},
	});
	assert.equal(notLoaded.title, `platform: image ${image} is not in the cluster`);
	assert.equal(notLoaded.fix, `Load it: kind load docker-image ${image} --name todo.`);
	const otherTag = diagnosePod({
		pod,
		now,
		localImages: {
			cluster: 'kind cluster todo',
			images: new Set(['docker-registry.services.stellar-ops.com/dev/anchor-platform:0d9f1c2']),
			loadCommand: 'kind load docker-image IMAGE --name todo',
		},
	});
	assert.match(otherTag.explanation, /it has docker-registry\.services\.stellar-ops\.com\/dev\/anchor-platform:0d9f1c2, a different tag/);
	const loadedSince = diagnosePod({
		pod,
		now,
		localImages: {cluster: 'kind cluster todo', images: new Set([image]), loadCommand: 'kind load docker-image IMAGE --name todo'},
	});
	assert.equal(loadedSince.title, `platform: image ${image} is loaded now`);
	assert.match(loadedSince.explanation, /kind cluster todo has it now, and the kubelet tries again/);
});

test("the local cluster's images by every name a pod may use for them", async () => {
	const {imageNames} = await import('../../source/engine/status/cluster-images.js');
	const {parseCrictlImages} = await import('../../source/adapters/kind.js');
	// containerd's crictl names Docker Hub images in full.
	const listed = parseCrictlImages(
		'{"images":[{"id":"sha256:1f2e","repoTags":["docker.io/library/todo-backend:git-1a2b3c4d5e6f","docker.io/bitnami/postgresql:16"],"repoDigests":[],"size":"0","uid":null,"username":"","spec":null,"pinned":false},{"id":"sha256:9a8b","repoTags":[],"repoDigests":["registry.k8s.io/pause@sha256:7031"]}]}',
	);
	assert.deepEqual(listed, ['docker.io/library/todo-backend:git-1a2b3c4d5e6f', 'docker.io/bitnami/postgresql:16']);
	const names = imageNames(listed);
	for (const name of [
		'todo-backend:git-1a2b3c4d5e6f',
		'docker.io/library/todo-backend:git-1a2b3c4d5e6f',
		'bitnami/postgresql:16',
		'docker.io/bitnami/postgresql:16',
	]) {
		assert.ok(names.has(name), name);
	}

	assert.equal(parseCrictlImages('FATA[0000] connect: connection refused'), undefined);
});

test('CreateContainerConfigError names the missing ConfigMap', () => {
	const diagnosis = diagnosePod({pod: capturedPod('config'), now});
	assert.equal(diagnosis.reason, 'CreateContainerConfigError');
	assert.equal(diagnosis.title, 'app: the ConfigMap "this-configmap-does-not-exist" it reads does not exist');
	assert.match(diagnosis.fix, /todo-deploy lint finds these/);
});

test('Unschedulable: taints and selectors, insufficient CPU or memory from real scheduler messages', () => {
	const pending = diagnosePod({pod: capturedPod('pending'), now});
	assert.equal(pending.reason, 'Unschedulable');
	assert.match(pending.explanation, /untolerated taint/);
	assert.match(pending.fix, /nodeSelector, affinity/);
	for (const file of ['describe-events-FailedScheduling-insufficient-memory.txt', 'describe-events-FailedScheduling-insufficient-cpu-minikube.txt']) {
		const events = describedEvents(file);
		const pod = {metadata: {name: 'backend'}, spec: {containers: [{name: 'backend'}]}, status: {phase: 'Pending'}};
		const diagnosis = diagnosePod({pod, events, now});
		assert.equal(diagnosis.reason, 'Unschedulable', file);
		assert.match(diagnosis.fix, /Lower resources\.requests\.(cpu|memory)/, file);
		assert.match(diagnosis.fix, /minikube start --(cpus|memory)=/, file);
	}
});

test('a failing init container holds the pod, with its exit code', () => {
	const diagnosis = diagnosePod({pod: capturedPod('init'), now});
	assert.equal(diagnosis.title, 'init container migrate keeps crashing (exit 1, 10 restarts)');
	assert.match(diagnosis.explanation, /must finish before the app starts/);
});

test('readiness: a 503 from the app and connection refused, from real events', () => {
	const pod = capturedPod('readiness');
	const gravity = diagnosePod({pod, events: describedEvents('describe-events-readiness-503-gravity.txt'), now});
	assert.equal(gravity.reason, 'ReadinessProbeFailed');
	assert.equal(gravity.title, 'app is not ready: HTTP probe failed with statuscode: 503');
	assert.match(gravity.explanation, /HTTP 503, which a readiness endpoint returns while a dependency such as the database is not reachable/);
	assert.match(gravity.fix, /database URL and password/);
	const refused = diagnosePod({pod, events: describedEvents('describe-events-liveness-readiness-connection-refused-apiserver.txt'), now});
	assert.match(refused.explanation, /nothing listens for|HTTP 500/);
	const quiet = diagnosePod({pod, now});
	assert.equal(quiet.state, 'progressing');
	assert.match(quiet.explanation, /the command exit 1 to pass|waits for/);
});

test('a startup probe not passed yet is progress, not failure', () => {
	const diagnosis = diagnosePod({pod: capturedPod('startup'), now});
	assert.equal(diagnosis.state, 'progressing');
	assert.equal(diagnosis.reason, 'Starting');
});

test('healthy, restarted-but-ready, lost, wedged and terminating pods', () => {
	assert.deepEqual([diagnosePod({pod: capturedPod('healthy'), now}).state, diagnosePod({pod: capturedPod('healthy'), now}).title], ['ready', 'ready']);
	const restarts = diagnosePod({pod: capturedPod('restarts'), now});
	assert.equal(restarts.state, 'ready');
	assert.match(restarts.title, /^ready, after \d+ restarts? of /);
	assert.equal(diagnosePod({pod: capturedPod('failed'), now}).reason, 'ContainerStatusUnknown');
	assert.equal(diagnosePod({pod: capturedPod('wedged'), now}).reason, 'ContainerCreating');
	const deleting = capturedPod('healthy');
	const terminating = diagnosePod({
		pod: {...deleting, metadata: {...deleting.metadata, deletionTimestamp: new Date('2026-08-20T23:00:00Z'), deletionGracePeriodSeconds: 30}},
		now,
	});
	assert.equal(terminating.state, 'terminating');
	assert.match(terminating.title, /is stuck terminating$/);
});

test('evicted pods say why the node evicted them', () => {
	const pod = {
		metadata: {name: 'backend-7d9'},
		status: {phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory. Threshold quantity: 100Mi, available: 91Mi.'},
	};
	const diagnosis = diagnosePod({pod, now});
	assert.equal(diagnosis.reason, 'Evicted');
	assert.match(diagnosis.explanation, /low on resource: memory/);
});

/** What each captured pod is, from its source (SOURCES.md, and Argo CD's own expected-health annotations), not from our code. */
const capturedTruth: ReadonlyArray<readonly [fixture: string, state: string, reason: string, container: string | undefined]> = [
	['config', 'failing', 'CreateContainerConfigError', 'app'],
	['crashloop', 'failing', 'CrashLoopBackOff', 'quitter'],
	['failed', 'failing', 'ContainerStatusUnknown', 'app'],
	['healthy', 'ready', 'Ready', undefined],
	['image', 'failing', 'ImagePullBackOff', 'nope'],
	['init', 'failing', 'CrashLoopBackOff', 'migrate'],
	['notfound', 'failing', 'CrashLoopBackOff', 'app'],
	['oom', 'failing', 'OOMKilled', 'hog'],
	['oomserving', 'ready', 'Ready', 'app'],
	['pending', 'failing', 'Unschedulable', undefined],
	['probe0', 'progressing', 'NotReady', 'app'],
	['readiness', 'progressing', 'NotReady', 'app'],
	['restarts', 'ready', 'Ready', 'flaky'],
	['sigterm', 'failing', 'CrashLoopBackOff', 'app'],
	['startup', 'progressing', 'Starting', 'slowboot'],
	['wedged', 'progressing', 'ContainerCreating', 'app'],
];

test('every captured pod gets the state and cause its source records, a failure names its container, and each failing cause has its own fix', () => {
	for (const [fixture, state, reason, container] of capturedTruth) {
		const diagnosis = diagnosePod({pod: capturedPod(fixture), now});
		assert.deepEqual([diagnosis.state, diagnosis.reason, diagnosis.container], [state, reason, container], fixture);
		if (container && state === 'failing') {
			assert.match(diagnosis.title, new RegExp(`\\b${container}\\b`), fixture);
		}

		assert.ok(diagnosis.explanation.length > 20 && diagnosis.fix.length > 10, fixture);
	}

	// Different failing causes get different advice.
	const fixByReason = new Map<string, string>();
	for (const [fixture, state, reason] of capturedTruth) {
		if (state === 'failing' && !fixByReason.has(reason)) {
			fixByReason.set(reason, diagnosePod({pod: capturedPod(fixture), now}).fix);
		}
	}

	assert.equal(new Set(fixByReason.values()).size, fixByReason.size, 'each failing cause has its own fix');
});

test("Argo CD's captured pods: the health its test expects (unhealthy is never called ready) and the status it names", () => {
	for (const fixture of [
		'is-healthy-crashloopbackoff.yaml',
		'is-healthy-oomkilled-unhealthy.yaml',
		'is-healthy-pod-imagepullbackoff.yaml',
		'is-healthy-pod-never-ready.yaml',
		'is-healthy-pod-pending.yaml',
	]) {
		const pod = capturedPod(fixture);
		const annotations = pod.metadata?.annotations ?? {};
		const health = annotations['expected-health'];
		const status = annotations['expected-status'] ?? '';
		const diagnosis = diagnosePod({pod, now});
		assert.ok(health, `${fixture} records the health Argo CD expects`);
		assert.notEqual(diagnosis.state, 'ready', `${fixture}: Argo CD calls it ${health}`);
		// Where Argo CD names a failure we also name, it is the same one.
		if (['CrashLoopBackOff', 'OOMKilled', 'ImagePullBackOff'].includes(status)) {
			assert.deepEqual([diagnosis.state, diagnosis.reason], ['failing', status], fixture);
		}
	}
});
