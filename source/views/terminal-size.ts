import {useStdout} from 'ink';
import {useEffect, useState} from 'react';

/** The terminal's size, drawn again when the window is resized (Ink redraws, but does not re-render components). */
export function useTerminalSize(): {readonly columns: number; readonly rows: number} {
	const stdout = useStdout().stdout as NodeJS.WriteStream;
	const read = () => ({columns: stdout.columns || 80, rows: stdout.rows || 40});
	const [size, setSize] = useState(read);
	useEffect(() => {
		const onResize = () => {
			setSize(read());
		};

		stdout.on('resize', onResize);
		return () => {
			stdout.off('resize', onResize);
		};
	}, [stdout]);
	return size;
}
