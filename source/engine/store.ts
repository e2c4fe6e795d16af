// One store: dispatch(action) -> reducer -> subscribers. Subscribers may read and dispatch, never mutate.
export type Reducer<State, Action> = (state: State, action: Action) => State;
export type Listener<State, Action> = (state: State, action: Action) => void;

export type Store<State, Action> = {
	getState(): State;
	dispatch(action: Action): void;
	subscribe(listener: Listener<State, Action>): () => void;
};

export function createStore<State, Action>(reducer: Reducer<State, Action>, initial: State): Store<State, Action> {
	let state = initial;
	const listeners = new Set<Listener<State, Action>>();
	const queue: Action[] = [];
	let dispatching = false;

	return {
		getState: () => state,
		dispatch(action) {
			queue.push(action);
			// A listener that dispatches gets its action applied after the current one, in order.
			if (dispatching) {
				return;
			}

			dispatching = true;
			try {
				while (queue.length > 0) {
					const next = queue.shift() as Action;
					const previous = state;
					state = reducer(state, next);
					if (state !== previous) {
						for (const listener of [...listeners]) {
							listener(state, next);
						}
					}
				}
			} finally {
				dispatching = false;
			}
		},
		subscribe(listener) {
			listeners.add(listener);
			return () => {
				listeners.delete(listener);
			};
		},
	};
}
