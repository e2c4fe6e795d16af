// Pod lifecycles for the simulator, from real captured pods (test/fixtures/captured/k8s/pods).
import {readFileSync} from 'node:fs';
import {capturedFixture} from '../helpers/paths.js';
import type {SimulatedCluster} from './apiserver.js';

type Json = Record<string, unknown>;

function captured(name: string, namespace: string, podName: string): Json {
	const pod = JSON.parse(readFileSync(capturedFixture('k8s', 'pods', `k8rs-kind-v1.36.1-${name}.json`), 'utf8')) as Json;
	const metadata: Json = {
		...(pod['metadata'] as Json),
		name: podName,
		namespace,
		labels: {'app.kubernetes.io/instance': 'todo', 'app.kubernetes.io/component': podName.split('-')[1] ?? 'app'},
	};
	delete metadata['resourceVersion'];
	delete metadata['uid'];
	delete metadata['ownerReferences'];
	return {...pod, metadata};
}

/** "3m30s", "58m", "2d23h" → milliseconds. */
function ageMs(age: string): number {
	const units: Record<string, number> = {s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000};
	return [...age.matchAll(/(\d+)([smhd])/g)].reduce((sum, [, amount = '0', unit = 's']) => sum + Number(amount) * (units[unit] ?? 0), 0);
}

/**
 * Captured events (`kubectl events` tables and describe's Events block) as Event objects for one of the
 * scenario's pods: the captured pod's name in the messages becomes this pod's, ages become timestamps.
 */
function capturedEvents(file: string, namespace: string, pod: string, rename: Readonly<Record<string, string>> = {}): Json[] {
	const now = Date.now();
	return readFileSync(capturedFixture('k8s', 'events', file), 'utf8')
		.split('\n')
		.flatMap((line, index) => {
			// kubectl events: LAST SEEN, TYPE, REASON, OBJECT, MESSAGE. describe: Type, Reason, Age, From, Message.
			const table = /^(\S+)(?: \(x(\d+) over (\S+)\))?\s+(Normal|Warning)\s+(\S+)\s+Pod\/\S+\s+(.*)$/.exec(line);
			const described = /^\s*(Normal|Warning)\s+(\S+)\s+(\S+)(?: \(x(\d+) over (\S+)\))?\s+\S.*?\s{2,}(.*)$/.exec(line);
			const fields = table
				? {last: table[1], count: table[2], first: table[3], type: table[4], reason: table[5], message: table[6]}
				: described
					? {type: described[1], reason: described[2], last: described[3], count: described[4], first: described[5], message: described[6]}
					: undefined;
			if (!fields) {
				return [];
			}

			const message = Object.entries(rename).reduce((text, [from, to]) => text.replaceAll(from, to), fields.message ?? '');
			const last = new Date(now - ageMs(fields.last ?? '0s')).toISOString();
			return [
				{
					apiVersion: 'v1',
					kind: 'Event',
					metadata: {name: `${pod}.${index}`, namespace},
					involvedObject: {kind: 'Pod', name: pod, namespace},
					type: fields.type,
					reason: fields.reason,
					message,
					count: Number(fields.count ?? 1),
					firstTimestamp: new Date(now - ageMs(fields.first ?? fields.last ?? '0s')).toISOString(),
					lastTimestamp: last,
				},
			];
		});
}

