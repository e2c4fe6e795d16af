// Diagnosis as tables of rules: each rule says what it matches and, from what it found, the cause
// and the fix; a table goes from the most exact rule to the least, and the first that matches wins.
// Each rule names the captured real output that fires it (under test/fixtures/captured), and a test
// walks every table: each fixture fires its own rule, and no earlier, less exact one.

export type Rule<Input, Found, Said> = {
	/** The cause's name, unique in its table. */
	readonly id: string;
	/** The captured output that fires it: a path under test/fixtures/captured (with what else it needs, by the table's own convention). */
	readonly fixture: string;
	/** What the rule found in the input, or undefined when it does not apply. */
	readonly matches: (input: Input) => Found | undefined;
	/** The cause, its explanation and the fix, from what was found. */
	readonly says: (found: Found, input: Input) => Said;
};

/** The first rule of the table that matches, with what it says; undefined when none does. */
export function firstRule<Input, Said>(
	// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each rule finds its own kind of thing
	rules: ReadonlyArray<Rule<Input, any, Said>>,
	input: Input,
): {readonly id: string; readonly said: Said} | undefined {
	for (const rule of rules) {
		const found: unknown = rule.matches(input);
		if (found !== undefined && found !== false && found !== null) {
			return {id: rule.id, said: rule.says(found, input)};
		}
	}

	return undefined;
}

/** A rule whose match is a pattern: found is the match. */
export const pattern =
	(regex: RegExp) =>
	(text: string): RegExpExecArray | undefined =>
		regex.exec(text) ?? undefined;
