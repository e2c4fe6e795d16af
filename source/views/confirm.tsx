import {Text, useInput} from 'ink';
import {useState} from 'react';

/** A yes/no question: y or Enter says yes, n or Esc says no. Answers once. */
export function Confirm({question, onAnswer}: {readonly question: string; readonly onAnswer: (yes: boolean) => void}) {
	const [answered, setAnswered] = useState<boolean | undefined>(undefined);
	useInput((input, key) => {
		if (answered !== undefined) {
			return;
		}

		const yes = input === 'y' || input === 'Y' || key.return;
		const no = input === 'n' || input === 'N' || key.escape;
		if (yes || no) {
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
