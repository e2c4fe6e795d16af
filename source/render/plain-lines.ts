// Plain output's one shape: results once on stdout as they end, what is going on on stderr at most
// every few seconds per thing, so a log stays readable and CI shows that the run is alive.
import type {Store} from '../engine/store.js';

export type PlainSay = {
	/** A result line (stdout). */
	out(text: string): void;
	/** What `key` is doing now (stderr); `throttle` lets it through only every intervalMs. */
	progress(key: string, text: string, throttle?: boolean): void;
};

export type PlainRenderer<State, Action> = (
	store: Store<State, Action>,
	out: (text: string) => void,
	progress: (text: string) => void,
	intervalMs?: number,
) => () => void;

export function plainRenderer<State, Action>(onAction: (state: State, action: Action, say: PlainSay) => void): PlainRenderer<State, Action> {
	return (store, out, progress, intervalMs = 3000) => {
		const last = new Map<string, number>();
		const say: PlainSay = {
			out: text => out(text.endsWith('\n') ? text : `${text}\n`),
			progress(key, text, throttle = true) {
				const now = Date.now();
				if (!throttle || now - (last.get(key) ?? 0) >= intervalMs) {
					last.set(key, now);
					progress(text.endsWith('\n') ? text : `${text}\n`);
				}
			},
		};
		return store.subscribe((state, action) => onAction(state, action, say));
	};
}
