// The status screen's pod table, as kubectl get pods lays it out: fixed columns that never shrink, the
// name taking what is left, RESTARTS and AGE dropped on a narrow terminal, NODE and IMAGE on a wide one.
import {Box, Text} from 'ink';
import type {ReactNode} from 'react';
import type {PodRow} from '../diagnose/rows.js';
import {stateColors} from './status-parts.js';

export type TableLayout = {
	readonly nameWidth: number;
	readonly statusWidth: number;
	/** Under 72 columns: no RESTARTS, no AGE. */
	readonly narrow: boolean;
	/** 148 columns and more: NODE and IMAGE too (kubectl's -o wide). */
	readonly wide: boolean;
};

export function tableLayout(rows: readonly PodRow[], longestName: number, inner: number): TableLayout {
	const narrow = inner < 72;
	const wide = inner >= 148;
	// STATUS is as wide as the longest one on screen (CreateContainerConfigError is 26), RESTARTS as "10 (97d ago)".
	const statusWidth = Math.min(27, Math.max(7, ...rows.map(row => row.status.length)) + 1);
	const columns = 2 + 7 + statusWidth + (narrow ? 0 : 15 + 6) + (wide ? 20 + 16 : 0);
	const nameWidth = Math.max(8, Math.min(Math.max(8, longestName) + 1, inner - columns));
	return {nameWidth, statusWidth, narrow, wide};
}

function Cell({width, children}: {readonly width: number; readonly children: ReactNode}) {
	return (
		<Box width={width} flexShrink={0}>
			{children}
		</Box>
	);
}

export function TableHeader({layout}: {readonly layout: TableLayout}) {
	const {nameWidth, statusWidth, narrow, wide} = layout;
	return (
		<Box marginTop={1}>
			<Box width={2} flexShrink={0} />
			<Cell width={nameWidth}>
				<Text dimColor>NAME</Text>
			</Cell>
			<Cell width={7}>
				<Text dimColor>READY</Text>
			</Cell>
			<Cell width={statusWidth}>
				<Text dimColor>STATUS</Text>
			</Cell>
			{narrow ? null : (
				<Cell width={15}>
					<Text dimColor>RESTARTS</Text>
				</Cell>
			)}
			{narrow ? null : (
				<Cell width={6}>
					<Text dimColor>AGE</Text>
				</Cell>
			)}
			{wide ? (
				<Cell width={20}>
					<Text dimColor>NODE</Text>
				</Cell>
			) : null}
			{wide ? <Text dimColor>IMAGE</Text> : null}
		</Box>
	);
}

export function PodLine({row, selected, layout}: {readonly row: PodRow; readonly selected: boolean; readonly layout: TableLayout}) {
	const {nameWidth, statusWidth, narrow, wide} = layout;
	return (
		<Box>
			<Cell width={2}>
				<Text color="cyan">{selected ? '›' : ' '}</Text>
			</Cell>
			<Box width={nameWidth} flexShrink={0} paddingRight={1}>
				<Text bold={selected} wrap="truncate-end">
					{row.name}
				</Text>
			</Box>
			<Cell width={7}>
				<Text>{row.ready}</Text>
			</Cell>
			<Cell width={statusWidth}>
				<Text color={stateColors[row.diagnosis.state]} wrap="truncate-end">
					{row.status}
				</Text>
			</Cell>
			{narrow ? null : (
				<Cell width={15}>
					<Text>
						{row.restarts}
						{row.lastRestart ? ` (${row.lastRestart})` : ''}
					</Text>
				</Cell>
			)}
			{narrow ? null : (
				<Cell width={6}>
					<Text>{row.age}</Text>
				</Cell>
			)}
			{wide ? (
				<Cell width={20}>
					<Text wrap="truncate-end">{row.node || '—'}</Text>
				</Cell>
			) : null}
			{wide ? (
				<Box flexShrink={1}>
					<Text wrap="truncate-end">{row.images.join(', ')}</Text>
				</Box>
			) : null}
		</Box>
	);
}
