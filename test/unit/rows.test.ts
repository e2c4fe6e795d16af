// The status screen's rows from real captured pods (kind v1.36.1): READY, STATUS, RESTARTS and AGE as
// kubectl get pods prints them for the same objects, the node, and each container's probes.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {V1Pod} from '@kubernetes/client-node';
import {formatAge, podRow, rolloutRows, warningRows} from '../../source/diagnose/rows.js';
import {capturedPod} from '../helpers/k8s-fixtures.js';

// The captures were taken on 2026-08-20 around 23:10; "now" is a fixed moment after them.
const now = new Date('2026-08-21T00:00:00Z');

test("kubectl's columns for every captured pod", () => {
	const expected: Record<string, [ready: string, status: string, restarts: string]> = {
		healthy: ['1/1', 'Running', '0'],
		crashloop: ['0/1', 'CrashLoopBackOff', '10 (50m ago)'],
		oom: ['0/1', 'OOMKilled', '10 (55m ago)'],
		oomserving: ['1/1', 'Running', '1 (76m ago)'],
		image: ['0/1', 'ImagePullBackOff', '0'],
		config: ['0/1', 'CreateContainerConfigError', '0'],
		pending: ['0/1', 'Pending', '0'],
		readiness: ['0/1', 'Running', '0'],
		startup: ['0/1', 'Running', '0'],
		notfound: ['0/1', 'CrashLoopBackOff', '9 (54m ago)'],
		sigterm: ['0/1', 'CrashLoopBackOff', '15 (49m ago)'],
		failed: ['0/1', 'ContainerStatusUnknown', '4 (75m ago)'],
		wedged: ['0/1', 'ContainerCreating', '0'],
		// A failing init container: kubectl counts its restarts, and names its reason.
		init: ['0/1', 'Init:Error', '10 (55m ago)'],
		restarts: ['1/1', 'Running', '3 (76m ago)'],
	};
	for (const [name, [ready, status, restarts]] of Object.entries(expected)) {
		const row = podRow(capturedPod(name), [], now);
		assert.deepEqual(
			[row.ready, row.status, `${row.restarts}${row.lastRestart ? ` (${row.lastRestart})` : ''}`, row.age],
			[ready, status, restarts, '77m'],
			name,
		);
	}
});

test("kubectl's rules where the captures do not reach: sidecars, the first container's reason, exit codes, Completed, Terminating", () => {
	const base = capturedPod('healthy');
	const pod = (
		spec: Partial<NonNullable<V1Pod['spec']>>,
		status: Partial<NonNullable<V1Pod['status']>>,
		metadata: Partial<NonNullable<V1Pod['metadata']>> = {},
	): V1Pod => ({
		...base,
		metadata: {...base.metadata, ...metadata},
		spec: {...base.spec!, ...spec},
		status: {...base.status, ...status},
	});
	const waiting = (name: string, reason: string) => ({name, image: 'x', imageID: '', ready: false, restartCount: 0, state: {waiting: {reason}}});
	const running = (name: string, ready: boolean) => ({
		name,
		image: 'x',
		imageID: '',
		ready,
		restartCount: 0,
		state: {running: {startedAt: new Date(now.getTime() - 60_000)}},
	});
	const two = {containers: [{name: 'app'}, {name: 'proxy'}]};
	assert.equal(
		podRow(pod(two, {containerStatuses: [waiting('app', 'CrashLoopBackOff'), waiting('proxy', 'ImagePullBackOff')]}), [], now).status,
		'CrashLoopBackOff',
	);
	assert.equal(
		podRow(
			pod(two, {containerStatuses: [running('app', true), {...running('proxy', false), state: {terminated: {exitCode: 2, startedAt: now, finishedAt: now}}}]}),
			[],
			now,
		).status,
		'ExitCode:2',
	);
	const completed = pod(two, {
		conditions: [{type: 'Ready', status: 'False'}],
		containerStatuses: [running('app', true), {...running('proxy', false), state: {terminated: {exitCode: 0, reason: 'Completed'}}}],
	});
	assert.deepEqual([podRow(completed, [], now).status, podRow(completed, [], now).ready], ['NotReady', '1/2']);
	// A sidecar (an init container that restarts Always) counts in READY once started.
	const sidecar = pod(
		{initContainers: [{name: 'mesh', restartPolicy: 'Always'}], containers: [{name: 'app'}]},
		{
			initContainerStatuses: [{...running('mesh', true), started: true}],
			containerStatuses: [running('app', true)],
			conditions: [{type: 'Initialized', status: 'True'}],
		},
	);
	assert.deepEqual([podRow(sidecar, [], now).ready, podRow(sidecar, [], now).status], ['2/2', 'Running']);
	assert.equal(podRow(pod({}, {}, {deletionTimestamp: new Date(now.getTime() - 30_000)}), [], now).status, 'Terminating');
	assert.equal(podRow(pod({}, {phase: 'Succeeded'}, {deletionTimestamp: new Date(now.getTime() - 30_000)}), [], now).status !== 'Terminating', true);
});

