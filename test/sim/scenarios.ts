// Pod lifecycles for the simulator, from real captured pods (../shared/fixtures/k8s/pods).
import {readFileSync} from 'node:fs';
import {sharedFixture} from '../helpers/paths.js';
import type {SimulatedCluster} from './apiserver.js';

type Json = Record<string, unknown>;

function captured(name: string, namespace: string, podName: string): Json {
	const pod = JSON.parse(readFileSync(sharedFixture('k8s', 'pods', `k8rs-kind-v1.36.1-${name}.json`), 'utf8')) as Json;
	const metadata: Json = {...(pod['metadata'] as Json), name: podName, namespace, labels: {'app.kubernetes.io/instance': 'todo', 'app.kubernetes.io/component': podName.split('-')[1] ?? 'app'}};
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
	return readFileSync(sharedFixture('k8s', 'events', file), 'utf8').split('\n').flatMap((line, index) => {
		// kubectl events: LAST SEEN, TYPE, REASON, OBJECT, MESSAGE. describe: Type, Reason, Age, From, Message.
		const table = /^(\S+)(?: \(x(\d+) over (\S+)\))?\s+(Normal|Warning)\s+(\S+)\s+Pod\/\S+\s+(.*)$/.exec(line);
		const described = /^\s*(Normal|Warning)\s+(\S+)\s+(\S+)(?: \(x(\d+) over (\S+)\))?\s+\S.*?\s{2,}(.*)$/.exec(line);
		const fields = table ? {last: table[1], count: table[2], first: table[3], type: table[4], reason: table[5], message: table[6]}
			: described ? {type: described[1], reason: described[2], last: described[3], count: described[4], first: described[5], message: described[6]} : undefined;
		if (!fields) {
			return [];
		}

		const message = Object.entries(rename).reduce((text, [from, to]) => text.replaceAll(from, to), fields.message ?? '');
		const last = new Date(now - ageMs(fields.last ?? '0s')).toISOString();
		return [{apiVersion: 'v1', kind: 'Event', metadata: {name: `${pod}.${index}`, namespace}, involvedObject: {kind: 'Pod', name: pod, namespace}, type: fields.type, reason: fields.reason, message, count: Number(fields.count ?? 1), firstTimestamp: new Date(now - ageMs(fields.first ?? fields.last ?? '0s')).toISOString(), lastTimestamp: last}];
	});
}

export const scenarios: Record<string, (cluster: SimulatedCluster) => void> = {
	healthy(cluster) {
		cluster.put({kind: 'Namespace', metadata: {name: 'todo'}, status: {phase: 'Active'}});
		cluster.put(captured('healthy', 'todo', 'todo-backend-6c9f7d5b8-x2x7q'));
		cluster.put(captured('healthy', 'todo', 'todo-frontend-5d8c9b7f6-k4l9p'));
	},
	failures(cluster) {
		cluster.put({kind: 'Namespace', metadata: {name: 'todo'}, status: {phase: 'Active'}});
		for (const [fixture, name] of [['crashloop', 'todo-backend-6c9f7d5b8-x2x7q'], ['image', 'todo-frontend-5d8c9b7f6-k4l9p'], ['config', 'todo-worker-7f6d5c4b3-m2n3b'], ['oom', 'todo-chatbot-8e7d6c5b4-q1w2e'], ['pending', 'todo-postgresql-0'], ['readiness', 'todo-api-5b4c3d2e1-z9y8x']] as const) {
			cluster.put(captured(fixture, 'todo', name));
		}

		cluster.setLogs('todo', 'todo-backend-6c9f7d5b8-x2x7q', 'quitter', ['starting', 'panic: dial tcp: lookup todo-postgresql: no such host']);
		for (const event of [
			...capturedEvents('holmesgpt-kubectl-events-for-pod-BackOff.txt', 'todo', 'todo-backend-6c9f7d5b8-x2x7q', {'giant-narwhal-6958c5bdd8-69gtn': 'todo-backend-6c9f7d5b8-x2x7q', 'app-02': 'todo', 'container main': 'container quitter', 'busybox:1.35': 'busybox'}),
			...capturedEvents('describe-events-FailedScheduling-insufficient-memory.txt', 'todo', 'todo-postgresql-0'),
		]) {
			cluster.put(event);
		}
	},
};
