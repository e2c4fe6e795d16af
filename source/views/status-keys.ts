// The status screen's keys, as a handler for Ink's useInput: select, logs, follow, events, describe,
// port-forward (and its ports panel), restart and quit. Each acts on the store's latest state.
import type {Key} from 'ink';
import type {StatusAction, StatusPanel} from '../engine/status/actions.js';
import type {StatusState} from '../engine/status/reducer.js';
import {sortedPodNames} from '../engine/status/select.js';
import type {Store} from '../engine/store.js';
import type {StatusAppProps} from './status-app.js';
import {containerNames, containerOf, defaultLocal} from './status-parts.js';

type Calls = Pick<StatusAppProps, 'onLogs' | 'onRestart' | 'onFollow' | 'onForward' | 'onStopForward' | 'onQuit' | 'onBrowser' | 'onBundle'>;
type StatusStore = Store<StatusState, StatusAction>;

export function statusKeys(store: StatusStore, calls: Calls, exit: () => void) {
	const {onRestart, onFollow, onQuit} = calls;
	return (input: string, key: Key) => {
		// The store's latest state, not this render's: keys typed faster than a frame act on where the
		// previous key left the selection.
		const state = store.getState();
		if (key.ctrl && input === 'c') {
			onQuit?.();
			exit();
			return;
		}

		// Any key but f leaves a followed log.
		if (state.panel.type === 'logs' && state.panel.following && input !== 'f') {
			onFollow?.(undefined, state.panel.container);
		}

		if (state.panel.type === 'forward') {
			choosePorts(store, calls, state.panel, input, key);
			return;
		}

		if (state.panel.type === 'confirm-restart') {
			if (input === 'y') {
				onRestart(state.panel.pod);
			}

			store.dispatch({type: 'status/panel', panel: {type: 'diagnosis'}});
			return;
		}

		if (input === 'q' || key.escape) {
			onQuit?.();
			exit();
			return;
		}

		podKeys(store, calls, state, input, key);
	};
}

/** The port-forward panel: digits type the local port, ←/→ choose the pod's port, enter starts, esc cancels. */
function choosePorts(store: StatusStore, {onForward}: Calls, panel: Extract<StatusPanel, {type: 'forward'}>, input: string, key: Key) {
	const set = (changes: Partial<typeof panel>) => store.dispatch({type: 'status/panel', panel: {...panel, ...changes}});
	if (key.return) {
		const local = panel.local === '' ? undefined : Number(panel.local);
		if (local !== undefined && (local < 1 || local > 65_535)) {
			store.dispatch({type: 'status/notice', text: 'A local port is 1 to 65535 (or empty: any free port).'});
			return;
		}

		store.dispatch({type: 'status/panel', panel: {type: 'diagnosis'}});
		store.dispatch({type: 'status/notice', text: undefined});
		onForward?.(panel.pod, panel.remote, local);
	} else if (key.escape || input === 'q') {
		store.dispatch({type: 'status/panel', panel: {type: 'diagnosis'}});
	} else if (key.backspace || key.delete) {
		set({local: panel.local.slice(0, -1)});
	} else if (key.leftArrow || key.rightArrow || key.tab) {
		const step = key.leftArrow ? -1 : 1;
		const remote = panel.ports[(panel.ports.indexOf(panel.remote) + step + panel.ports.length) % panel.ports.length] ?? panel.remote;
		// The local port follows the pod's port until one is typed.
		set({remote, local: panel.local === defaultLocal(panel.remote) ? defaultLocal(remote) : panel.local});
	} else if (/^\d+$/.test(input)) {
		set({local: (panel.local + input).slice(0, 5)});
	}
}

/** The keys on the selected pod. */
function podKeys(store: StatusStore, calls: Calls, state: StatusState, input: string, key: Key) {
	const {onLogs, onFollow, onForward} = calls;
	const {names} = sortedPodNames(state.pods);
	const current = state.selected && names.includes(state.selected) ? state.selected : names[0];
	const index = current ? names.indexOf(current) : -1;
	const panel = (next: StatusPanel) => store.dispatch({type: 'status/panel', panel: next});
	if (key.downArrow || input === 'j') {
		store.dispatch({type: 'status/select', pod: names[Math.min(names.length - 1, index + 1)]});
		panel({type: 'diagnosis'});
	} else if (key.upArrow || input === 'k') {
		store.dispatch({type: 'status/select', pod: names[Math.max(0, index - 1)]});
		panel({type: 'diagnosis'});
	} else if (key.return) {
		panel({type: 'diagnosis'});
	} else if ((input === 'l' || input === 'p') && current) {
		onLogs(current, containerOf(state, current), input === 'p');
	} else if (input === 'f' && current && onFollow) {
		onFollow(current, containerOf(state, current));
	} else if (input === 'c' && current) {
		// The next container (init containers last), and its logs at once.
		const containers = containerNames(state, current);
		const next = containers[(containers.indexOf(containerOf(state, current)) + 1) % Math.max(1, containers.length)];
		store.dispatch({type: 'status/container', container: next});
		if (next) {
			onLogs(current, next, false);
		}
	} else if (input === 'e') {
		panel({type: 'events'});
	} else if (input === 'w') {
		panel({type: 'warnings'});
	} else if (input === 'd') {
		panel({type: 'detail'});
	} else if (input === 'o' && current && onForward) {
		forwardKey(store, calls, state, current);
	} else if (input === 'r' && current) {
		panel({type: 'confirm-restart', pod: current});
	} else if (input === 'b' && calls.onBrowser) {
		calls.onBrowser();
	} else if (input === 'B' && calls.onBundle) {
		calls.onBundle();
	}
}

/** o: stops the pod's port-forward, or opens the panel that chooses its ports. */
function forwardKey(store: StatusStore, {onStopForward}: Calls, state: StatusState, pod: string) {
	const {forward} = state;
	if (forward && forward.state !== 'failed' && forward.pod === pod) {
		onStopForward?.();
		return;
	}

	const ports = [...new Set(state.pods.get(pod)?.spec?.containers.flatMap(container => (container.ports ?? []).map(port => port.containerPort)) ?? [])];
	const [remote] = ports;
	if (remote === undefined) {
		store.dispatch({type: 'status/notice', text: `port-forward to ${pod}: it declares no container port`});
	} else {
		store.dispatch({type: 'status/panel', panel: {type: 'forward', pod, ports, remote, local: defaultLocal(remote)}});
	}
}
