// Pieces of the status screen: the selected pod's containers, probes, the port-forward line, describe and events.
import {Text} from 'ink';
import Spinner from 'ink-spinner';
import type {ProbeState} from '../diagnose/rows.js';
import type {ForwardState} from '../engine/status/actions.js';
import type {StatusState} from '../engine/status/reducer.js';
import {podDetail, podEventRows} from '../diagnose/detail.js';
import type {PodEvent} from '../diagnose/pod.js';
import {padColumns} from '../render/columns.js';

export const hasWarnings = (state: StatusState) => {
	for (const event of state.events.values()) {
		if (event.type === 'Warning') {
			return true;
		}
	}

	return false;
};

/** The pod's containers, then its init containers (whose logs explain a pod stuck initialising). */
export const containerNames = (state: StatusState, pod: string) => {
	const spec = state.pods.get(pod)?.spec;
	return [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])].map(container => container.name);
};

/** The container l, f and p show: the one chosen with c, or the pod's first. */
export const containerOf = (state: StatusState, pod: string) => {
	const names = containerNames(state, pod);
	return state.container && names.includes(state.container) ? state.container : (names[0] ?? '');
};

/** The same local port as the pod's, unless that needs root (below 1024): then any free one. */
export const defaultLocal = (remote: number) => (remote >= 1024 ? String(remote) : '');

export const stateColors = {ready: 'green', progressing: 'yellow', failing: 'red', terminating: 'gray', completed: 'gray'} as const;

export function probeText(state: ProbeState): string {
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

export function ForwardLine({forward}: {readonly forward: ForwardState}) {
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

const addressColor = {starting: 'yellow', up: 'green', down: 'yellow', failed: 'red'} as const;
const addressMark = {starting: '…', up: '✔', down: '⚠', failed: '✖'} as const;

/** The browser's addresses the screen holds: each URL and whether it answers now; why not, when one does not. */
export function AddressesLine({state}: {readonly state: StatusState}) {
	const {addresses, browser} = state;
	if (addresses.length === 0) {
		return null;
	}

	const trouble = addresses.find(address => address.hold.state === 'down' || address.hold.state === 'failed');
	const why = trouble && (trouble.hold.state === 'down' || trouble.hold.state === 'failed') ? trouble.hold.why : undefined;
	return (
		<Text wrap="truncate-end">
			{addresses.map((address, index) => (
				<Text key={address.side}>
					{index > 0 ? <Text dimColor> · </Text> : null}
					<Text dimColor>{address.side} </Text>
					<Text color={addressColor[address.hold.state]}>
						{address.url} {addressMark[address.hold.state]}
					</Text>
				</Text>
			))}
			{why ? <Text color="yellow"> {why}</Text> : null}
			{browser ? (
				<Text dimColor>
					{' '}
					· {browser.opened ? (browser.opened.opened ? `opened in the browser (${browser.opened.with})` : browser.opened.why) : 'opening the browser…'}
				</Text>
			) : (
				<Text dimColor> · b opens the browser</Text>
			)}
		</Text>
	);
}

export const toneColor = {good: 'green', bad: 'red', dim: undefined} as const;

export function PodDescription({state, pod, maxLines}: {readonly state: StatusState; readonly pod: string; readonly maxLines: number}) {
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

export function PodEvents({events, pod, maxLines}: {readonly events: readonly PodEvent[]; readonly pod: string; readonly maxLines: number}) {
	const rows = podEventRows(events, new Date());
	return (
		<>
			<Text bold>Events of {pod}, newest first</Text>
			{rows.length === 0 ? (
				<Text dimColor>none (Kubernetes keeps events for about an hour)</Text>
			) : (
				rows.slice(0, maxLines).map(row => (
					<Text key={`${row.type}${row.reason}${row.message}`} wrap="truncate-end">
						<Text color={row.type === 'Warning' ? 'yellow' : undefined}>{padColumns(row.type, 8)}</Text>
						{padColumns(row.reason, 18)} <Text dimColor>{padColumns(row.count > 1 ? `${row.last} (x${row.count} over ${row.first})` : row.last, 18)}</Text>{' '}
						{row.message}
					</Text>
				))
			)}
		</>
	);
}
