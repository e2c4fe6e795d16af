// A masked prompt: what is typed is kept (never shown), Enter answers, Esc leaves it empty.
import {Text, useInput} from 'ink';
import {useRef, useState} from 'react';

/** A secret typed without showing it: one dot a character; Enter gives it, Esc or an empty Enter skips. */
export function SecretInput({question, onAnswer}: {readonly question: string; readonly onAnswer: (value: string) => void}) {
	// The value typed so far lives in a ref: keys typed (or pasted, then Enter) faster than a frame is drawn all count.
	const typed = useRef({value: '', done: false});
	const [view, setView] = useState({length: 0, done: false, given: false});
	useInput((input, key) => {
		const current = typed.current;
		if (current.done) {
			return;
		}

		if (key.return || key.escape) {
			current.done = true;
			if (key.escape) {
				current.value = '';
			}

			setView({length: current.value.length, done: true, given: current.value !== ''});
			onAnswer(current.value);
			return;
		}

		if (key.backspace || key.delete) {
			current.value = current.value.slice(0, -1);
		} else if (!key.ctrl && !key.meta && input) {
			// A paste arrives as one input; line breaks in it are not part of a key.
			current.value += input.replace(/[\r\n]/g, '');
		} else {
			return;
		}

		setView({length: current.value.length, done: false, given: false});
	});
	return (
		<Text>
			<Text color="cyan">? </Text>
			<Text bold>{question} </Text>
			<Text>{'•'.repeat(Math.min(view.length, 40))}</Text>
			<Text dimColor>{view.done ? (view.given ? ' (given)' : ' (skipped)') : ' (Enter to give, Esc to skip)'}</Text>
		</Text>
	);
}
