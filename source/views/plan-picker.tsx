import {Box, Text, useInput} from 'ink';
import {useState} from 'react';

export type PlanOption = {readonly id: string; readonly label: string; readonly on: boolean};

/** The plan's switchable steps: ↑/↓ to move, space to switch, Enter to go, Esc to stop. */
export function PlanPicker({question, options, onAnswer}: {readonly question: string; readonly options: readonly PlanOption[]; readonly onAnswer: (on: readonly string[] | undefined) => void}) {
	const [cursor, setCursor] = useState(0);
	const [on, setOn] = useState(() => new Set(options.filter(option => option.on).map(option => option.id)));
	const [answered, setAnswered] = useState<'go' | 'stop' | undefined>(undefined);
	useInput((input, key) => {
		if (answered) {
			return;
		}

		if (key.upArrow || input === 'k') {
			setCursor(current => Math.max(0, current - 1));
		} else if (key.downArrow || input === 'j') {
			setCursor(current => Math.min(options.length - 1, current + 1));
		} else if (input === ' ') {
			const id = options[cursor]?.id;
			if (id) {
				setOn(current => {
					const next = new Set(current);
					if (next.has(id)) {
						next.delete(id);
					} else {
						next.add(id);
					}

					return next;
				});
			}
		} else if (key.return || input === 'y') {
			setAnswered('go');
			onAnswer(options.filter(option => on.has(option.id)).map(option => option.id));
		} else if (key.escape || input === 'n' || input === 'q') {
			setAnswered('stop');
			onAnswer(undefined);
		}
	});
	return (
		<Box flexDirection="column">
			<Text><Text color="cyan">? </Text><Text bold>{question}</Text></Text>
			{options.map((option, index) => (
				<Text key={option.id}>
					<Text color="cyan">{!answered && index === cursor ? '›' : ' '}</Text>
					<Text color={on.has(option.id) ? 'green' : undefined} dimColor={!on.has(option.id)}> [{on.has(option.id) ? 'x' : ' '}] {option.label}</Text>
				</Text>
			))}
			<Text dimColor>{answered === 'go' ? '  going ahead' : answered === 'stop' ? '  stopped; nothing was changed' : '  ↑/↓ move · space switches a step · Enter goes · Esc stops'}</Text>
		</Box>
	);
}
