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
	},
};
