// Watch mode after the wizard (up --watch, dev): on a terminal, the status screen with the change being
// shipped above it; without one, a line per change. Ctrl-C (or q) stops watching; the release stays.
import type {DevBase} from '../engine/dev/run.js';
import type {Env} from '../engine/system.js';
import type {Outcome} from '../engine/outcome.js';
import {createStore} from '../engine/store.js';
import type {UpRequest} from '../engine/up/stage.js';
import type {AddressRequest} from '../engine/browser/session.js';
import type {Mode} from './io.js';
import {runWithScreens} from './runner.js';
import {showStatus, type StatusWhere} from './status-screen.js';

export async function watchChanges(
	env: Env,
	mode: Mode,
	base: DevBase,
	request: UpRequest,
	where: StatusWhere,
	/** The release whose browser addresses are held (on the live screen, or in lines); open: the browser opens once they answer. */
	addresses?: AddressRequest & {readonly open?: boolean | undefined},
): Promise<Outcome> {
	const [{startDev}, {devReducer, initialDevState}, {renderDevPlain}, {holdWithLines}] = await Promise.all([
		import('../engine/dev/run.js'),
		import('../engine/dev/state.js'),
		import('../render/dev-words.js'),
		import('./hold-addresses.js'),
	]);
	const store = createStore(devReducer, initialDevState);
	if (mode === 'interactive') {
		const controller = new AbortController();
		const session = await startDev(base, request, store, controller.signal);
		try {
			await showStatus(env, where, {
				mode,
				once: false,
				dev: store,
				addresses,
				open: addresses?.open,
				bundle: where.release ? {env, root: request.root, release: where.release, choice: where} : undefined,
			});
		} finally {
			session.close();
			controller.abort();
			await session.idle();
		}

		return {failure: undefined};
	}

	await runWithScreens(mode, {plain: (out, progress) => renderDevPlain(store, out, progress)}, async signal => {
		const session = await startDev(base, request, store, signal);
		// The browser's addresses are held here too, a line each time one changes, through every save's rollout.
		const held = addresses
			? await holdWithLines(base.system, base, {...addresses, namespace: base.target.namespace, browser: addresses.open ?? false, mode}, () => undefined)
			: undefined;
		await new Promise<void>(resolve => {
			signal.addEventListener('abort', () => resolve(), {once: true});
		});
		session.close();
		await Promise.all([session.idle(), held?.stop()]);
	});
	// Ctrl-C is how watch mode ends: the last good release keeps running.
	process.stdout.write('Stopped watching; the last release that got ready keeps running.\n');
	return {failure: undefined};
}
