// A simulator scenario (real captured pods and events) as the status store holds it, without a server:
// the scenario writes into an in-memory object list, and the store gets it as one snapshot.
import type {CoreV1Event, V1Deployment, V1Pod, V1Service, V1StatefulSet} from '@kubernetes/client-node';
import type {StatusAction} from '../../source/engine/status/actions.js';
import {initialStatusState, statusReducer, type StatusState} from '../../source/engine/status/reducer.js';
import {createStore, type Store} from '../../source/engine/store.js';
import type {SimulatedCluster} from '../sim/apiserver.js';
import {scenarios} from '../sim/scenarios.js';

type Json = Record<string, unknown>;

export function scenarioStore(name: string): Store<StatusState, StatusAction> {
	const objects = new Map<string, Json>();
	const key = (kind: string, namespace: string | undefined, objectName: string) => `${kind}/${namespace ?? ''}/${objectName}`;
	const memory = {
		put(object: Json) {
			const metadata = object['metadata'] as {name: string; namespace?: string};
			objects.set(key(String(object['kind']), metadata.namespace, metadata.name), object);
			return object;
		},
		get: (kind: string, namespace: string | undefined, objectName: string) => objects.get(key(kind, namespace, objectName)),
		setLogs: () => undefined,
	};
	const scenario = scenarios[name];
	if (!scenario) {
		throw new Error(`no scenario ${name}`);
	}

	scenario(memory as unknown as SimulatedCluster);
	const of = <T>(kind: string) => [...objects.values()].filter(object => object['kind'] === kind) as T[];
	const store = createStore(statusReducer, initialStatusState());
	store.dispatch({
		type: 'status/snapshot',
		snapshot: {
			pods: of<V1Pod>('Pod'),
			events: of<CoreV1Event>('Event'),
			deployments: of<V1Deployment>('Deployment'),
			statefulSets: of<V1StatefulSet>('StatefulSet'),
			services: of<V1Service>('Service'),
			forbidden: [],
		},
	});
	return store;
}
