// The browser's addresses held without a screen (todo-deploy open, the end of up --open without a
// terminal): a line each time one changes, {"urls": …} once with --json, the browser opened once
// every address answers, and held until Ctrl-C.
import type {Cluster, ClusterTarget} from '../engine/cluster.js';
import type {Outcome} from '../engine/outcome.js';
import type {System} from '../engine/system.js';
import type {AppContract} from '../engine/project/read-contract.js';
import type {AddressesHeld} from '../engine/browser/session.js';
import {out, writeErr, writeJson, writeOut, type Mode} from './io.js';
import {runWithScreens} from './runner.js';

export type HoldPlainRequest = {
	readonly root: string;
	readonly contract: AppContract;
	readonly release: string;
	readonly namespace: string;
	/** Open the browser at the frontend once every address answers. */
	readonly browser: boolean;
	readonly mode: Mode;
};

/**
 * Holds the release's addresses, saying each side's line when it changes (on stdout; {"urls": …} once
 * with --json), the note once every address answers, and opening the browser then when asked.
 * onFailed: a port that cannot be held at all.
 */
export async function holdWithLines(
	system: System,
	reached: {readonly cluster: Cluster; readonly target: ClusterTarget},
	request: HoldPlainRequest,
	onFailed: () => void,
): Promise<AddressesHeld> {
	const {mode} = request;
	const [{holdReleaseAddresses, everyAddressUp, urlsOf}, {openBrowser}, {addressLine, holdingNote, openedWords}] = await Promise.all([
		import('../engine/browser/session.js'),
		import('../engine/browser/open.js'),
		import('../render/browser-words.js'),
	]);
	const {cluster, target} = reached;
	let announced = false;
	const said = new Map<string, string>();
	const held = await holdReleaseAddresses(system, cluster, target, {root: request.root, contract: request.contract, release: request.release}, addresses => {
		// Each side's line when it changes.
		for (const address of mode === 'json' ? [] : addresses) {
			const line = addressLine(address);
			if (said.get(address.side) !== line) {
				said.set(address.side, line);
				out(`${line}\n`);
			}
		}

		if (addresses.some(address => address.hold.state === 'failed')) {
			onFailed();
		} else if (!announced && everyAddressUp(addresses)) {
			announced = true;
			void (async () => {
				if (mode === 'json') {
					await writeJson({urls: urlsOf(addresses)});
				} else {
					out(`${holdingNote(target.local?.type === 'minikube')}\n`);
				}

				const frontend = addresses.find(address => address.side === 'frontend');
				if (frontend && request.browser) {
					const opened = await openBrowser(system, frontend.url);
					(mode === 'json' ? writeErr : out)(`${openedWords(opened, frontend.url)}\n`);
				}
			})();
		}
	});
	if (held.missing.length > 0) {
		writeErr(
			`todo-deploy: the release ${request.release} in ${request.namespace} has no Service for the ${held.missing.join(' or the ')}: is it deployed? (todo-deploy deploy -n ${request.namespace})\n`,
		);
	}

	return held;
}

export async function holdInPlainLines(
	system: System,
	reached: {readonly cluster: Cluster; readonly target: ClusterTarget},
	request: HoldPlainRequest,
): Promise<Outcome> {
	const ending = {failed: false};
	const {value} = await runWithScreens(request.mode, {}, async signal => {
		let ended: () => void = () => undefined;
		const done = new Promise<void>(resolve => {
			ended = resolve;
			signal.addEventListener('abort', () => resolve(), {once: true});
		});
		const held = await holdWithLines(system, reached, request, () => {
			ending.failed = true;
			ended();
		});
		if (held.addresses().length === 0) {
			await held.stop();
			return 'nothing';
		}

		await done;
		await held.stop();
		return 'held';
	});
	if (value === 'nothing') {
		return {failure: 'fix-first'};
	}

	if (ending.failed) {
		return {failure: 'environment'};
	}

	// Ctrl-C is how holding ends: the release keeps running.
	if (request.mode !== 'json') {
		await writeOut('Stopped holding the addresses; the release keeps running (todo-deploy open holds them again).\n');
	}

	return {failure: undefined};
}
