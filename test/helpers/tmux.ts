// Runs a command in a real terminal (tmux) and reads the screen, as a person would see it.
import {execFileSync} from 'node:child_process';

export type Terminal = {
	/** The screen with its scrolled-off history, or (visible: true) only what is on it now. */
	screen(options?: {colors?: boolean; visible?: boolean}): string;
	keys(text: string): void;
	/** A named key, as tmux names them: C-c, Enter, Up. */
	press(key: string): void;
	waitFor(pattern: RegExp, timeoutMs?: number, options?: {visible?: boolean}): Promise<string>;
	/** Resizes the window, as a person dragging its corner. */
	resize(width: number, height: number): void;
	close(): void;
};

let counter = 0;

export function openTerminal(command: string, options: {width?: number; height?: number; env?: Record<string, string>} = {}): Terminal {
	const session = `todo-deploy-test-${process.pid}-${counter++}`;
	const environment = Object.entries(options.env ?? {}).flatMap(([key, value]) => ['-e', `${key}=${value}`]);
	execFileSync('tmux', [
		'new-session',
		'-d',
		'-s',
		session,
		'-x',
		String(options.width ?? 100),
		'-y',
		String(options.height ?? 50),
		...environment,
		`${command}; echo "[exit $?]"; sleep 600`,
	]);
	// The whole history, not only the visible part: long screens scroll.
	const screen = ({colors = false, visible = false} = {}) =>
		execFileSync('tmux', ['capture-pane', '-p', ...(visible ? [] : ['-S', '-500']), ...(colors ? ['-e'] : []), '-t', session], {encoding: 'utf8'});
	return {
		screen,
		keys(text) {
			execFileSync('tmux', ['send-keys', '-t', session, '-l', text]);
		},
		press(key) {
			execFileSync('tmux', ['send-keys', '-t', session, key]);
		},
		async waitFor(pattern, timeoutMs = 15_000, {visible = false} = {}) {
			const deadline = Date.now() + timeoutMs;
			for (;;) {
				const text = screen({visible});
				if (pattern.test(text)) {
					return text;
				}

				if (Date.now() > deadline) {
					throw new Error(`the screen never showed ${String(pattern)}:\n${text}`);
				}

				await new Promise(resolve => setTimeout(resolve, 100));
			}
		},
		resize(width, height) {
			execFileSync('tmux', ['resize-window', '-t', session, '-x', String(width), '-y', String(height)]);
		},
		close() {
			execFileSync('tmux', ['kill-session', '-t', session]);
		},
	};
}
