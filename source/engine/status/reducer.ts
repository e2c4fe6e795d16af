// Pure: the status screen's state (pods, events, Services, the connection, the panel) from the watches'
// and keys' actions.
import type {ImageTree} from '../../diagnose/module-context.js';
import type {CoreV1Event, KubernetesObject, V1Deployment, V1Pod, V1Service, V1StatefulSet} from '@kubernetes/client-node';
import type {Forbidden, WatchKind} from '../../adapters/cluster.js';
import type {LocalImages} from '../../diagnose/pod.js';
import type {HeldAddress} from '../browser/hold.js';
import type {Opened} from '../browser/open.js';
import type {ForwardState, StatusAction, StatusPanel} from './actions.js';

export type Connection =
	| {readonly type: 'connecting'}
	| {readonly type: 'live'}
	| {readonly type: 'reconnecting'; readonly kinds: readonly WatchKind[]; readonly reason: string}
	| {readonly type: 'failed'; readonly message: string};

export type StatusState = {
	readonly connection: Connection;
	readonly pods: ReadonlyMap<string, V1Pod>;
	readonly events: ReadonlyMap<string, CoreV1Event>;
	readonly deployments: ReadonlyMap<string, V1Deployment>;
	readonly statefulSets: ReadonlyMap<string, V1StatefulSet>;
	readonly services: ReadonlyMap<string, V1Service>;
	readonly selected: string | undefined;
	readonly container: string | undefined;
	readonly panel: StatusPanel;
	readonly notice: string | undefined;
	readonly forward: ForwardState | undefined;
	/** The browser's addresses held while the screen is open (none: not holding any). */
	readonly addresses: readonly HeldAddress[];
	/** The last time the browser was asked to open (undefined opened: still opening). */
	readonly browser: {readonly url: string; readonly opened: Opened | undefined} | undefined;
	/** The local cluster's images, once looked up (a pod could not get its image). */
	readonly localImages: LocalImages | undefined;
	/** The files of images whose module uvicorn could not import, by image (looked up once each). */
	readonly imageTrees: ReadonlyMap<string, ImageTree | 'unknown'>;
	/** Crashed containers' last lines, by "pod/container", with the restart count they were read at. */
	readonly crashLogs: ReadonlyMap<string, {readonly restarts: number; readonly lines: readonly string[]}>;
	/** The optional lists the user may not make (a namespace Role without them): their parts stay empty. */
	readonly forbidden: readonly Forbidden[];
	/** How many objects changed since the start; the screen uses it to know when to redraw. */
	readonly version: number;
};

export function initialStatusState(): StatusState {
	return {
		connection: {type: 'connecting'},
		pods: new Map(),
		events: new Map(),
		deployments: new Map(),
		statefulSets: new Map(),
		services: new Map(),
		selected: undefined,
		container: undefined,
		panel: {type: 'diagnosis'},
		notice: undefined,
		forward: undefined,
		addresses: [],
		browser: undefined,
		localImages: undefined,
		imageTrees: new Map(),
		crashLogs: new Map(),
		forbidden: [],
		version: 0,
	};
}

type Field = 'pods' | 'events' | 'deployments' | 'statefulSets' | 'services';
const field: Record<WatchKind, Field> = {
	pods: 'pods',
	events: 'events',
	deployments: 'deployments',
	statefulsets: 'statefulSets',
	services: 'services',
};
const keyOf = (object: KubernetesObject) => object.metadata?.name ?? '';

function byName<T extends KubernetesObject>(items: readonly T[]): Map<string, T> {
	return new Map(items.map(item => [keyOf(item), item]));
}

export function statusReducer(state: StatusState, action: StatusAction): StatusState {
	switch (action.type) {
		case 'status/snapshot': {
			return {
				...state,
				pods: byName(action.snapshot.pods),
				events: byName(action.snapshot.events),
				deployments: byName(action.snapshot.deployments),
				statefulSets: byName(action.snapshot.statefulSets),
				services: byName(action.snapshot.services),
				forbidden: action.snapshot.forbidden,
				version: state.version + 1,
			};
		}

		case 'status/batch': {
			const copies = new Map<Field, Map<string, KubernetesObject>>();
			for (const change of action.changes) {
				const name = field[change.kind];
				// Removing what is not there changes nothing, and copies nothing.
				if (change.op === 'remove' && !(copies.get(name) ?? state[name]).has(keyOf(change.object))) {
					continue;
				}

				let map = copies.get(name);
				if (!map) {
					map = new Map(state[name] as ReadonlyMap<string, KubernetesObject>);
					copies.set(name, map);
				}

				if (change.op === 'upsert') {
					map.set(keyOf(change.object), change.object);
				} else {
					map.delete(keyOf(change.object));
				}
			}

			return copies.size === 0 ? state : {...state, ...Object.fromEntries(copies), version: state.version + 1};
		}

		case 'status/connected': {
			if (state.connection.type === 'reconnecting') {
				const kinds = state.connection.kinds.filter(kind => kind !== action.kind);
				return {...state, connection: kinds.length === 0 ? {type: 'live'} : {...state.connection, kinds}};
			}

			return state.connection.type === 'live' ? state : {...state, connection: {type: 'live'}};
		}

		case 'status/reconnecting': {
			const kinds = state.connection.type === 'reconnecting' ? state.connection.kinds : [];
			return {...state, connection: {type: 'reconnecting', kinds: kinds.includes(action.kind) ? kinds : [...kinds, action.kind], reason: action.reason}};
		}

		case 'status/failed': {
			return {...state, connection: {type: 'failed', message: action.message}};
		}

		case 'status/select': {
			return state.selected === action.pod ? state : {...state, selected: action.pod, container: undefined};
		}

		case 'status/container': {
			return state.container === action.container ? state : {...state, container: action.container};
		}

		case 'status/panel': {
			return {...state, panel: action.panel};
		}

		case 'status/log-line': {
			const {panel} = state;
			if (panel.type !== 'logs' || panel.pod !== action.pod || panel.container !== action.container) {
				return state;
			}

			return {...state, panel: {...panel, lines: [...(panel.lines ?? []), action.line].slice(-20)}};
		}

		case 'status/crash-logs': {
			const crashLogs = new Map(state.crashLogs);
			crashLogs.set(`${action.pod}/${action.container}`, {restarts: action.restarts, lines: action.lines});
			// Pods that are gone take their lines with them.
			for (const key of crashLogs.keys()) {
				if (!state.pods.has(key.slice(0, key.indexOf('/')))) {
					crashLogs.delete(key);
				}
			}

			return {...state, crashLogs, version: state.version + 1};
		}

		case 'status/local-images': {
			return {...state, localImages: action.images, version: state.version + 1};
		}

		case 'status/image-tree': {
			return {...state, imageTrees: new Map([...state.imageTrees, [action.image, action.tree]]), version: state.version + 1};
		}

		case 'status/addresses': {
			return {...state, addresses: action.addresses};
		}

		case 'status/browser': {
			return {...state, browser: {url: action.url, opened: action.opened}, notice: undefined};
		}

		case 'status/forward': {
			return {...state, forward: action.forward};
		}

		case 'status/notice': {
			return state.notice === action.text ? state : {...state, notice: action.text};
		}
	}
}
