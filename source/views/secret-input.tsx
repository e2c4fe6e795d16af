import {Text, useInput} from 'ink';
import {useState} from 'react';

/** A secret typed without showing it: one dot a character; Enter gives it, Esc or an empty Enter skips. */
export function SecretInput({question, onAnswer}: {readonly question: string; readonly onAnswer: (value: string) => void}) {
	const [value, setValue] = useState('');
	const [done, setDone] = useState(false);
	useInput((input, key) => {
		if (done) {
			return;
		}

		if (key.return || key.escape) {
			setDone(true);
			onAnswer(key.escape ? '' : value);
			return;
		}

		if (key.backspace || key.delete) {
			setValue(current => current.slice(0, -1));
			return;
		}

		if (!key.ctrl && !key.meta && input) {
			// A paste arrives as one input; line breaks in it are not part of a key.
			setValue(current => current + input.replace(/[\r\n]/g, ''));
		}
	});
	return (
		<Text>
			<Text color="cyan">? </Text>
			<Text bold>{question} </Text>
			<Text>{'•'.repeat(Math.min(value.length, 40))}</Text>
			<Text dimColor>{done ? (value ? ' (given)' : ' (skipped)') : ' (Enter to give, Esc to skip)'}</Text>
		</Text>
	);
}
