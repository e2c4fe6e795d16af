// Secret values never leave todo-deploy: every value the user gave as a secret, or that todo-deploy
// put into the Secret, is registered here and replaced by **** (with its URL-encoded and base64
// forms) in everything printed, recorded or written: stdout, stderr, the report, state, logs.
const secrets = new Set<string>();

/** Variables whose values are secrets wherever they come from (the environment, a .env file). */
export const secretVariable = /PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|CREDENTIAL|PRIVATE_?KEY/i;

/** A value shorter than this is not masked: it would turn common words into ****. */
const shortest = 6;

export function addSecrets(values: Iterable<string | undefined>): void {
	for (const value of values) {
		if (value && value.trim().length >= shortest) {
			secrets.add(value);
			for (const form of [encodeURIComponent(value), Buffer.from(value).toString('base64')]) {
				if (form !== value) {
					secrets.add(form);
				}
			}
		}
	}
}

/** The values of secret-like variables (TODO_DATABASE_PASSWORD, GEMINI_API_KEY, …). */
export function secretValuesOf(variables: Readonly<Record<string, string | undefined>>): string[] {
	return Object.entries(variables).flatMap(([name, value]) => (value && secretVariable.test(name) ? [value] : []));
}

export function maskText(text: string): string {
	if (secrets.size === 0) {
		return text;
	}

	let masked = text;
	// Longer first: a value that contains another is masked whole.
	for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
		if (masked.includes(secret)) {
			masked = masked.split(secret).join('****');
		}
	}

	return masked;
}
