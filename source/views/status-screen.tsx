// The status screen as a function of its state: header, pod rows, rollouts, warnings and the panel.
import {Box, Text} from 'ink';
import Spinner from 'ink-spinner';
import {useMemo} from 'react';
import type {StatusState} from '../engine/status/reducer.js';
import {statusWindow} from '../engine/status/select.js';
import {ForwardLine, PodDescription, PodEvents, hasWarnings, probeText, stateColors} from './status-parts.js';

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
	// state.version counts every change statusWindow reads (pods, events, images): a panel or a notice does not recompute 2,000 rows.
	// eslint-disable-next-line react-hooks/exhaustive-deps
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
