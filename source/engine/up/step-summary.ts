// What the wizard's own rows say, as data: render/up-words.ts words it.
import type {LoadTarget} from '../images/actions.js';

export type UpStepSummary = {
	readonly kind: 'cluster';
	/** Where the images go, and the context the cluster answers on. */
	readonly destination: LoadTarget;
	readonly context: string;
	/** The command that started it, when this run did. */
	readonly started: string | undefined;
	/** What the start said that will matter later, and which way the images go. */
	readonly notes: readonly string[];
};
