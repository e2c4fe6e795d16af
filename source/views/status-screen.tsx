// The status screen as a function of its state: header, pod table (status-table), rollouts, warnings and the panel (status-panel).
import {Box, Text} from 'ink';
import Spinner from 'ink-spinner';
import {useMemo} from 'react';
import type {StatusState} from '../engine/status/reducer.js';
import {notAllowedOf, statusWindow, type StatusWindow} from '../engine/status/select.js';
import {notAllowedLines} from '../render/status-words.js';
import {PanelBody} from './status-panel.js';
import {AddressesLine, ForwardLine, hasWarnings, stateColors} from './status-parts.js';
import {PodLine, TableHeader, tableLayout} from './status-table.js';

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
	// Only the rows that fit, and only those are computed: the selected pod stays in view, the rest are counted.
	// Lines the other parts may take: the port-forward line, the warnings line, and a help line that wraps.
	const extra =
		(state.forward ? 1 : 0) +
		(state.addresses.length > 0 ? 1 : 0) +
		(hasWarnings(state) ? 1 : 0) +
		(state.forbidden.length > 0 ? 1 : 0) +
		(width < 158 ? 1 : 0);
	// A short terminal (under 20 lines) gets a compact screen: the panel without its border, a few lines
	// of it, and one help line, so that the pods stay on screen instead of scrolling off the top.
	const compact = height < 20;
	const panelLines = compact ? 3 : 10;
	const fit = compact
		? Math.max(1, height - 10 - (state.forward ? 1 : 0) - (state.addresses.length > 0 ? 1 : 0) - (hasWarnings(state) ? 1 : 0))
		: Math.max(3, height - 18 - extra);
	// state.version counts every change statusWindow reads (pods, events, images): a panel or a notice does not recompute 2,000 rows.
	// eslint-disable-next-line react-hooks/exhaustive-deps
	const view = useMemo(() => statusWindow(state, {context, namespace}, fit), [state.version, state.selected, context, namespace, fit]);
	const {selected, first, total, rows: visible} = view;
	const layout = tableLayout(visible, view.longestName, inner);
	return (
		<Box flexDirection="column" paddingX={1}>
			<StatusHeader state={state} context={context} namespace={namespace} />
			<AddressesLine state={state} />
			{state.forward ? <ForwardLine forward={state.forward} /> : null}
			<TableHeader layout={layout} />
			{total === 0 ? <Text dimColor> No pods in {namespace} yet.</Text> : null}
			{first > 0 ? <Text dimColor> … {first} more above</Text> : null}
			{visible.map(row => (
				<PodLine key={row.name} row={row} selected={row.name === selected?.name} layout={layout} />
			))}
			{first + fit < total ? <Text dimColor> … {total - first - fit} more below</Text> : null}
			<Rollouts view={view} />
			<WarningsLine view={view} namespace={namespace} />
			{state.forbidden.length > 0 ? (
				<Text color="yellow" wrap="truncate-end">
					{notAllowedLines({namespace, notAllowed: notAllowedOf(state)})[0]}
				</Text>
			) : null}
			{selected ? (
				<Box
					flexDirection="column"
					marginTop={compact ? 0 : 1}
					borderStyle={compact ? undefined : 'round'}
					borderColor={stateColors[selected.diagnosis.state]}
					paddingX={1}>
					<PanelBody state={state} view={view} pod={selected} namespace={namespace} compact={compact} lines={panelLines} />
				</Box>
			) : null}
			{state.notice ? <Text color="yellow">{state.notice}</Text> : null}
			<HelpLine compact={compact} />
		</Box>
	);
}

function StatusHeader({state, context, namespace}: {readonly state: StatusState; readonly context: string; readonly namespace: string}) {
	const {connection} = state;
	return (
		<Box>
			<Text bold color="magenta">
				todo-deploy status
			</Text>
			<Text dimColor>
				{' '}
				{namespace} @ {context}{' '}
			</Text>
			{connection.type === 'live' ? <Text color="green">● live</Text> : null}
			{connection.type === 'connecting' ? (
				<Text color="yellow">
					<Spinner type="dots" /> connecting
				</Text>
			) : null}
			{connection.type === 'reconnecting' ? (
				<Text color="yellow">
					<Spinner type="dots" /> reconnecting ({connection.kinds.join(', ')}): {connection.reason}
				</Text>
			) : null}
			{connection.type === 'failed' ? <Text color="red">✖ {connection.message}</Text> : null}
		</Box>
	);
}

function Rollouts({view}: {readonly view: StatusWindow}) {
	if (view.rollouts.length === 0) {
		return null;
	}

	return (
		<Box flexDirection="column" marginTop={1}>
			{view.rollouts.slice(0, 6).map(rollout => (
				<Text key={`${rollout.kind}/${rollout.name}`} dimColor={rollout.done}>
					{rollout.kind}/{rollout.name}: {rollout.ready}/{rollout.desired} ready, {rollout.updated} updated, {rollout.available} available
					{rollout.done ? '' : ' (rolling out)'}
				</Text>
			))}
		</Box>
	);
}

function WarningsLine({view, namespace}: {readonly view: StatusWindow; readonly namespace: string}) {
	const [newest] = view.warnings;
	if (!newest) {
		return null;
	}

	return (
		<Text color="yellow" wrap="truncate-end">
			⚠ {view.warnings.length} warning{view.warnings.length === 1 ? '' : 's'} in {namespace}, newest: {newest.reason} on {newest.object}
			<Text dimColor> · w lists them</Text>
		</Text>
	);
}

function HelpLine({compact}: {readonly compact: boolean}) {
	return compact ? (
		<Text dimColor wrap="truncate-end">
			↑/↓ pod · q quit · l logs · e events · d describe · ⏎ diagnosis · o port-forward · b browser · r restart · f follow · p previous · c container · w
			warnings · B bundle
		</Text>
	) : (
		<Text dimColor wrap="wrap">
			↑/↓ pod · ⏎ diagnosis · l logs · f follow · p previous · c container · e events · w warnings · d describe · o port-forward · b browser · r restart · B
			bundle to share · q quit
		</Text>
	);
}
