// When an Ink app ends: once its state says it is done, or on Ctrl-C (which cancels the run).
import {useApp, useInput} from 'ink';
import {useEffect} from 'react';

/** Ends the Ink app after the frame in which `done` became true has been drawn. */
export function useExitWhen(done: boolean): void {
	const {exit} = useApp();
	useEffect(() => {
		if (done) {
			exit();
		}
	}, [done, exit]);
}

/** The terminal is in raw mode, so Ctrl-C arrives as a key: it cancels the run, which then ends the app. */
export function useCancelKey(onCancel: (() => void) | undefined): void {
	useInput((input, key) => {
		if (key.ctrl && input === 'c') {
			onCancel?.();
		}
	});
}
