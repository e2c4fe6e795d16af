// One doctor check as a row: its status mark, title, summary and, when it failed, the fix.
import {Box, Text} from 'ink';
import Spinner from 'ink-spinner';
import type {CheckId, CheckState, CheckStatus} from '../engine/doctor/types.js';
import {checkTitles, formatDuration, statusMarks, titleWidth} from '../render/format.js';
import {Row, useUnderText} from './row.js';
import {padColumns} from '../render/columns.js';

const statusColors: Readonly<Record<CheckStatus, string>> = {ok: 'green', warn: 'yellow', fail: 'red', missing: 'gray'};

export function CheckRow({id, check}: {readonly id: CheckId; readonly check: CheckState}) {
	const title = padColumns(checkTitles[id], titleWidth);
	// Every render calls the same hooks, whatever the check's state (React requires it).
	const under = useUnderText(titleWidth + 2);
	if (check.type !== 'done') {
		return (
			<Box>
				<Box flexShrink={0}>
					<Text color="cyan">{check.type === 'running' ? <Spinner type="dots" /> : '·'}</Text>
				</Box>
				<Box flexShrink={0}>
					<Text> {title} </Text>
				</Box>
				<Text dimColor>{check.type === 'running' ? 'checking…' : 'waiting'}</Text>
			</Box>
		);
	}

	const {outcome} = check;
	const showDetail = outcome.status !== 'ok' && outcome.detail;
	return (
		<Box flexDirection="column">
			<Row
				mark={<Text color={statusColors[outcome.status]}>{statusMarks[outcome.status]}</Text>}
				titleWidth={titleWidth + 2}
				title={<Text bold>{title}</Text>}
				text={<Text wrap="wrap">{outcome.summary}</Text>}
				time={<Text dimColor> {formatDuration(check.durationMs)}</Text>}
			/>
			{showDetail ? (
				<Box marginLeft={under}>
					<Text dimColor wrap="wrap">
						{outcome.detail}
					</Text>
				</Box>
			) : null}
			{outcome.fix ? (
				<Box marginLeft={under}>
					<Text color="cyan" wrap="wrap">
						→ {outcome.fix}
					</Text>
				</Box>
			) : null}
		</Box>
	);
}
