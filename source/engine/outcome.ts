// How a command ended, as a class; one function turns a class into the exit code (the README's table,
// which a test reads back). The engine says which class; nothing else picks a number.
export const outcomeClasses = {
	ok: {code: 0, meaning: 'done: doctor found a path; everything asked for worked'},
	'fix-first': {
		code: 1,
		meaning: 'something must be fixed first: bad input, a placeholder secret, a chart error, a failed check (the output says what, in order)',
	},
	usage: {code: 2, meaning: 'the command line was wrong'},
	environment: {code: 3, meaning: 'Docker, the cluster, a registry or a tool is missing or does not answer'},
	build: {code: 4, meaning: 'an image did not build'},
	'scan-gate': {code: 5, meaning: 'a scan found what the gate does not let through'},
	deploy: {code: 6, meaning: 'helm could not install or upgrade the release, or another run is changing it'},
	rollout: {code: 7, meaning: 'installed, but the pods did not become ready in time'},
	verify: {code: 8, meaning: 'verify: the app answered wrong or missed the load target'},
	cancelled: {code: 130, meaning: 'cancelled with Ctrl-C (or SIGTERM); nothing half-installed was left behind'},
} as const;

export type OutcomeClass = keyof typeof outcomeClasses;
export type FailureClass = Exclude<OutcomeClass, 'ok'>;

/** What every command's run returns: undefined when everything asked for worked. */
export type Outcome = {readonly failure: FailureClass | undefined};

export const succeeded: Outcome = {failure: undefined};
export const failed = (failure: FailureClass): Outcome => ({failure});

export function exitCodeOf(outcome: Outcome): number {
	return outcomeClasses[outcome.failure ?? 'ok'].code;
}