/** The failures scenario's pods and one pod for each other failure the screen diagnoses. */
function everyFailure(cluster: SimulatedCluster): void {
	scenarios['failures']?.(cluster);
	for (const [fixture, name] of [
		['init', 'todo-migrate-4f5e6d7c8-a1b2c'],
		['notfound', 'todo-notfound-5a6b7c8d9-c3d4e'],
		['sigterm', 'todo-sigterm-6b7c8d9e0-e5f6g'],
		['wedged', 'todo-wedged-7c8d9e0f1-g7h8i'],
		['failed', 'todo-job-8d9e0f1a2-i9j0k'],
		['startup', 'todo-slow-9e0f1a2b3-k1l2m'],
		['restarts', 'todo-flaky-0f1a2b3c4-m3n4o'],
		['healthy', 'todo-web-1a2b3c4d5-o5p6q'],
		['readiness', 'todo-ready503-2b3c4d5e6-q7r8s'],
	] as const) {
		cluster.put(captured(fixture, 'todo', name));
	}

	// A readiness endpoint that answers 503, as a captured describe shows (the probe made an HTTP one to match).
	const ready503 = cluster.get('Pod', 'todo', 'todo-ready503-2b3c4d5e6-q7r8s') as {spec: {containers: Json[]}};
	cluster.put({
		...ready503,
		spec: {
			...ready503.spec,
			containers: ready503.spec.containers.map(container => ({
				...container,
				readinessProbe: {httpGet: {path: '/ready', port: 8000, scheme: 'HTTP'}, periodSeconds: 5, failureThreshold: 3, timeoutSeconds: 1, successThreshold: 1},
			})),
		},
	});
	for (const event of capturedEvents('describe-events-readiness-503-gravity.txt', 'todo', 'todo-ready503-2b3c4d5e6-q7r8s')) {
		cluster.put(event);
	}

	// Not enough memory on any node: the captured scheduler events, and the condition that goes with them.
	const big = captured('pending', 'todo', 'todo-big-6f7a8b9c0-y5z6a');
	const bigStatus = big['status'] as {conditions?: Json[]};
	cluster.put({
		...big,
		status: {
			...bigStatus,
			conditions: (bigStatus.conditions ?? []).map(condition =>
				condition['type'] === 'PodScheduled' ? {...condition, message: '0/1 nodes are available: 1 Insufficient memory.'} : condition,
			),
		},
	});
	for (const event of capturedEvents('describe-events-FailedScheduling-insufficient-memory.txt', 'todo', 'todo-big-6f7a8b9c0-y5z6a')) {
		cluster.put(event);
	}

	// Terminating: a healthy pod whose deletion has waited far past its grace period.
	const terminating = captured('healthy', 'todo', 'todo-old-3c4d5e6f7-s9t0u');
	cluster.put({
		...terminating,
		metadata: {...(terminating['metadata'] as Json), deletionTimestamp: new Date(Date.now() - 600_000).toISOString(), deletionGracePeriodSeconds: 30},
	});
	// Evicted, with the kubelet's message; and ErrImageNeverPull with the captured event's message.
	cluster.put({
		apiVersion: 'v1',
		kind: 'Pod',
		metadata: {name: 'todo-evicted-4d5e6f7a8-u1v2w', namespace: 'todo', creationTimestamp: new Date(Date.now() - 3_600_000).toISOString()},
		spec: {containers: [{name: 'app', image: 'busybox'}]},
		status: {
			phase: 'Failed',
			reason: 'Evicted',
			message:
				'The node was low on resource: memory. Threshold quantity: 100Mi, available: 91Mi. Container app was using 1843Mi, request is 0, has larger consumption of memory.',
		},
	});
	const neverPulled = capturedEvents('describe-events-ErrImageNeverPull.txt', 'todo', 'todo-never-5e6f7a8b9-w3x4y');
	const image = /image "([^"]+)"/.exec(String(neverPulled[0]?.['message'] ?? ''))?.[1] ?? '';
	cluster.put({
		apiVersion: 'v1',
		kind: 'Pod',
		metadata: {name: 'todo-never-5e6f7a8b9-w3x4y', namespace: 'todo', creationTimestamp: new Date(Date.now() - 3_600_000).toISOString()},
		spec: {nodeName: 'k8rs-worker', containers: [{name: 'platform', image, imagePullPolicy: 'Never'}]},
		status: {
			phase: 'Pending',
			containerStatuses: [
				{
					name: 'platform',
					image,
					imageID: '',
					ready: false,
					restartCount: 0,
					state: {waiting: {reason: 'ErrImageNeverPull', message: neverPulled[0]?.['message']}},
				},
			],
		},
	});
	for (const event of neverPulled) {
		cluster.put(event);
	}
}

export const scenarios: Record<string, (cluster: SimulatedCluster) => void> = {
	'every-failure': everyFailure,
	healthy(cluster) {
		cluster.put({kind: 'Namespace', metadata: {name: 'todo'}, status: {phase: 'Active'}});
		cluster.put(captured('healthy', 'todo', 'todo-backend-6c9f7d5b8-x2x7q'));
		cluster.put(captured('healthy', 'todo', 'todo-frontend-5d8c9b7f6-k4l9p'));
	},
	failures(cluster) {
		cluster.put({kind: 'Namespace', metadata: {name: 'todo'}, status: {phase: 'Active'}});
		for (const [fixture, name] of [
			['crashloop', 'todo-backend-6c9f7d5b8-x2x7q'],
			['image', 'todo-frontend-5d8c9b7f6-k4l9p'],
			['config', 'todo-worker-7f6d5c4b3-m2n3b'],
			['oom', 'todo-chatbot-8e7d6c5b4-q1w2e'],
			['pending', 'todo-postgresql-0'],
			['readiness', 'todo-api-5b4c3d2e1-z9y8x'],
		] as const) {
			cluster.put(captured(fixture, 'todo', name));
		}

		cluster.setLogs('todo', 'todo-backend-6c9f7d5b8-x2x7q', 'quitter', ['starting', 'panic: dial tcp: lookup todo-postgresql: no such host']);
		for (const event of [
			...capturedEvents('holmesgpt-kubectl-events-for-pod-BackOff.txt', 'todo', 'todo-backend-6c9f7d5b8-x2x7q', {
				'giant-narwhal-6958c5bdd8-69gtn': 'todo-backend-6c9f7d5b8-x2x7q',
				'app-02': 'todo',
				'container main': 'container quitter',
				'busybox:1.35': 'busybox',
			}),
		]) {
			cluster.put(event);
		}

		// The scheduler says it as an event too, in the words of the pod's PodScheduled condition.
		const postgresql = cluster.get('Pod', 'todo', 'todo-postgresql-0') as {
			status?: {conditions?: Array<{type: string; message?: string; lastTransitionTime?: string}>};
		};
		const unscheduled = postgresql.status?.conditions?.find(condition => condition.type === 'PodScheduled');
		cluster.put({
			apiVersion: 'v1',
			kind: 'Event',
			metadata: {name: 'todo-postgresql-0.scheduling', namespace: 'todo'},
			involvedObject: {kind: 'Pod', name: 'todo-postgresql-0', namespace: 'todo'},
			type: 'Warning',
			reason: 'FailedScheduling',
			message: unscheduled?.message ?? '',
			count: 3,
			firstTimestamp: new Date(Date.now() - 780_000).toISOString(),
			lastTimestamp: new Date(Date.now() - 12_000).toISOString(),
		});
	},
};
