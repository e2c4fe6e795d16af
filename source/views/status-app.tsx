import {Box, Text, useApp, useInput, type Key} from 'ink';
import Spinner from 'ink-spinner';
import {useMemo} from 'react';
import type {ProbeState} from '../diagnose/rows.js';
import type {ForwardState, StatusAction, StatusPanel} from '../engine/status/actions.js';
import type {StatusState} from '../engine/status/reducer.js';
import {sortedPodNames, statusWindow} from '../engine/status/select.js';
import {podDetail, podEventRows} from '../diagnose/detail.js';
import type {PodEvent} from '../diagnose/pod.js';
import type {Store} from '../engine/store.js';
import {useTerminalSize} from './terminal-size.js';
import {useThrottledState} from './use-store.js';

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
};

const hasWarnings = (state: StatusState) => {
	for (const event of state.events.values()) {
		if (event.type === 'Warning') {
			return true;
		}
	}

	return false;
};

/** The pod's containers, then its init containers (whose logs explain a pod stuck initialising). */
const containerNames = (state: StatusState, pod: string) => {
	const spec = state.pods.get(pod)?.spec;
	return [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])].map(container => container.name);
};

/** The container l, f and p show: the one chosen with c, or the pod's first. */
const containerOf = (state: StatusState, pod: string) => {
	const names = containerNames(state, pod);
	return state.container && names.includes(state.container) ? state.container : (names[0] ?? '');
};

/** The same local port as the pod's, unless that needs root (below 1024): then any free one. */
const defaultLocal = (remote: number) => (remote >= 1024 ? String(remote) : '');

const stateColors = {ready: 'green', progressing: 'yellow', failing: 'red', terminating: 'gray', completed: 'gray'} as const;

function probeText(state: ProbeState): string {
	switch (state.type) {
		case 'none': {
			return '—';
		}

		case 'passing': {
			return 'ok';
		}

		case 'waiting': {
			return '…';
		}

		case 'failing': {
			return `✖ ${state.message}`;
		}
	}
}

function ForwardLine({forward}: {readonly forward: ForwardState}) {
	switch (forward.state) {
		case 'starting': {
			return (
				<Text color="yellow">
					<Spinner type="dots" /> port-forward to {forward.pod}:{forward.remote} starting…
				</Text>
			);
		}

		case 'running': {
			return (
				<Text wrap="wrap">
					<Text color="green">
						⇄ {forward.url} → {forward.pod}:{forward.remote}
					</Text>
					<Text dimColor> (o on {forward.pod} stops it)</Text>
					{forward.trouble ? <Text color="yellow"> ⚠ {forward.trouble}</Text> : null}
				</Text>
			);
		}

		case 'failed': {
			return (
				<Text color="red" wrap="wrap">
					✖ port-forward to {forward.pod}:{forward.remote}: {forward.message}
				</Text>
			);
		}
	}
}

const toneColor = {good: 'green', bad: 'red', dim: undefined} as const;

function PodDescription({state, pod, maxLines}: {readonly state: StatusState; readonly pod: string; readonly maxLines: number}) {
	const object = state.pods.get(pod);
	// The first lines: where it runs, its conditions, and the containers (init containers first, as they run).
	const lines = object ? podDetail(object, new Date()).slice(0, maxLines) : [];
	return (
		<>
			<Text bold>{pod}</Text>
			{lines.map((line, index) => (
				// Lines of one description in a fixed order: the index is their identity.
				<Text key={index} color={line.tone ? toneColor[line.tone] : undefined} dimColor={line.tone === 'dim'} wrap="truncate-end">
					{line.text}
				</Text>
			))}
		</>
	);
}

