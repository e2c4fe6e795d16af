// The status screen's panel under the pods: the selected pod's diagnosis, or what a key opened
// (its logs, events or description, the namespace's warnings, a port-forward's ports, a restart to confirm).
import {Text} from 'ink';
import Spinner from 'ink-spinner';
import type {StatusPanel} from '../engine/status/actions.js';
import type {StatusState} from '../engine/status/reducer.js';
import type {StatusWindow} from '../engine/status/select.js';
import type {PodRow} from '../diagnose/rows.js';
import {PodDescription, PodEvents, probeText, stateColors} from './status-parts.js';

type Sized = {readonly compact: boolean; readonly lines: number};

function LogsPanel({panel, lines}: {readonly panel: Extract<StatusPanel, {type: 'logs'}>; readonly lines: number}) {
	return (
		<>
			<Text bold>
				Logs of {panel.container}
				{panel.previous ? ' (previous container)' : ''} in {panel.pod}
				{panel.following ? <Text color="green"> (following)</Text> : null}
			</Text>
			{panel.error ? <Text color="red">{panel.error}</Text> : null}
			{panel.lines === undefined ? (
				<Text dimColor>
					<Spinner type="dots" /> reading
				</Text>
			) : panel.lines.length === 0 ? (
				<Text dimColor>(no output)</Text>
			) : (
				panel.lines.slice(-lines).map((line, index) => (
					<Text key={index} wrap="truncate-end">
						{line}
					</Text>
				))
			)}
		</>
	);
}

function WarningsPanel({view, namespace, compact, lines}: {readonly view: StatusWindow; readonly namespace: string} & Sized) {
	return (
		<>
			<Text bold>Warnings in {namespace}, newest first</Text>
			{view.warnings.length === 0 ? (
				<Text dimColor>none</Text>
			) : (
				view.warnings.slice(0, compact ? lines : 8).map(warning => (
					<Text key={`${warning.reason}${warning.object}`} wrap={compact ? 'truncate-end' : 'wrap'}>
						{warning.reason} {warning.object}
						{warning.count > 1 ? ` (x${warning.count})` : ''}: {warning.message}
					</Text>
				))
			)}
		</>
	);
}

function ForwardPanel({panel}: {readonly panel: Extract<StatusPanel, {type: 'forward'}>}) {
	return (
		<>
			<Text bold>Port-forward to {panel.pod}</Text>
			<Text>
				pod port <Text color="cyan">{panel.remote}</Text>
				{panel.ports.length > 1 ? <Text dimColor> ←/→ for another: {panel.ports.join(', ')}</Text> : null}
			</Text>
			<Text>
				local port <Text color="cyan">{panel.local}</Text>
				<Text inverse> </Text>
				<Text dimColor> type a port; empty: any free port</Text>
			</Text>
			<Text dimColor>enter starts · esc cancels</Text>
		</>
	);
}

function DiagnosisPanel({pod, compact}: {readonly pod: PodRow; readonly compact: boolean}) {
	const color = stateColors[pod.diagnosis.state];
	if (compact) {
		return (
			<>
				<Text bold color={color} wrap="truncate-end">
					{pod.name}: {pod.diagnosis.title}
				</Text>
				<Text color="cyan" wrap="truncate-end">
					→ {pod.diagnosis.fix}
				</Text>
			</>
		);
	}

	return (
		<>
			<Text bold color={color} wrap="wrap">
				{pod.name}: {pod.diagnosis.title}
			</Text>
			<Text wrap="wrap">{pod.diagnosis.explanation}</Text>
			<Text color="cyan" wrap="wrap">
				→ {pod.diagnosis.fix}
			</Text>
			{pod.diagnosis.evidence.slice(-4).map((line, index) => (
				<Text key={index} dimColor wrap="truncate-end">
					| {line}
				</Text>
			))}
			{pod.probes
				.filter(probe => [probe.liveness, probe.readiness, probe.startup].some(state => state.type !== 'none'))
				.map(probe => (
					<Text key={probe.container} dimColor wrap="truncate-end">
						probes {probe.container}: liveness {probeText(probe.liveness)} · readiness {probeText(probe.readiness)} · startup {probeText(probe.startup)}
					</Text>
				))}
		</>
	);
}

export function PanelBody({
	state,
	view,
	pod,
	namespace,
	compact,
	lines,
}: {readonly state: StatusState; readonly view: StatusWindow; readonly pod: PodRow; readonly namespace: string} & Sized) {
	const {panel} = state;
	switch (panel.type) {
		case 'logs': {
			return <LogsPanel panel={panel} lines={lines} />;
		}

		case 'events': {
			return <PodEvents events={view.selectedEvents} pod={pod.name} maxLines={lines} />;
		}

		case 'warnings': {
			return <WarningsPanel view={view} namespace={namespace} compact={compact} lines={lines} />;
		}

		case 'detail': {
			return <PodDescription state={state} pod={pod.name} maxLines={compact ? lines : 12} />;
		}

		case 'forward': {
			return <ForwardPanel panel={panel} />;
		}

		case 'confirm-restart': {
			return <Text color="yellow">Delete pod {panel.pod} so its controller starts a new one? (y/n)</Text>;
		}

		case 'diagnosis': {
			return <DiagnosisPanel pod={pod} compact={compact} />;
		}
	}
}
