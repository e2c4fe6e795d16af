// One yes/no question on its own, outside a flow.
import {useApp} from 'ink';
import {Confirm} from './confirm.js';

/** One yes/no question on its own, for commands that are otherwise plain output. */
export function Question({question, onAnswer}: {readonly question: string; readonly onAnswer: (yes: boolean) => void}) {
	const {exit} = useApp();
	return (
		<Confirm
			question={question}
			onAnswer={yes => {
				onAnswer(yes);
				exit();
			}}
		/>
	);
}
