// The install's screen: a row per tool with its download's progress bar, then where each was put.
import {Box, Text} from 'ink';
import Spinner from 'ink-spinner';
import type {InstallAction, ToolInstallStatus} from '../engine/tools/actions.js';
import type {InstallState} from '../engine/tools/reducer.js';
import type {Store} from '../engine/store.js';
import {describeTransfer} from '../render/format.js';
import {pathAdvice, statusLine} from '../render/install-words.js';
import {useCancelKey, useExitWhen} from './app-lifetime.js';
import {useThrottledState} from './use-store.js';
import {Ended, Frame} from './frame.js';
import {padColumns} from '../render/columns.js';

export function ProgressBar({fraction, width = 24}: {readonly fraction: number; readonly width?: number}) {
	const filled = Math.max(0, Math.min(width, Math.round(fraction * width)));
	return (
		<Text>
			<Text color="cyan">{'█'.repeat(filled)}</Text>
			<Text dimColor>{'░'.repeat(width - filled)}</Text>
		</Text>
	);
}

function ToolRow({tool, version, status}: {readonly tool: string; readonly version: string | undefined; readonly status: ToolInstallStatus}) {
	const name = padColumns(`${tool} ${version ?? ''}`.trim(), 16);
	if (status.type === 'downloading') {
		return (
			<Box>
				<Box flexShrink={0}>
					<Text color="cyan">
						<Spinner type="dots" />
					</Text>
					<Text> {name} </Text>
				</Box>
				<Box flexShrink={0}>
					<ProgressBar fraction={status.total ? status.received / status.total : 0} />
				</Box>
				<Text dimColor> {describeTransfer(status.received, status.total, status.bytesPerSecond)}</Text>
			</Box>
		);
	}

	if (status.type === 'done' || status.type === 'failed') {
		const ok = status.type === 'done';
		const [line = '', fix] = statusLine(tool, version, status).split('\n');
		return (
			<Box flexDirection="column">
				<Box>
					<Box flexShrink={0} width={2}>
						<Text color={ok ? 'green' : 'red'}>{ok ? '✔' : '✖'}</Text>
					</Box>
					<Box flexShrink={1}>
						<Text wrap="wrap">{line}</Text>
					</Box>
				</Box>
				{fix ? (
					<Box marginLeft={2}>
						<Text color="cyan" wrap="wrap">
							→ {fix.replace(/^\s*fix: /, '')}
						</Text>
					</Box>
				) : null}
			</Box>
		);
	}

	return (
		<Box>
			<Box flexShrink={0} width={2}>
				<Text color="cyan">{status.type === 'pending' ? '·' : <Spinner type="dots" />}</Text>
			</Box>
			<Box flexShrink={1}>
				<Text dimColor wrap="wrap">
					{statusLine(tool, version, status)}
				</Text>
			</Box>
		</Box>
	);
}

export function InstallScreen({state, pathEnv}: {readonly state: InstallState; readonly pathEnv: string | undefined}) {
	const advice = state.phase.type === 'done' ? pathAdvice(state, pathEnv) : undefined;
	return (
		<Frame subtitle={`install → ${state.dir ?? ''}`}>
			<Box flexDirection="column" marginTop={1}>
				{state.tools.map(entry => (
					<ToolRow key={entry.tool} tool={entry.tool} version={entry.version} status={entry.status} />
				))}
			</Box>
			{advice ? (
				<Box marginTop={1}>
					<Text>{advice}</Text>
				</Box>
			) : null}
			{state.phase.type === 'done' ? (
				<Ended durationMs={state.phase.durationMs} cancelled={state.phase.cancelled} cancelledText="Cancelled; nothing half-installed was left behind" />
			) : null}
		</Frame>
	);
}

/** Ends the app once every tool is done or failed; Ctrl-C cancels the downloads (the run then ends). */
export function InstallApp({
	store,
	pathEnv,
	onCancel,
}: {
	readonly store: Store<InstallState, InstallAction>;
	readonly pathEnv: string | undefined;
	readonly onCancel?: (() => void) | undefined;
}) {
	const state = useThrottledState(store);
	useCancelKey(onCancel);
	useExitWhen(state.phase.type === 'done');
	return <InstallScreen state={state} pathEnv={pathEnv} />;
}
