// build, load and scan on screen: a row per image and step, its progress and, when it ends, what it saw.
import {Box, Text} from 'ink';
import Spinner from 'ink-spinner';
import type {ImagesAction} from '../engine/images/actions.js';
import {describeTarget} from '../render/images-words.js';
import type {ImageEntry, ImagesState} from '../engine/images/reducer.js';
import type {Store} from '../engine/store.js';
import {buildLine, loadLine, scanLine} from '../render/images-words.js';
import {useCancelKey, useExitWhen} from './app-lifetime.js';
import {useThrottledState} from './use-store.js';
import {Ended, Frame} from './frame.js';

type StepState = {readonly type: string};

function mark(status: StepState, good: boolean) {
	if (status.type === 'pending') {
		return <Text dimColor>·</Text>;
	}

	if (status.type === 'done') {
		return <Text color={good ? 'green' : 'red'}>{good ? '✔' : '✖'}</Text>;
	}

	if (status.type === 'failed') {
		return <Text color="red">✖</Text>;
	}

	if (status.type === 'skipped') {
		return <Text dimColor>-</Text>;
	}

	return (
		<Text color="cyan">
			<Spinner type="dots" />
		</Text>
	);
}

function StepRow({
	step,
	status,
	text,
	name,
	good = true,
}: {
	readonly step: string;
	readonly status: StepState;
	readonly text: string;
	readonly name: string;
	readonly good?: boolean;
}) {
	// The image's name is the block's title, so each row starts after it.
	const [line = '', ...rest] = text.split('\n');
	const first = line.startsWith(`${name}: `) ? line.slice(name.length + 2) : line;
	const running = !['done', 'failed', 'skipped', 'pending'].includes(status.type);
	return (
		<Box flexDirection="column">
			<Box>
				<Box flexShrink={0} width={2}>
					{mark(status, good)}
				</Box>
				<Box flexShrink={0} width={7}>
					<Text dimColor>{step}</Text>
				</Box>
				<Box flexShrink={1}>
					<Text wrap={running ? 'truncate-end' : 'wrap'} dimColor={status.type === 'skipped' || status.type === 'pending'}>
						{status.type === 'pending' ? 'waiting for the build' : first}
					</Text>
				</Box>
			</Box>
			{rest.map((line, index) => (
				// Lines of one message in a fixed order: the index is their identity.
				<Box key={index} marginLeft={9}>
					<Text wrap="truncate-end" color={line.trimStart().startsWith('fix:') ? 'cyan' : undefined} dimColor={line.trimStart().startsWith('|')}>
						{line.trim()}
					</Text>
				</Box>
			))}
		</Box>
	);
}

function ImageBlock({entry, steps}: {readonly entry: ImageEntry; readonly steps: ImagesState['steps']}) {
	const gatePassed = entry.scan.type !== 'done' || entry.scan.summary.gate.passed;
	const name = entry.plan?.ref ?? `todo-${entry.name}`;
	return (
		<Box flexDirection="column" marginTop={1}>
			<Text bold>{name}</Text>
			<StepRow step="build" status={entry.build} text={buildLine(entry)} name={name} />
			{steps.load ? <StepRow step="load" status={entry.load} text={loadLine(entry)} name={name} /> : null}
			{steps.scan ? <StepRow step="scan" status={entry.scan} text={scanLine(entry)} name={name} good={gatePassed} /> : null}
		</Box>
	);
}

export function ImagesScreen({state}: {readonly state: ImagesState}) {
	return (
		<Frame
			subtitle={`${[state.steps.build ? 'build' : '', state.steps.load ? 'load' : '', state.steps.scan ? 'scan' : ''].filter(Boolean).join(' · ')}${state.target ? ` → ${describeTarget(state.target)}` : ''}`}>
			{state.images.map(entry => (
				<ImageBlock key={entry.name} entry={entry} steps={state.steps} />
			))}
			{state.error ? (
				<Box marginTop={1} flexDirection="column">
					<Text color="red">✖ {state.error.message}</Text>
					{state.error.fix ? <Text color="cyan">→ {state.error.fix}</Text> : null}
				</Box>
			) : null}
			{state.phase.type === 'done' ? (
				<Ended durationMs={state.phase.durationMs} cancelled={state.phase.cancelled} />
			) : (
				<Text dimColor>{'\n'}Ctrl-C stops the builds.</Text>
			)}
		</Frame>
	);
}

/** Ends once every image is done; Ctrl-C cancels the builds (the run cleans up and then ends). */
export function ImagesApp({store, onCancel}: {readonly store: Store<ImagesState, ImagesAction>; readonly onCancel: () => void}) {
	const state = useThrottledState(store);
	useCancelKey(onCancel);
	useExitWhen(state.phase.type === 'done');
	return <ImagesScreen state={state} />;
}
