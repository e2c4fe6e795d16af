// One runner for every command's three modes: the live screen on a terminal (Ink, loaded only then),
// plain lines elsewhere, or nothing while it runs (JSON is printed by the command at the end).
// It owns the signals: Ctrl-C on the screen, SIGINT and SIGTERM anywhere, all abort the same run.
import type {ReactElement} from 'react';
import type {Mode} from './io.js';

export type Screens = {
	/** The live screen, built only when there is a terminal; onCancel is what Ctrl-C on it calls. */
	readonly interactive?: ((controls: {readonly onCancel: () => void}) => Promise<ReactElement>) | undefined;
	/** Plain lines: subscribes to the run's store, and returns what stops it. */
	readonly plain?: ((out: (text: string) => void, progress: (text: string) => void) => () => void) | undefined;
};

export type Finished<T> = {readonly value: T; readonly cancelled: boolean};

/** The run did not end within the grace after a cancel: the command ends as cancelled without it. */
export class CancelledError extends Error {}

/** How long a cancelled run may take to stop its work before the command ends without it. */
const graceMs = 1500;

/** The run, or a CancelledError once it has ignored a cancel for the grace period. */
async function withinGrace<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const gaveUp = new Promise<never>((_resolve, reject) => {
		const start = () => {
			timer = setTimeout(() => reject(new CancelledError('cancelled')), graceMs);
			timer.unref();
		};

		if (signal.aborted) {
			start();
		} else {
			signal.addEventListener('abort', start, {once: true});
		}
	});
	try {
		return await Promise.race([work, gaveUp]);
	} finally {
		clearTimeout(timer);
	}
}

/**
 * Whether what was written to stdout since ends its last line. Ink draws a frame as tall as the terminal
 * without a newline after it, so whatever is printed after the screen would start on its last line.
 */
function watchLineEnd(): {readonly ended: () => boolean; readonly stop: () => void} {
	const write = process.stdout.write.bind(process.stdout);
	let ended = true;
	process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
		// eslint-disable-next-line no-control-regex
		const text = String(chunk).replaceAll(/\u001B\[[0-?]*[ -/]*[@-~]|\u001B\][^\u0007]*\u0007/g, '');
		if (text !== '') {
			ended = text.endsWith('\n');
		}

		return write(chunk, ...rest);
	}) as typeof process.stdout.write;
	return {
		ended: () => ended,
		stop() {
			process.stdout.write = write;
		},
	};
}

/**
 * Runs the engine with the mode's screen. The screen ends itself when the state it shows has ended
 * (a view's own rule); the runner waits for that, so the last frame is drawn before anything else.
 */
export async function runWithScreens<T>(mode: Mode, screens: Screens, run: (signal: AbortSignal) => Promise<T>): Promise<Finished<T>> {
	const controller = new AbortController();
	const cancel = () => {
		controller.abort();
	};

	process.on('SIGINT', cancel);
	process.on('SIGTERM', cancel);
	try {
		if (mode === 'interactive' && screens.interactive) {
			const [{render}, element] = await Promise.all([import('ink'), screens.interactive({onCancel: cancel})]);
			const lineEnd = watchLineEnd();
			const app = render(element, {exitOnCtrlC: false});
			let value: T;
			try {
				value = await withinGrace(run(controller.signal), controller.signal);
			} catch (error) {
				app.unmount();
				lineEnd.stop();
				throw error;
			}

			const exited = app.waitUntilExit();
			if (controller.signal.aborted) {
				// A screen that does not end itself on a cancel (SIGTERM while it waits for keys) is ended here,
				// after a moment for its last frame.
				await Promise.race([
					exited,
					new Promise(resolve => {
						setTimeout(resolve, 300).unref();
					}),
				]);
				app.unmount();
			}

			await exited;
			lineEnd.stop();
			if (!lineEnd.ended()) {
				process.stdout.write('\n');
			}

			return {value, cancelled: controller.signal.aborted};
		}

		const stop =
			mode === 'plain'
				? screens.plain?.(
						text => process.stdout.write(text),
						text => process.stderr.write(text),
					)
				: undefined;
		try {
			return {value: await withinGrace(run(controller.signal), controller.signal), cancelled: controller.signal.aborted};
		} finally {
			stop?.();
		}
	} finally {
		process.off('SIGINT', cancel);
		process.off('SIGTERM', cancel);
	}
}
