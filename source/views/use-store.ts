// A store's state for a view, re-rendered at most once per interval however fast the engine dispatches.
import {useEffect, useState} from 'react';
import type {Store} from '../engine/store.js';

/**
 * Every action lands in the store at once; the view redraws at most once per interval
 * (k9s and Tilt throttle drawing, not data).
 */
export function useThrottledState<State, Action>(store: Store<State, Action>, intervalMs = 50): State {
	const [state, setState] = useState(store.getState());
	useEffect(() => {
		let timer: NodeJS.Timeout | undefined;
		let last = 0;
		const unsubscribe = store.subscribe(() => {
			if (timer) {
				return;
			}

			const wait = Math.max(0, last + intervalMs - Date.now());
			timer = setTimeout(() => {
				timer = undefined;
				last = Date.now();
				setState(store.getState());
			}, wait);
		});
		setState(store.getState());
		return () => {
			unsubscribe();
			clearTimeout(timer);
		};
	}, [store, intervalMs]);
	return state;
}
