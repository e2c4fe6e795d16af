// Columns and folds measured as a terminal shows them (string-width, wrap-ansi), not in code units:
// a wide character, an emoji or a colour code never pushes a table out of line.
import stringWidth from 'string-width';
import wrapAnsi from 'wrap-ansi';

/** How many terminal columns the text takes. */
export const columnsOf = (text: string): number => stringWidth(text);

/** The text padded with spaces to width columns (unchanged when it is as wide or wider). */
export function padColumns(text: string, width: number): string {
	const taken = stringWidth(text);
	return taken >= width ? text : `${text}${' '.repeat(width - taken)}`;
}

/** The text folded into lines of at most width columns, at spaces; a word longer than a line stays whole. */
export function fold(text: string, width: number): string[] {
	const folded = wrapAnsi(text.replaceAll(/\s+/g, ' ').trim(), Math.max(1, width), {hard: false, trim: true});
	return folded === '' ? [] : folded.split('\n');
}
