// What every screen has: its title line, and how long it took once it ended.
import {Box, Text} from 'ink';
import type {ReactNode} from 'react';
import {formatDuration} from '../render/format.js';

/** "todo-deploy <subtitle>", then the screen's parts in a column. */
export function Frame({subtitle, children}: {readonly subtitle: ReactNode; readonly children?: ReactNode}) {
	return (
		<Box flexDirection="column" paddingX={1}>
			<Text>
				<Text bold color="magenta">
					todo-deploy
				</Text>
				<Text dimColor> {subtitle}</Text>
			</Text>
			{children}
		</Box>
	);
}

/** "Finished in 1.2 s." or what a cancel left, with a blank line before it. */
export function Ended({
	durationMs,
	cancelled,
	cancelledText = 'Cancelled',
	after = '',
}: {
	readonly durationMs: number;
	readonly cancelled: boolean;
	readonly cancelledText?: string;
	readonly after?: string;
}) {
	return (
		<Text dimColor>
			{'\n'}
			{cancelled ? cancelledText : 'Finished'} in {formatDuration(durationMs)}.{after ? ` ${after}` : ''}
		</Text>
	);
}
