// Keys typed into an Ink app rendered by ink-testing-library, and a wait for its frame to follow.
import type {render} from 'ink-testing-library';

export const keys = {
	down: '\u001B[B',
	up: '\u001B[A',
	left: '\u001B[D',
	right: '\u001B[C',
	enter: '\r',
	escape: '\u001B',
	backspace: '\u007F',
};

export const settle = async (ms = 100) => new Promise(resolve => setTimeout(resolve, ms));

/** The app's last frame, and typing: each input a keypress apart, then a wait for the frame (settleMs). */
export function keyboard(app: ReturnType<typeof render>, settleMs = 100) {
	return {
		frame: () => app.lastFrame() ?? '',
		async type(...input: string[]) {
			for (const text of input) {
				app.stdin.write(text);
				await settle(30);
			}

			await settle(settleMs);
		},
	};
}
