// The wizard's plan as a checklist: the steps that can be switched off, chosen with the arrows and space.
import {Box, Text, useInput} from 'ink';
import {useRef, useState} from 'react';

export type PlanOption = {readonly id: string; readonly label: string; readonly on: boolean};

/** The plan's switchable steps: ↑/↓ to move, space to switch, Enter to go, Esc to stop. */
export function PlanPicker({
	question,
	options,
	onAnswer,
}: {
	readonly question: string;
	readonly options: readonly PlanOption[];
	readonly onAnswer: (on: readonly string[] | undefined) => void;
}) {
	const [view, setView] = useState(() => ({
		cursor: 0,
		on: new Set(options.filter(option => option.on).map(option => option.id)),
		answered: undefined as 'go' | 'stop' | undefined,
	}));
	// The latest choice lives in a ref (a copy of the first view): keys typed faster than a frame is drawn all count.
	const picker = useRef({...view, on: new Set(view.on)});
	const redraw = () => setView({...picker.current, on: new Set(picker.current.on)});
	useInput((input, key) => {
		const current = picker.current;
		if (current.answered) {
			return;
		}

		if (key.upArrow || input === 'k') {
			current.cursor = Math.max(0, current.cursor - 1);
		} else if (key.downArrow || input === 'j') {
			current.cursor = Math.min(options.length - 1, current.cursor + 1);
		} else if (input === ' ') {
			const id = options[current.cursor]?.id;
			if (id && !current.on.delete(id)) {
				current.on.add(id);
			}
		} else if (key.return || input === 'y') {
			current.answered = 'go';
			onAnswer(options.filter(option => current.on.has(option.id)).map(option => option.id));
		} else if (key.escape || input === 'n' || input === 'q') {
			current.answered = 'stop';
			onAnswer(undefined);
		} else {
			return;
		}

		redraw();
	});
	return (
		<Box flexDirection="column">
			<Text>
				<Text color="cyan">? </Text>
				<Text bold>{question}</Text>
			</Text>
			{options.map((option, index) => (
				<Text key={option.id}>
					<Text color="cyan">{!view.answered && index === view.cursor ? '›' : ' '}</Text>
					<Text color={view.on.has(option.id) ? 'green' : undefined} dimColor={!view.on.has(option.id)}>
						{' '}
						[{view.on.has(option.id) ? 'x' : ' '}] {option.label}
					</Text>
				</Text>
			))}
			<Text dimColor>
				{view.answered === 'go'
					? '  going ahead'
					: view.answered === 'stop'
						? '  stopped; nothing was changed'
						: '  ↑/↓ move · space switches a step · Enter goes · Esc stops'}
			</Text>
		</Box>
	);
}
