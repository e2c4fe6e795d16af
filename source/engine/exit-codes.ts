// Exit codes by what failed, the same for every command (README lists them).
export const exitCodes = {
	ok: 0,
	/** Something must be fixed first: bad input, a placeholder secret, a failed check. */
	fixFirst: 1,
	usage: 2,
	/** Docker, the cluster or a tool is not there or does not answer. */
	environment: 3,
	build: 4,
	/** A scan found what the gate does not let through. */
	scanGate: 5,
	/** helm failed to install or upgrade. */
	deploy: 6,
	/** Installed, but the pods did not become ready in time. */
	rollout: 7,
	/** The app answered wrong, or missed the load target. */
	verify: 8,
	cancelled: 130,
} as const;
