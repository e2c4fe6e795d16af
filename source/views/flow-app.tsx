// A flow's screen (up, deploy, verify, down): the plan's rows, a question when one is asked, the notes,
// and the pods while they roll out.
import {Box, Text} from 'ink';
import Spinner from 'ink-spinner';
import {useEffect, useState} from 'react';
import type {FlowAction, StepStatus} from '../engine/flow/actions.js';
import type {FlowState} from '../engine/flow/reducer.js';
import type {StatusAction} from '../engine/status/actions.js';
import type {StatusState} from '../engine/status/reducer.js';
import {statusWindow} from '../engine/status/select.js';
import type {Store} from '../engine/store.js';
import {formatDuration} from '../render/format.js';
import {statusWords} from '../render/step-words.js';
import {Row} from './row.js';
import {useCancelKey, useExitWhen} from './app-lifetime.js';
import {Confirm} from './confirm.js';
import {PlanPicker} from './plan-picker.js';
import {SecretInput} from './secret-input.js';
import {useThrottledState} from './use-store.js';
import {Frame} from './frame.js';
import {padColumns} from '../render/columns.js';

function Elapsed({since}: {readonly since: number}) {
	const [now, setNow] = useState(() => Date.now());
	useEffect(() => {
		const timer = setInterval(() => setNow(Date.now()), 1000);
		return () => clearInterval(timer);
	}, []);
	return <Text dimColor>{formatDuration(Math.max(0, now - since))}</Text>;
}

function StepRow({title, status}: {readonly title: string; readonly status: StepStatus}) {
	const mark =
		status.type === 'done' ? (
			<Text color="green">✔</Text>
		) : status.type === 'failed' ? (
			<Text color="red">✖</Text>
		) : status.type === 'skipped' ? (
			<Text dimColor>-</Text>
		) : status.type === 'pending' ? (
			<Text dimColor>·</Text>
		) : (
			<Text color="cyan">
				<Spinner type="dots" />
			</Text>
		);
	const words = statusWords(status);
	const {text} = words;
	return (
		<Box flexDirection="column">
			<Row
				mark={mark}
				titleWidth={25}
				title={
					<Text bold={status.type === 'running'} dimColor={status.type === 'pending' || status.type === 'skipped'}>
						{title}
					</Text>
				}
				text={
					<Text wrap={status.type === 'running' ? 'truncate-end' : 'wrap'} dimColor={status.type !== 'failed' && status.type !== 'running'}>
						{text}
					</Text>
				}
				time={
					status.type === 'running' ? (
						<Elapsed since={status.startedAt} />
					) : status.type === 'done' || status.type === 'failed' ? (
						<Text dimColor>{formatDuration(status.durationMs)}</Text>
					) : undefined
				}
			/>
			{status.type === 'failed' ? (
				<Box flexDirection="column" marginLeft={2}>
					{words.fix ? (
						<Text color="cyan" wrap="wrap">
							→ {words.fix}
						</Text>
					) : null}
					{words.evidence.slice(0, 16).map((line, index) => (
						// Lines of one failure in a fixed order: the index is their identity.
						<Text key={index} dimColor={line.startsWith('  ')} wrap="truncate-end">
							{line}
						</Text>
					))}
				</Box>
			) : null}
		</Box>
	);
}

function Pods({store, context, namespace}: {readonly store: Store<StatusState, StatusAction>; readonly context: string; readonly namespace: string}) {
	const state = useThrottledState(store, 200);
	const view = statusWindow({...state, selected: undefined}, {context, namespace}, 10);
	if (view.total === 0) {
		return null;
	}

	const width = view.longestName + 2;
	return (
		<Box flexDirection="column" marginLeft={2} marginTop={1}>
			{view.rows.map(row => (
				<Text key={row.name}>
					<Text color={row.diagnosis.state === 'ready' ? 'green' : row.diagnosis.state === 'failing' ? 'red' : 'yellow'}>{padColumns(row.name, width)}</Text>
					<Text>
						{padColumns(row.ready, 6)}
						{padColumns(row.status, 22)}
					</Text>
					<Text dimColor>{row.diagnosis.state === 'ready' ? '' : row.diagnosis.title}</Text>
				</Text>
			))}
		</Box>
	);
}

export type FlowScreenProps = {
	readonly state: FlowState;
	readonly pods?: {readonly store: Store<StatusState, StatusAction>; readonly context: string; readonly namespace: string; readonly during: string} | undefined;
	readonly onAnswer?: ((answer: boolean | string | readonly string[] | undefined) => void) | undefined;
};

export function FlowScreen({state, pods, onAnswer}: FlowScreenProps) {
	const podsStep = pods ? state.steps.find(step => step.id === pods.during) : undefined;
	const showPods = pods && podsStep && (podsStep.status.type === 'running' || podsStep.status.type === 'failed');
	return (
		<Frame subtitle={state.title}>
			<Box flexDirection="column" marginTop={1}>
				{state.steps.map(step => (
					<Box key={step.id} flexDirection="column">
						<StepRow title={step.title} status={step.status} />
						{showPods && step.id === pods.during ? <Pods store={pods.store} context={pods.context} namespace={pods.namespace} /> : null}
					</Box>
				))}
			</Box>
			{state.notes.length > 0 ? (
				<Box flexDirection="column" marginTop={1}>
					{state.notes.map(note => (
						<Text key={note} color="yellow" wrap="wrap">
							! {note}
						</Text>
					))}
				</Box>
			) : null}
			{state.question && onAnswer ? (
				<Box marginTop={1}>
					{state.question.kind === 'confirm' ? (
						<Confirm key={state.asked} question={state.question.text} onAnswer={onAnswer} />
					) : state.question.kind === 'plan' ? (
						<PlanPicker key={state.asked} question={state.question.text} options={state.question.options} onAnswer={onAnswer} />
					) : (
						<SecretInput key={state.asked} question={state.question.text} onAnswer={onAnswer} />
					)}
				</Box>
			) : null}
			{state.outcome ? (
				<Box marginTop={1}>
					<Text color={state.outcome.type === 'succeeded' ? 'green' : 'red'} wrap="wrap">
						{state.outcome.message} ({formatDuration(state.outcome.durationMs)})
					</Text>
				</Box>
			) : null}
		</Frame>
	);
}

/** The flow's screen; ends when the flow has an outcome. */
export function FlowApp({
	store,
	pods,
	onAnswer,
	onCancel,
}: {
	readonly store: Store<FlowState, FlowAction>;
	readonly pods?: FlowScreenProps['pods'];
	readonly onAnswer: (answer: boolean | string | readonly string[] | undefined) => void;
	readonly onCancel?: (() => void) | undefined;
}) {
	const state = useThrottledState(store);
	useCancelKey(onCancel);
	useExitWhen(state.outcome !== undefined);
	return <FlowScreen state={state} pods={pods} onAnswer={onAnswer} />;
}
