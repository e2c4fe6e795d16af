// While the live screen's first snapshot comes (up to the connect deadline): what it waits for, and
// q or Esc (or Ctrl-C) that stop the wait, so a silent API server never holds a blank screen.
import {Text, useApp, useInput} from 'ink';
import Spinner from 'ink-spinner';
import {Frame} from './frame.js';

export function Connecting({what, onQuit}: {readonly what: string; readonly onQuit: () => void}) {
	const {exit} = useApp();
	useInput((input, key) => {
		if (input === 'q' || key.escape || (key.ctrl && input === 'c')) {
			onQuit();
			exit();
		}
	});
	return (
		<Frame subtitle="status">
			<Text>
				<Text color="cyan">
					<Spinner type="dots" />
				</Text>{' '}
				{what} <Text dimColor>(q quits)</Text>
			</Text>
		</Frame>
	);
}
