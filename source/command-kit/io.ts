// Where a command's words go, and how: a live screen on a terminal, plain lines elsewhere, or JSON.
import isInCi from 'is-in-ci';

export type Mode = 'interactive' | 'plain' | 'json';

/** In CI (Ink's own rule, is-in-ci): Ink draws only the last frame there, so plain lines serve better. */
export const inCi = (): boolean => isInCi;

/** A terminal a person can answer on: stdout is a TTY, not in CI, and the terminal can move the cursor. */
export function isInteractive(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
	return Boolean(process.stdout.isTTY) && !inCi() && env['TERM'] !== 'dumb';
}

export function modeOf(json: boolean, env: Readonly<Record<string, string | undefined>> = process.env): Mode {
	return json ? 'json' : isInteractive(env) ? 'interactive' : 'plain';
}

/** Writes to stdout and waits until it is handed to the OS (so an exit after it loses nothing). */
export async function writeOut(text: string): Promise<void> {
	await new Promise<void>(resolve => {
		process.stdout.write(text, () => {
			resolve();
		});
	});
}

export function writeErr(text: string): void {
	process.stderr.write(text);
}

export const out = (text: string) => {
	process.stdout.write(text);
};

export async function writeJson(value: unknown): Promise<void> {
	await writeOut(`${JSON.stringify(value, null, 2)}\n`);
}
