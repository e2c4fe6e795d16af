// The wizard's own rows in words.
import type {UpStepSummary} from '../engine/up/step-summary.js';
import {describeTarget} from './images-words.js';

/** 'kind cluster "todo" (context kind-todo), started with kind create cluster … Note: …'. */
export function clusterWords(summary: UpStepSummary): string {
	return [
		`${describeTarget(summary.destination)} (context ${summary.context})${summary.started ? `, started with ${summary.started}` : ''}`,
		...summary.notes,
	].join(' Note: ');
}

/**
 * The end of a wizard that worked: first the URL to open, then that the app's own sign-up is the way in,
 * the live screen, and how to get the addresses back later.
 */
export function upSucceededWords(run: {
	readonly namespace: string;
	readonly report: string;
	readonly frontend: string | undefined;
	readonly live: boolean;
	/** verify ran (and passed): without it, the end says so and how to run it. */
	readonly verified: boolean;
}): string {
	const open = run.frontend
		? `Open ${run.frontend} in your browser: sign up in the app (its own sign-up is the way in) and add a todo. ${run.live ? 'The live screen below holds that address while it is open; later, ' : ''}todo-deploy open -n ${run.namespace} holds it again.`
		: `The todo app runs in ${run.namespace}.`;
	const checked = run.verified ? 'Verified' : `Not verified (--skip verify): todo-deploy verify -n ${run.namespace} checks it`;
	return `${open} ${checked}; report: ${run.report}. Live screen: todo-deploy status -n ${run.namespace}`;
}
