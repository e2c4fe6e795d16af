// The status screen's port-forward: one at a time, its state in the store, and what went wrong said
// as something to do. The tunnel itself is the adapter's (kubectl port-forward).
import type {Store} from '../store.js';
import type {StatusAction} from './actions.js';
import type {StatusState} from './reducer.js';

export type Forwarder = (
	pod: string,
	remote: number,
	local: number | undefined,
	events: {onTrouble(message: string): void; onEnd(message: string): void},
) => Promise<{readonly url: string; stop(): void}>;

export type PortForwards = {
	/** Forwards a local port (undefined: any free one) to the pod's port, in place of any running forward. */
	start(pod: string, remote: number, local: number | undefined): void;
	/** Stops the running forward, if any. */
	stop(): void;
};

/** kubectl's words for a connection that failed inside the tunnel, as something to check. */
export function explainForwardTrouble(message: string, pod: string, remote: number): string {
	if (/connection refused/i.test(message)) {
		return `nothing listens on port ${remote} in ${pod} (connection refused): check the container's port, and that the app has started`;
	}

	if (/timed out|timeout/i.test(message)) {
		return `port ${remote} in ${pod} did not answer (timed out)`;
	}

	return message;
}

export function createPortForwards(store: Store<StatusState, StatusAction>, forwarder: Forwarder): PortForwards {
	let running: {stop(): void} | undefined;
	// Answers for a forward that was replaced or stopped in the meantime are ignored.
	let attempt = 0;
	const halt = () => {
		attempt++;
		running?.stop();
		running = undefined;
	};

	return {
		start(pod, remote, local) {
			halt();
			const mine = attempt;
			let trouble: string | undefined;
			store.dispatch({type: 'status/forward', forward: {state: 'starting', pod, remote, local}});
			forwarder(pod, remote, local, {
				onTrouble(message) {
					if (mine !== attempt) {
						return;
					}

					trouble = explainForwardTrouble(message, pod, remote);
					const {forward} = store.getState();
					if (forward?.state === 'running') {
						store.dispatch({type: 'status/forward', forward: {...forward, trouble}});
					}
				},
				onEnd(message) {
					if (mine !== attempt) {
						return;
					}

					running = undefined;
					store.dispatch({
						type: 'status/forward',
						forward: {state: 'failed', pod, remote, message: trouble ? `${trouble}; kubectl stopped forwarding` : message},
					});
				},
			}).then(
				started => {
					if (mine !== attempt) {
						started.stop();
						return;
					}

					running = started;
					store.dispatch({type: 'status/forward', forward: {state: 'running', pod, remote, url: started.url}});
				},
				(error: unknown) => {
					if (mine === attempt) {
						store.dispatch({type: 'status/forward', forward: {state: 'failed', pod, remote, message: error instanceof Error ? error.message : String(error)}});
					}
				},
			);
		},
		stop() {
			const {forward} = store.getState();
			halt();
			if (forward) {
				store.dispatch({type: 'status/forward', forward: undefined});
				if (forward.state !== 'failed') {
					store.dispatch({type: 'status/notice', text: `port-forward to ${forward.pod}:${forward.remote} stopped`});
				}
			}
		},
	};
}
