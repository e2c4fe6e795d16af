// The status screen's keys: select, logs, follow, events, describe, port-forward, restart and quit.
import {Box, useApp, useInput, type Key} from 'ink';
import type {DevAction, DevState} from '../engine/dev/state.js';
import {DevLine, devLineHeight} from './dev-line.js';
import type {StatusAction, StatusPanel} from '../engine/status/actions.js';
import type {StatusState} from '../engine/status/reducer.js';
import {sortedPodNames} from '../engine/status/select.js';
import type {Store} from '../engine/store.js';
import {useTerminalSize} from './terminal-size.js';
import {useThrottledState} from './use-store.js';
import {containerNames, containerOf, defaultLocal} from './status-parts.js';
import {StatusScreen} from './status-screen.js';

export type StatusAppProps = {
	readonly store: Store<StatusState, StatusAction>;
	readonly context: string;
	readonly namespace: string;
	/** Asks the engine for the selected container's logs, or to delete the pod; the engine answers through the store. */
	readonly onLogs: (pod: string, container: string, previous: boolean) => void;
	readonly onRestart: (pod: string) => void;
	/** Follow the container's logs (f); called with undefined when the panel leaves them. */
	readonly onFollow?: ((pod: string | undefined, container: string) => void) | undefined;
	/** Port-forward (o, then the ports): a local port (undefined: any free one) to the pod's port. */
	readonly onForward?: ((pod: string, remote: number, local: number | undefined) => void) | undefined;
	/** Stops the running port-forward (o on its pod again). */
	readonly onStopForward?: (() => void) | undefined;
	/** q, Esc or Ctrl-C: the screen ends. */
	readonly onQuit?: (() => void) | undefined;
	/** Watch mode: what is being shipped, shown above the pods. */
	readonly dev?: Store<DevState, DevAction> | undefined;
};

export function StatusApp({store, context, namespace, onLogs, onRestart, onFollow, onForward, onStopForward, onQuit, dev}: StatusAppProps) {
	const state = useThrottledState(store, 50);
	const {exit} = useApp();
	const size = useTerminalSize();
	const {names} = sortedPodNames(state.pods);
	const current = state.selected && names.includes(state.selected) ? state.selected : names[0];
	// The port-forward panel: digits type the local port, ←/→ choose the pod's port, enter starts, esc cancels.
	const choosePorts = (panel: Extract<StatusPanel, {type: 'forward'}>, input: string, key: Key) => {
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
	};

	useInput((input, key) => {
		// The store's latest state, not this render's: keys typed faster than a frame act on where the
		// previous key left the selection.
		const latest = store.getState();
		const {names} = sortedPodNames(latest.pods);
		const current = latest.selected && names.includes(latest.selected) ? latest.selected : names[0];
		const state = latest;
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
			choosePorts(state.panel, input, key);
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

		const index = current ? names.indexOf(current) : -1;
		if (key.downArrow || input === 'j') {
			store.dispatch({type: 'status/select', pod: names[Math.min(names.length - 1, index + 1)]});
			store.dispatch({type: 'status/panel', panel: {type: 'diagnosis'}});
		} else if (key.upArrow || input === 'k') {
			store.dispatch({type: 'status/select', pod: names[Math.max(0, index - 1)]});
			store.dispatch({type: 'status/panel', panel: {type: 'diagnosis'}});
		} else if (key.return) {
			store.dispatch({type: 'status/panel', panel: {type: 'diagnosis'}});
		} else if ((input === 'l' || input === 'p') && current) {
			onLogs(current, containerOf(state, current), input === 'p');
		} else if (input === 'f' && current && onFollow) {
			onFollow(current, containerOf(state, current));
		} else if (input === 'c' && current) {
			// The next container (init containers last), and its logs at once.
			const names = containerNames(state, current);
			const next = names[(names.indexOf(containerOf(state, current)) + 1) % Math.max(1, names.length)];
			store.dispatch({type: 'status/container', container: next});
			if (next) {
				onLogs(current, next, false);
			}
		} else if (input === 'e') {
			store.dispatch({type: 'status/panel', panel: {type: 'events'}});
		} else if (input === 'w') {
			store.dispatch({type: 'status/panel', panel: {type: 'warnings'}});
		} else if (input === 'd') {
			store.dispatch({type: 'status/panel', panel: {type: 'detail'}});
		} else if (input === 'o' && current && onForward) {
			const {forward} = state;
			if (forward && forward.state !== 'failed' && forward.pod === current) {
				onStopForward?.();
				return;
			}

			const ports = [...new Set(state.pods.get(current)?.spec?.containers.flatMap(container => (container.ports ?? []).map(port => port.containerPort)) ?? [])];
			const [remote] = ports;
			if (remote === undefined) {
				store.dispatch({type: 'status/notice', text: `port-forward to ${current}: it declares no container port`});
			} else {
				store.dispatch({type: 'status/panel', panel: {type: 'forward', pod: current, ports, remote, local: defaultLocal(remote)}});
			}
		} else if (input === 'r' && current) {
			store.dispatch({type: 'status/panel', panel: {type: 'confirm-restart', pod: current}});
		}
	});
	const screen = (height: number) => (
		<StatusScreen state={{...state, selected: current}} context={context} namespace={namespace} width={size.columns} height={height} />
	);
	return dev ? (
		<Box flexDirection="column">
			<DevLine store={dev} />
			{screen(size.rows - devLineHeight)}
		</Box>
	) : (
		screen(size.rows)
	);
}
