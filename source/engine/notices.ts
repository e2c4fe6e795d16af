// What the engine has to tell the person outside any step (a damaged file moved aside): kept here and
// said once, on stderr, when the command ends.
const pending: string[] = [];

export function notice(text: string): void {
	if (!pending.includes(text)) {
		pending.push(text);
	}
}

/** The notices not said yet; each is said once. */
export function drainNotices(): string[] {
	return pending.splice(0);
}
