// The terminal's columns and rows, following a resize.
import {useStdout} from 'ink';
import {useSyncExternalStore} from 'react';

type Size = {readonly columns: number; readonly rows: number};

/** One resize listener per stream, however many components read the size (many rows, one screen). */
const watched = new WeakMap<NodeJS.WriteStream, {size: Size; listeners: Set<() => void>}>();

function watch(stdout: NodeJS.WriteStream) {
	let entry = watched.get(stdout);
	if (!entry) {
		const read = (): Size => ({columns: stdout.columns || 80, rows: stdout.rows || 40});
		const fresh: {size: Size; listeners: Set<() => void>} = {size: read(), listeners: new Set()};
		stdout.on('resize', () => {
			fresh.size = read();
			for (const listener of fresh.listeners) {
				listener();
			}
		});
		watched.set(stdout, fresh);
		entry = fresh;
	}

	return entry;
}

/** The terminal's size, drawn again when the window is resized (Ink redraws, but does not re-render components). */
export function useTerminalSize(): Size {
	const stdout = useStdout().stdout as NodeJS.WriteStream;
	const entry = watch(stdout);
	return useSyncExternalStore(
		listener => {
			entry.listeners.add(listener);
			return () => entry.listeners.delete(listener);
		},
		() => entry.size,
	);
}