function PodEvents({events, pod, maxLines}: {readonly events: readonly PodEvent[]; readonly pod: string; readonly maxLines: number}) {
	const rows = podEventRows(events, new Date());
	return (
		<>
			<Text bold>Events of {pod}, newest first</Text>
			{rows.length === 0 ? (
				<Text dimColor>none (Kubernetes keeps events for about an hour)</Text>
			) : (
				rows.slice(0, maxLines).map(row => (
					<Text key={`${row.type}${row.reason}${row.message}`} wrap="truncate-end">
						<Text color={row.type === 'Warning' ? 'yellow' : undefined}>{row.type.padEnd(8)}</Text>
						{row.reason.padEnd(18)} <Text dimColor>{(row.count > 1 ? `${row.last} (x${row.count} over ${row.first})` : row.last).padEnd(18)}</Text>{' '}
						{row.message}
					</Text>
				))
			)}
		</>
	);
}

export function StatusScreen({
	state,
	context,
	namespace,
	width,
	height = 40,
}: {
	readonly state: StatusState;
	readonly context: string;
	readonly namespace: string;
	readonly width: number;
	readonly height?: number;
}) {
	// Columns of fixed width never shrink (a long image name would squash them); the name column takes
	// what is left, and narrow terminals drop RESTARTS and AGE.
	const inner = width - 2;
	const narrow = inner < 72;
	// As kubectl get pods -o wide: the node and the images, when there is room.
	const wide = inner >= 148;
	// Only the rows that fit, and only those are computed: the selected pod stays in view, the rest are counted.
	// Lines the other parts may take: the port-forward line, the warnings line, and a help line that wraps.
	const extra = (state.forward ? 1 : 0) + (hasWarnings(state) ? 1 : 0) + (width < 145 ? 1 : 0);
	// A short terminal (under 20 lines) gets a compact screen: the panel without its border, a few lines
	// of it, and one help line, so that the pods stay on screen instead of scrolling off the top.
	const compact = height < 20;
	const panelLines = compact ? 3 : 10;
	const fit = compact ? Math.max(1, height - 10 - (state.forward ? 1 : 0) - (hasWarnings(state) ? 1 : 0)) : Math.max(3, height - 18 - extra);
	const view = useMemo(() => statusWindow(state, {context, namespace}, fit), [state.version, state.selected, context, namespace, fit]);
	const {selected, first, total, rows: visible} = view;
	// STATUS is as wide as the longest one on screen (CreateContainerConfigError is 26), RESTARTS as "10 (97d ago)".
	const statusWidth = Math.min(27, Math.max(7, ...visible.map(row => row.status.length)) + 1);
	const columns = 2 + 7 + statusWidth + (narrow ? 0 : 15 + 6) + (wide ? 20 + 16 : 0);
	const nameWidth = Math.max(8, Math.min(Math.max(8, view.longestName) + 1, inner - columns));
	return (
		<Box flexDirection="column" paddingX={1}>
			<Box>
				<Text bold color="magenta">
					todo-deploy status
				</Text>
				<Text dimColor>
					{' '}
					{namespace} @ {context}{' '}
				</Text>
				{state.connection.type === 'live' ? <Text color="green">● live</Text> : null}
				{state.connection.type === 'connecting' ? (
					<Text color="yellow">
						<Spinner type="dots" /> connecting
					</Text>
				) : null}
				{state.connection.type === 'reconnecting' ? (
					<Text color="yellow">
						<Spinner type="dots" /> reconnecting ({state.connection.kinds.join(', ')}): {state.connection.reason}
					</Text>
				) : null}
				{state.connection.type === 'failed' ? <Text color="red">✖ {state.connection.message}</Text> : null}
			</Box>
			{state.forward ? <ForwardLine forward={state.forward} /> : null}
			<Box marginTop={1}>
				<Box width={2} flexShrink={0} />
				<Box width={nameWidth} flexShrink={0}>
					<Text dimColor>NAME</Text>
				</Box>
				<Box width={7} flexShrink={0}>
					<Text dimColor>READY</Text>
				</Box>
				<Box width={statusWidth} flexShrink={0}>
					<Text dimColor>STATUS</Text>
				</Box>
				{narrow ? null : (
					<Box width={15} flexShrink={0}>
						<Text dimColor>RESTARTS</Text>
					</Box>
				)}
				{narrow ? null : (
					<Box width={6} flexShrink={0}>
						<Text dimColor>AGE</Text>
					</Box>
				)}
				{wide ? (
					<Box width={20} flexShrink={0}>
						<Text dimColor>NODE</Text>
					</Box>
				) : null}
				{wide ? <Text dimColor>IMAGE</Text> : null}
			</Box>
			{total === 0 ? <Text dimColor> No pods in {namespace} yet.</Text> : null}
			{first > 0 ? <Text dimColor> … {first} more above</Text> : null}
			{visible.map(row => {
				const isSelected = row.name === selected?.name;
				return (
					<Box key={row.name}>
						<Box width={2} flexShrink={0}>
							<Text color="cyan">{isSelected ? '›' : ' '}</Text>
						</Box>
						<Box width={nameWidth} flexShrink={0} paddingRight={1}>
							<Text bold={isSelected} wrap="truncate-end">
								{row.name}
							</Text>
						</Box>
						<Box width={7} flexShrink={0}>
							<Text>{row.ready}</Text>
						</Box>
						<Box width={statusWidth} flexShrink={0}>
							<Text color={stateColors[row.diagnosis.state]} wrap="truncate-end">
								{row.status}
							</Text>
						</Box>
						{narrow ? null : (
							<Box width={15} flexShrink={0}>
								<Text>
									{row.restarts}
									{row.lastRestart ? ` (${row.lastRestart})` : ''}
								</Text>
							</Box>
						)}
						{narrow ? null : (
							<Box width={6} flexShrink={0}>
								<Text>{row.age}</Text>
							</Box>
						)}
						{wide ? (
							<Box width={20} flexShrink={0}>
								<Text wrap="truncate-end">{row.node || '—'}</Text>
							</Box>
						) : null}
						{wide ? (
							<Box flexShrink={1}>
								<Text wrap="truncate-end">{row.images.join(', ')}</Text>
							</Box>
						) : null}
					</Box>
				);
			})}
			{first + fit < total ? <Text dimColor> … {total - first - fit} more below</Text> : null}
			{view.rollouts.length > 0 ? (
				<Box flexDirection="column" marginTop={1}>
					{view.rollouts.slice(0, 6).map(rollout => (
						<Text key={`${rollout.kind}/${rollout.name}`} dimColor={rollout.done}>
							{rollout.kind}/{rollout.name}: {rollout.ready}/{rollout.desired} ready, {rollout.updated} updated, {rollout.available} available
							{rollout.done ? '' : ' (rolling out)'}
						</Text>
					))}
				</Box>
			) : null}
			{view.warnings.length > 0 ? (
				<Text color="yellow" wrap="truncate-end">
					⚠ {view.warnings.length} warning{view.warnings.length === 1 ? '' : 's'} in {namespace}, newest: {view.warnings[0]?.reason} on{' '}
					{view.warnings[0]?.object}
					<Text dimColor> · w lists them</Text>
				</Text>
			) : null}
			{selected ? (
				<Box
					flexDirection="column"
					marginTop={compact ? 0 : 1}
					borderStyle={compact ? undefined : 'round'}
					borderColor={stateColors[selected.diagnosis.state]}
					paddingX={1}>
					{state.panel.type === 'logs' ? (
						<>
							<Text bold>
								Logs of {state.panel.container}
								{state.panel.previous ? ' (previous container)' : ''} in {state.panel.pod}
								{state.panel.following ? <Text color="green"> (following)</Text> : null}
							</Text>
							{state.panel.error ? <Text color="red">{state.panel.error}</Text> : null}
							{state.panel.lines === undefined ? (
								<Text dimColor>
									<Spinner type="dots" /> reading
								</Text>
							) : state.panel.lines.length === 0 ? (
								<Text dimColor>(no output)</Text>
							) : (
								state.panel.lines.slice(-panelLines).map((line, index) => (
									<Text key={index} wrap="truncate-end">
										{line}
									</Text>
								))
							)}
						</>
					) : state.panel.type === 'events' ? (
						<PodEvents events={view.selectedEvents} pod={selected.name} maxLines={panelLines} />
					) : state.panel.type === 'warnings' ? (
						<>
							<Text bold>Warnings in {namespace}, newest first</Text>
							{view.warnings.length === 0 ? (
								<Text dimColor>none</Text>
							) : (
								view.warnings.slice(0, compact ? panelLines : 8).map(warning => (
									<Text key={`${warning.reason}${warning.object}`} wrap={compact ? 'truncate-end' : 'wrap'}>
										{warning.reason} {warning.object}
										{warning.count > 1 ? ` (x${warning.count})` : ''}: {warning.message}
									</Text>
								))
							)}
						</>
					) : state.panel.type === 'detail' ? (
						<PodDescription state={state} pod={selected.name} maxLines={compact ? panelLines : 12} />
					) : state.panel.type === 'forward' ? (
						<>
							<Text bold>Port-forward to {state.panel.pod}</Text>
							<Text>
								pod port <Text color="cyan">{state.panel.remote}</Text>
								{state.panel.ports.length > 1 ? <Text dimColor> ←/→ for another: {state.panel.ports.join(', ')}</Text> : null}
							</Text>
							<Text>
								local port <Text color="cyan">{state.panel.local}</Text>
								<Text inverse> </Text>
								<Text dimColor> type a port; empty: any free port</Text>
							</Text>
							<Text dimColor>enter starts · esc cancels</Text>
						</>
					) : state.panel.type === 'confirm-restart' ? (
						<Text color="yellow">Delete pod {state.panel.pod} so its controller starts a new one? (y/n)</Text>
					) : compact ? (
						<>
							<Text bold color={stateColors[selected.diagnosis.state]} wrap="truncate-end">
								{selected.name}: {selected.diagnosis.title}
							</Text>
							<Text color="cyan" wrap="truncate-end">
								→ {selected.diagnosis.fix}
							</Text>
						</>
					) : (
						<>
							<Text bold color={stateColors[selected.diagnosis.state]} wrap="wrap">
								{selected.name}: {selected.diagnosis.title}
							</Text>
							<Text wrap="wrap">{selected.diagnosis.explanation}</Text>
							<Text color="cyan" wrap="wrap">
								→ {selected.diagnosis.fix}
							</Text>
							{selected.diagnosis.evidence.slice(-4).map((line, index) => (
								<Text key={index} dimColor wrap="truncate-end">
									| {line}
								</Text>
							))}
							{selected.probes
								.filter(probe => [probe.liveness, probe.readiness, probe.startup].some(state => state.type !== 'none'))
								.map(probe => (
									<Text key={probe.container} dimColor wrap="truncate-end">
										probes {probe.container}: liveness {probeText(probe.liveness)} · readiness {probeText(probe.readiness)} · startup {probeText(probe.startup)}
									</Text>
								))}
						</>
					)}
				</Box>
			) : null}
			{state.notice ? <Text color="yellow">{state.notice}</Text> : null}
			{compact ? (
				<Text dimColor wrap="truncate-end">
					↑/↓ pod · q quit · l logs · e events · d describe · ⏎ diagnosis · o port-forward · r restart · f follow · p previous · c container · w warnings
				</Text>
			) : (
				<Text dimColor wrap="wrap">
					↑/↓ pod · ⏎ diagnosis · l logs · f follow · p previous · c container · e events · w warnings · d describe · o port-forward · r restart · q quit
				</Text>
			)}
		</Box>
	);
}

export function StatusApp({store, context, namespace, onLogs, onRestart, onFollow, onForward, onStopForward, onQuit}: StatusAppProps) {
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
	return <StatusScreen state={{...state, selected: current}} context={context} namespace={namespace} width={size.columns} height={size.rows} />;
}