test("ages read as kubectl's: seconds, then minutes and seconds, minutes, hours and minutes, hours, days and hours, days, years", () => {
	const ago = (seconds: number) => formatAge(new Date(now.getTime() - seconds * 1000), now);
	assert.deepEqual(
		[
			ago(0),
			ago(119),
			ago(190),
			ago(600),
			ago(179 * 60),
			ago(5 * 3600 + 30 * 60),
			ago(9 * 3600),
			ago(3 * 86_400 + 2 * 3600),
			ago(97 * 86_400),
			ago(800 * 86_400),
			ago(3000 * 86_400),
		],
		['0s', '119s', '3m10s', '10m', '179m', '5h30m', '9h', '3d2h', '97d', '2y70d', '8y'],
	);
	assert.equal(formatAge(undefined, now), '<unknown>');
});

test("probes per container: passing, waiting, failing with the kubelet's words", () => {
	assert.deepEqual(podRow(capturedPod('healthy'), [], now).probes[0]?.readiness, {type: 'passing'});
	assert.deepEqual(podRow(capturedPod('readiness'), [], now).probes[0]?.readiness, {type: 'waiting'});
	const failing = podRow(
		capturedPod('readiness'),
		[{type: 'Warning', reason: 'Unhealthy', message: 'Readiness probe failed: HTTP probe failed with statuscode: 503', count: 25, involvedObject: {}}],
		now,
	);
	assert.deepEqual(failing.probes[0]?.readiness, {type: 'failing', message: 'HTTP probe failed with statuscode: 503'});
	assert.equal(podRow(capturedPod('startup'), [], now).probes[0]?.startup.type, 'waiting');
});

test('rollouts: a Deployment is done when every replica is updated, available and ready; warnings fold by reason and object', () => {
	const rows = rolloutRows(
		[{metadata: {name: 'todo-backend'}, spec: {replicas: 2, selector: {}, template: {}}, status: {updatedReplicas: 2, readyReplicas: 2, availableReplicas: 1}}],
		[
			{
				metadata: {name: 'todo-postgresql'},
				spec: {replicas: 1, selector: {}, serviceName: 'x', template: {}},
				status: {replicas: 1, updatedReplicas: 1, readyReplicas: 1},
			},
		],
	);
	assert.deepEqual(
		rows.map(row => [row.kind, row.name, row.done]),
		[
			['Deployment', 'todo-backend', false],
			['StatefulSet', 'todo-postgresql', true],
		],
	);
	const event = (reason: string, name: string, at: string) => ({
		metadata: {name: `${name}.${at}`},
		involvedObject: {kind: 'Pod', name},
		type: 'Warning',
		reason,
		message: `${reason} on ${name}`,
		count: 1,
		lastTimestamp: new Date(at),
	});
	const warnings = warningRows([
		event('BackOff', 'a', '2026-08-20T23:00:00Z'),
		event('BackOff', 'a', '2026-08-20T23:05:00Z'),
		event('FailedScheduling', 'b', '2026-08-20T23:01:00Z'),
	]);
	assert.deepEqual(
		warnings.map(row => [row.reason, row.object, row.count]),
		[
			['BackOff', 'Pod/a', 2],
			['FailedScheduling', 'Pod/b', 1],
		],
	);
});
