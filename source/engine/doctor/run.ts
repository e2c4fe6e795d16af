// Runs every check at once, each inside its own deadline, and ends with the recommendation.
import type {System} from '../../adapters/system.js';
import {timedOut, withDeadline} from '../deadline.js';
import type {Store} from '../store.js';
import type {DoctorAction} from './actions.js';
import {doctorChecks, type Check} from './checks.js';
import {recommend, type Outcomes} from './recommend.js';
import type {DoctorState} from './reducer.js';
import type {CheckId, CheckOutcome, Recommendation} from './types.js';

/** A check that throws or overruns still ends: as an incomplete outcome that says why. */
export async function runCheck(check: Check, system: System): Promise<CheckOutcome> {
	try {
		const outcome = await withDeadline(check.run(system), check.timeoutMs);
		if (outcome === timedOut) {
			return {
				status: 'warn',
				summary: `The ${check.title} check did not finish within ${check.timeoutMs / 1000} s`,
				detail: 'A probe it ran hung; the other checks are unaffected.',
				incomplete: true,
			};
		}

		return outcome;
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error);
		return {status: 'warn', summary: `The ${check.title} check could not complete: ${message.split('\n')[0] ?? message}`, incomplete: true};
	}
}

export async function runDoctor(system: System, store: Store<DoctorState, DoctorAction>, checks: readonly Check[] = doctorChecks): Promise<Recommendation> {
	const started = performance.now();
	store.dispatch({type: 'doctor/started', at: Date.now()});
	const outcomes: Outcomes = {};
	await Promise.all(
		checks.map(async check => {
			const checkStarted = performance.now();
			store.dispatch({type: 'doctor/check-started', id: check.id, at: Date.now()});
			const outcome = await runCheck(check, system);
			(outcomes as Record<CheckId, CheckOutcome>)[check.id] = outcome;
			store.dispatch({type: 'doctor/check-finished', id: check.id, outcome, durationMs: performance.now() - checkStarted});
		}),
	);
	const recommendation = recommend(outcomes);
	store.dispatch({type: 'doctor/finished', recommendation, durationMs: performance.now() - started});
	return recommendation;
}
