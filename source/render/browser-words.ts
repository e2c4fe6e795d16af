// The browser's addresses in words: each side's URL and what is behind it now, for the plain lines of
// todo-deploy open, the status screen's top line and the end of up.
import type {HeldAddress} from '../engine/browser/hold.js';
import type {Opened} from '../engine/browser/open.js';
import {padColumns} from './columns.js';

export function addressLine(address: HeldAddress): string {
	const head = `${padColumns(address.side, 9)}${address.url}`;
	const {hold} = address;
	switch (hold.state) {
		case 'starting': {
			return `${head}  starting`;
		}

		case 'up': {
			return `${head}  → ${hold.pod}${hold.through ? ` (${hold.through})` : ''}${hold.trouble ? ` (a connection failed: ${hold.trouble})` : ''}`;
		}

		case 'down': {
			return `${head}  down: ${hold.why}`;
		}

		case 'failed': {
			return `${head}  ✖ ${hold.why}`;
		}
	}
}

export function openedWords(opened: Opened, url: string): string {
	return opened.opened ? `Opened ${url} in the browser (${opened.with}).` : `Not opened: ${opened.why}.`;
}

/** What holding the addresses needs of the user, said once. */
export function holdingNote(minikube: boolean): string {
	return `These addresses last while todo-deploy holds them${minikube ? ' (on minikube the node is not reachable from here otherwise, so keep this terminal open, as minikube service does)' : ''}: Ctrl-C stops; todo-deploy open holds them again.`;
}
