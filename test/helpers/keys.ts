// Keys typed into an Ink app rendered by ink-testing-library, each followed by a wait for what it
// should do (a frame, a call): never a fixed sleep, so a loaded machine only makes a test slower.
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

/** A frame to wait for (a pattern it matches, or a test of it), or any other condition the test can read. */
export type Expectation = RegExp | ((frame: string) => boolean);

/** How long a frame or a condition may take before the test fails with what it waited for. */
const defaultTimeoutMs = 10_000;

/** Polls until holds() is true, or throws after the deadline with what was awaited and, on a screen, its last frame. */
export async function waitUntil(holds: () => boolean, what: string, options: {timeoutMs?: number; lastFrame?: () => string} = {}): Promise<void> {
	const deadline = Date.now() + (options.timeoutMs ?? defaultTimeoutMs);
	while (!holds()) {
		if (Date.now() > deadline) {
			const frame = options.lastFrame?.();
			throw new Error(`waited ${options.timeoutMs ?? defaultTimeoutMs} ms for ${what}${frame === undefined ? '' : `; the last frame:\n${frame}`}`);
		}

		await new Promise(resolve => setTimeout(resolve, 5));
	}
}

/** Lets React run the effects of the frame just drawn (a prompt subscribes to the keys in one), without waiting a fixed time. */
async function effectsRun(): Promise<void> {
	for (let turn = 0; turn < 3; turn++) {
		await new Promise(resolve => setImmediate(resolve));
	}
}

const describe = (expectation: Expectation) => (expectation instanceof RegExp ? `a frame matching ${String(expectation)}` : 'the expected frame');

/** The app's frames, a wait for one, and keys that each wait for their effect. */
export function keyboard(app: ReturnType<typeof render>) {
	const frame = () => app.lastFrame() ?? '';
	const matches = (expectation: Expectation) => (expectation instanceof RegExp ? () => expectation.test(frame()) : () => expectation(frame()));

	/** Waits for a frame; returns it. */
	const waitForFrame = async (expectation: Expectation, timeoutMs?: number): Promise<string> => {
		await waitUntil(matches(expectation), describe(expectation), {timeoutMs, lastFrame: frame});
		await effectsRun();
		return frame();
	};

	/** Waits for anything the test can check (a call the app made, a promise settled), with the frame in the failure. */
	const waitFor = async (holds: () => boolean, what: string, timeoutMs?: number): Promise<void> => {
		await waitUntil(holds, what, {timeoutMs, lastFrame: frame});
		await effectsRun();
	};

	return {
		frame,
		waitForFrame,
		waitFor,
		/** Types without waiting: keys typed ahead of the frames, or a key whose effect the test awaits itself (an answer). */
		write(...input: string[]): void {
			for (const text of input) {
				app.stdin.write(text);
			}
		},
		/** Types one key (or a pasted text) and waits for the frame that shows its effect. */
		async press(input: string, expectation: Expectation): Promise<string> {
			app.stdin.write(input);
			return waitForFrame(expectation);
		},
		/** Types one key and waits for a condition that is not on the screen (a call the app made). */
		async pressUntil(input: string, holds: () => boolean, what: string): Promise<void> {
			app.stdin.write(input);
			await waitFor(holds, what);
		},
	};
}

/** Whether a promise has settled, for a wait on an answer. */
export function settledFlag<T>(promise: Promise<T>): {readonly settled: () => boolean; readonly value: Promise<T>} {
	let done = false;
	const value = promise.finally(() => {
		done = true;
	});
	return {settled: () => done, value};
}
