// A yes/no question in a flow row: y or Enter says yes, n or Esc says no; answered once.
import {Text, useInput} from 'ink';
import {useRef, useState} from 'react';

/** A yes/no question: y or Enter says yes, n or Esc says no. Answers once. */
export function Confirm({question, onAnswer}: {readonly question: string; readonly onAnswer: (yes: boolean) => void}) {
	const [answered, setAnswered] = useState<boolean | undefined>(undefined);
	// Answered once, even when a second key comes before the frame that shows the first answer.
	const once = useRef(false);
	useInput((input, key) => {
		if (once.current) {
			return;
		}

		const yes = input === 'y' || input === 'Y' || key.return;
		const no = input === 'n' || input === 'N' || key.escape;
		if (yes || no) {
			once.current = true;
			setAnswered(yes);
			onAnswer(yes);
		}
	});
	return (
		<Text>
			<Text color="cyan">? </Text>
			<Text bold>{question}</Text>
			<Text dimColor> {answered === undefined ? '(Y/n)' : answered ? 'yes' : 'no'}</Text>
		</Text>
	);
}
