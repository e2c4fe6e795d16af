// The wizard's own rows in words.
import type {UpStepSummary} from '../engine/up/step-summary.js';
import type {AddressReach} from '../engine/browser/kind-mapping.js';
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
	/** What keeps the address answering (engine/browser/kind-mapping.ts); held by todo-deploy when not said. */
	readonly reach?: AddressReach | undefined;
	/** verify ran (and passed): without it, the end says so and how to run it. */
	readonly verified: boolean;
	/** What verify found short of the target while the app works for its user (the load check's p95). */
	readonly missed?: string | undefined;
}): string {
	const again = `todo-deploy open -n ${run.namespace}`;
	const minikube =
		run.reach === 'held-minikube'
			? " (minikube's node is not reachable from this machine otherwise, so keep that terminal open, as minikube service does)"
			: '';
	const kept =
		run.reach === 'kind-mapping'
			? `The kind cluster's port mapping serves that address, with todo-deploy closed too; ${again} lists the addresses.`
			: `${run.live ? 'The live screen below holds that address while it is open; later, ' : ''}${again} holds it again${minikube}.`;
	const open = run.frontend
		? `Open ${run.frontend} in your browser: sign up in the app (its own sign-up is the way in) and add a todo. ${kept}`
		: `The todo app runs in ${run.namespace}.`;
	const checked = run.missed
		? `Verified as a user meets it, but ${run.missed}`
		: run.verified
			? 'Verified'
			: `Not verified (--skip verify): todo-deploy verify -n ${run.namespace} checks it`;
	return `${open} ${checked}; report: ${run.report}. Live screen: todo-deploy status -n ${run.namespace}`;
}

/** The load check's miss, for the end of a run whose app works otherwise: "the load target is not met (p95 844 ms over 500 ms)". */
export function loadMissedWords(load: {readonly p95: number; readonly targetP95Ms: number; readonly errors: number} | undefined): string {
	if (!load) {
		return 'the load check did not pass';
	}

	const p95 = `p95 ${load.p95 < 10 ? load.p95.toFixed(1) : Math.round(load.p95)} ms`;
	const errors = load.errors > 0 ? `, ${load.errors} errors` : '';
	return `the load target is not met (${p95} against ${load.targetP95Ms} ms${errors})`;
}
