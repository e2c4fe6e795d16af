// One row of a screen: a mark, a title column, the text, the time. On a narrow terminal (below
// narrowColumns) the columns cannot all fit, so the row is stacked instead: mark, title and time on
// the first line, the text under it. Nothing ever overlaps, whatever the width.
import {Box} from 'ink';
import type {ReactNode} from 'react';
import {useTerminalSize} from './terminal-size.js';

export const narrowColumns = 60;

/** Whether the screen is too narrow for columns (the stacked layout). */
export function useNarrow(): boolean {
	return useTerminalSize().columns < narrowColumns;
}

export function Row({
	mark,
	title,
	titleWidth,
	text,
	time,
}: {
	readonly mark: ReactNode;
	readonly title: ReactNode;
	readonly titleWidth: number;
	readonly text: ReactNode;
	readonly time?: ReactNode;
}) {
	const narrow = useNarrow();
	if (narrow) {
		return (
			<Box flexDirection="column">
				<Box>
					<Box flexShrink={0} width={2}>
						{mark}
					</Box>
					<Box flexGrow={1} flexShrink={1}>
						{title}
					</Box>
					{time ? <Box flexShrink={0}>{time}</Box> : null}
				</Box>
				<Box marginLeft={2}>{text}</Box>
			</Box>
		);
	}

	return (
		<Box>
			<Box flexShrink={0} width={2}>
				{mark}
			</Box>
			<Box flexShrink={0} width={titleWidth}>
				{title}
			</Box>
			<Box flexGrow={1} flexShrink={1}>
				{text}
			</Box>
			{time ? (
				<Box flexShrink={0} marginLeft={1}>
					{time}
				</Box>
			) : null}
		</Box>
	);
}

/** The indent of what goes under a row's text (a detail, a fix): under the text, or under the title when stacked. */
export function useUnderText(titleWidth: number): number {
	return useNarrow() ? 2 : titleWidth + 2;
}
