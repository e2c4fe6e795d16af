// What the doctor's checks dispatch as they start and finish.
import type {CheckId, CheckOutcome, Recommendation} from './types.js';

export type DoctorAction =
	| {readonly type: 'doctor/started'; readonly at: number}
	| {readonly type: 'doctor/check-started'; readonly id: CheckId; readonly at: number}
	| {readonly type: 'doctor/check-finished'; readonly id: CheckId; readonly outcome: CheckOutcome; readonly durationMs: number}
	| {readonly type: 'doctor/finished'; readonly recommendation: Recommendation; readonly durationMs: number};
