// The status screen as commands open it: one snapshot (--once, --json, no terminal) or the live screen until q.
import {chosenContext, type ClusterChoice} from '../engine/cluster-target.js';
import type {PodChoice} from '../engine/cluster.js';
import type {DevAction, DevState} from '../engine/dev/state.js';
import {localSystem, type Env} from '../engine/system.js';
import type {BundleWhere} from './bundle.js';
import type {Store} from '../engine/store.js';
import {statusOutcome} from '../engine/status/snapshot.js';
import type {StatusSession} from '../engine/status/session.js';
import type {AddressRequest} from '../engine/browser/session.js';
import {statusLines} from '../render/status-words.js';
import {writeErr, writeJson, writeOut, type Mode} from './io.js';
import {runWithScreens} from './runner.js';

/** The cluster choice (resolved when the screen opens) and the pods to show. */
export type StatusWhere = ClusterChoice & PodChoice;

/** The live screen until q (or Ctrl-C); every pod ready or not, as the outcome. */
async function liveScreen(session: StatusSession, mode: Mode, options: LiveOptions) {
	const {dev, addresses} = options;
	session.follow();
	if (addresses) {
		void session.holdAddresses(addresses).catch((error: unknown) =>
			session.store.dispatch({
				type: 'status/notice',
				text: `The browser's addresses could not be held: ${error instanceof Error ? error.message : String(error)}`,
			}),
		);
	}

	// up --open: the browser opens once every address answers.
	const stopOpening = options.open
		? session.store.subscribe(() => {
				const state = session.store.getState();
				if (!state.browser && state.addresses.length > 0 && state.addresses.every(address => address.hold.state === 'up')) {
					stopOpening?.();
					session.openBrowser();
				}
			})
		: undefined;
	let quit: () => void = () => undefined;
	const {cancelled} = await runWithScreens(
		mode,
		{
			async interactive() {
				const {StatusApp} = await import('../views/status-app.js');
				return (
					<StatusApp
						store={session.store}
						context={session.context}
						namespace={session.namespace}
						onLogs={(pod, container, previous) => session.showLogs(pod, container, previous)}
						onRestart={pod => session.restart(pod)}
						onFollow={(pod, container) => session.followLogs(pod, container)}
						onForward={session.forwards.start}
						onStopForward={session.forwards.stop}
						onQuit={() => quit()}
						onBrowser={addresses ? () => session.openBrowser() : undefined}
						onBundle={() => bundleFromScreen(session, options)}
						dev={dev}
					/>
				);
			},
		},
		async signal =>
			new Promise<void>(resolve => {
				quit = resolve;
				signal.addEventListener('abort', () => resolve(), {once: true});
			}),
	);
	stopOpening?.();
	session.close();
	return cancelled ? {failure: 'cancelled' as const} : statusOutcome(session.current());
}

/** B on the live screen: the bundle written in the background, its path (or why not) as the screen's notice. */
function bundleFromScreen(session: StatusSession, options: LiveOptions): void {
	const where = options.bundle;
	const say = (text: string) => session.store.dispatch({type: 'status/notice', text});
	if (!where) {
		say('A bundle needs the project: run todo-deploy bundle in its folder.');
		return;
	}

	say('Writing a bundle to share (the doctor, the logs, the pods that are not ready, helm), every secret masked…');
	void import('./bundle.js')
		.then(async ({writeBundleNow}) => writeBundleNow(where.env, where))
		.then(
			made => say(`Bundle written: ${made.path} (${made.masked.length} secret${made.masked.length === 1 ? '' : 's'} masked); share it as it is.`),
			(error: unknown) => say(`The bundle could not be written: ${error instanceof Error ? error.message : String(error)}`),
		);
}

type LiveOptions = {
	/** Where B writes a bundle from: the project, the release and the cluster of this screen. */
	readonly bundle?: (BundleWhere & {readonly env: Env}) | undefined;
	readonly dev?: Store<DevState, DevAction> | undefined;
	/** The release whose browser addresses the screen holds while it is open. */
	readonly addresses?: AddressRequest | undefined;
	/** Open the browser once every address answers (up --open). */
	readonly open?: boolean | undefined;
};

/** The session once it is open, with a screen that says what it waits for; undefined when q was pressed first. */
async function whileConnecting(opening: Promise<StatusSession>, where: StatusWhere): Promise<StatusSession | undefined> {
	const [{render}, {Connecting}] = await Promise.all([import('ink'), import('../views/connecting.js')]);
	let quit: () => void = () => undefined;
	const quitting = new Promise<undefined>(resolve => {
		quit = () => resolve(undefined);
	});
	const app = render(<Connecting what={`Connecting to ${chosenContext(where) ?? 'the current context'} (${where.namespace})…`} onQuit={() => quit()} />, {
		exitOnCtrlC: false,
	});
	try {
		return await Promise.race([opening, quitting]);
	} finally {
		app.unmount();
		await app.waitUntilExit();
	}
}

/** Opens the namespace's status: one snapshot (--once, --json, no terminal) or the live screen. */
export async function showStatus(env: Env, where: StatusWhere, options: {readonly mode: Mode; readonly once: boolean} & LiveOptions) {
	const {openStatus} = await import('../engine/status/session.js');
	const live = options.mode === 'interactive' && !options.once;
	let session: StatusSession;
	try {
		const opening = openStatus(localSystem(env), where, {live});
		const opened = live ? await whileConnecting(opening, where) : await opening;
		if (!opened) {
			void opening.then(
				late => late.close(),
				() => undefined,
			);
			return {failure: 'cancelled' as const};
		}

		session = opened;
	} catch (error) {
		writeErr(`todo-deploy: ${error instanceof Error ? error.message : String(error)}\n`);
		return {failure: 'environment' as const};
	}

	if (live) {
		return liveScreen(session, options.mode, options);
	}

	const snapshot = await session.snapshot();
	session.close();
	await (options.mode === 'json' ? writeJson(snapshot) : writeOut(`${statusLines(snapshot).join('\n')}\n`));
	return statusOutcome(snapshot);
}
