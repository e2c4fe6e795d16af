// A check of the doctor: it finds facts through an adapter and says what they mean, within its deadline.
import type {System} from '../../adapters/system.js';
import type {CheckId, CheckOutcome} from './types.js';

export type Check<Id extends CheckId = CheckId> = {
	readonly id: Id;
	readonly title: string;
	/** The whole check, every run inside it included, ends by then. */
	readonly timeoutMs: number;
	run(system: System): Promise<CheckOutcome<Id>>;
};

/** A check as one declaration: its id, its title, its deadline, and what it runs. */
export function defineCheck<Id extends CheckId>(id: Id, title: string, timeoutMs: number, run: Check<Id>['run']): Check<Id> {
	return {id, title, timeoutMs, run};
}
