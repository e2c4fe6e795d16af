import {Box, Text} from 'ink';
import Spinner from 'ink-spinner';
import type {CheckId, CheckState, CheckStatus} from '../engine/doctor/types.js';
import {checkTitles, formatDuration, statusMarks, titleWidth} from '../render/format.js';

const statusColors: Readonly<Record<CheckStatus, string>> = {ok: 'green', warn: 'yellow', fail: 'red', missing: 'gray'};

export function CheckRow({id, check}: {readonly id: CheckId; readonly check: CheckState}) {
	const title = checkTitles[id].padEnd(titleWidth);
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
			<Box>
				<Box flexShrink={0}>
					<Text color={statusColors[outcome.status]}>{statusMarks[outcome.status]}</Text>
				</Box>
				<Box flexShrink={0}>
					<Text bold> {title} </Text>
				</Box>
				<Box flexGrow={1} flexShrink={1}>
					<Text wrap="wrap">{outcome.summary}</Text>
				</Box>
				<Box flexShrink={0}>
					<Text dimColor> {formatDuration(check.durationMs)}</Text>
				</Box>
			</Box>
			{showDetail ? (
				<Box marginLeft={titleWidth + 4}>
					<Text dimColor wrap="wrap">
						{outcome.detail}
					</Text>
				</Box>
			) : null}
			{outcome.fix ? (
				<Box marginLeft={titleWidth + 4}>
					<Text color="cyan" wrap="wrap">
						→ {outcome.fix}
					</Text>
				</Box>
			) : null}
		</Box>
	);
}
