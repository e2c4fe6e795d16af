// The status screen's keys: select, logs, follow, events, describe, port-forward, restart and quit.
import {Box, useApp, useInput} from 'ink';
import type {DevAction, DevState} from '../engine/dev/state.js';
import {DevLine, devLineHeight} from './dev-line.js';
import type {StatusAction} from '../engine/status/actions.js';
import type {StatusState} from '../engine/status/reducer.js';
import {sortedPodNames} from '../engine/status/select.js';
import type {Store} from '../engine/store.js';
import {useTerminalSize} from './terminal-size.js';
import {useThrottledState} from './use-store.js';
import {statusKeys} from './status-keys.js';
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
	/** b: the browser opened at the frontend's held address. */
	readonly onBrowser?: (() => void) | undefined;
	/** B: a bundle to share (todo-deploy bundle), written in the background. */
	readonly onBundle?: (() => void) | undefined;
	/** q, Esc or Ctrl-C: the screen ends. */
	readonly onQuit?: (() => void) | undefined;
	/** Watch mode: what is being shipped, shown above the pods. */
	readonly dev?: Store<DevState, DevAction> | undefined;
};

export function StatusApp({
	store,
	context,
	namespace,
	onLogs,
	onRestart,
	onFollow,
	onForward,
	onStopForward,
	onQuit,
	onBrowser,
	onBundle,
	dev,
}: StatusAppProps) {
	const state = useThrottledState(store, 50);
	const {exit} = useApp();
	const size = useTerminalSize();
	const {names} = sortedPodNames(state.pods);
	const current = state.selected && names.includes(state.selected) ? state.selected : names[0];
	useInput(statusKeys(store, {onLogs, onRestart, onFollow, onForward, onStopForward, onQuit, onBrowser, onBundle}, exit));
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
