// Pure: what a secret's value gives away (a placeholder, text base64-encoded twice, a password in a URL).

export const secretKeyPattern = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIALS?)/i;
const placeholderPatterns: ReadonlyArray<[RegExp, string]> = [
	[/^(change[-_ ]?me|changeit|replace[-_ ]?me|placeholder|todo|tbd|xxx+|secret|password|example|dummy|test)$/i, 'a placeholder word'],
	[/your[-_ ]?(api[-_ ]?)?(key|secret|token|password)[-_ ]?here|^your[-_ ]/i, 'a "your-…-here" placeholder'],
	[/^<[^>]*>$|\$\{[^}]+\}|^\{\{.*\}\}$/, 'an unfilled <…> or ${…} placeholder'],
	[/\.\.\.$|…$/, 'a truncated value ending in "..."'],
];

/** A value made of one repeated filler: XXXX, xxxx, 0000, ...., or a known prefix and then filler (AIzaSyXXXX…). */
function fillerReason(value: string): string | undefined {
	const body = value.replace(/^(AIza(Sy)?|sk-(proj-)?|sk_(live|test)_|ghp_|xox[abposr]-|AKIA)/, '');
	if (body.length >= 4 && /^(.)\1+$/u.test(body.replaceAll('…', '.'))) {
		return `filler (the same character "${body.replaceAll('…', '.').charAt(0)}" repeated)`;
	}

	return /^(x{3,}|X{3,}|\*{3,}|0{3,}|\.{3,}|-{3,}|_{3,})$/i.test(body) ? 'filler' : undefined;
}

/** Keys of a known shape that are shorter than that shape: copied half-way, or elided for a screenshot. */
const keyShapes: ReadonlyArray<{readonly name: string; readonly prefix: RegExp; readonly length: number}> = [
	{name: 'a Google API key', prefix: /^AIza[\w-]*$/, length: 39},
	{name: 'a GitHub token', prefix: /^ghp_\w*$/, length: 40},
	{name: 'an AWS access key', prefix: /^(AKIA|ASIA)[A-Z\d]*$/, length: 20},
];

function truncatedReason(value: string): string | undefined {
	const shape = keyShapes.find(entry => entry.prefix.test(value) && value.length < entry.length);
	return shape ? `${shape.name} cut short (${value.length} of its ${shape.length} characters)` : undefined;
}

export function placeholderReason(value: string): string | undefined {
	const trimmed = value.trim();
	if (trimmed === '') {
		// Set, but to nothing but spaces: never what was meant.
		return value === '' ? undefined : 'only spaces';
	}

	return placeholderPatterns.find(([pattern]) => pattern.test(trimmed))?.[1] ?? fillerReason(trimmed) ?? truncatedReason(trimmed);
}

/** stringData written through b64enc: base64 text that decodes to printable text. */
export function looksDoubleEncoded(value: string): boolean {
	if (value.length < 8 || value.length % 4 !== 0 || !/^[A-Za-z\d+/]+={0,2}$/.test(value)) {
		return false;
	}

	const decoded = Buffer.from(value, 'base64').toString('utf8');
	return decoded.length >= 4 && /^[\u0020-\u007E]+$/.test(decoded) && Buffer.from(decoded, 'utf8').toString('base64') === value;
}

/** postgresql://user:PASSWORD@host/db -> PASSWORD (URL-decoded). */
export function passwordInUrl(url: string): string | undefined {
	try {
		const parsed = new URL(url);
		return /^postgres(ql)?:$/.test(parsed.protocol) && parsed.password ? decodeURIComponent(parsed.password) : undefined;
	} catch {
		return undefined;
	}
}

/** Key formats of well-known services: a value of one of these shapes is a real credential. */
export const knownKeyFormats: ReadonlyArray<{readonly name: string; readonly pattern: RegExp}> = [
	{name: 'a Google API key', pattern: /^AIza[\w-]{35}$/},
	{name: 'an OpenAI API key', pattern: /^sk-(proj-)?[\w-]{20,}$/},
	{name: 'a GitHub token', pattern: /^(ghp|gho|ghu|ghs|ghr|github_pat)_\w{20,}$/},
	{name: 'a Slack token', pattern: /^xox[abposr]-[\w-]{10,}$/},
	{name: 'an AWS access key', pattern: /^(AKIA|ASIA)[A-Z\d]{16}$/},
	{name: 'a Stripe key', pattern: /^(sk|rk)_(live|test)_\w{16,}$/},
];

/** Hosts of documentation: example.com (RFC 2606), `host`, `your-db-host`. */
const exampleHost = /(^|\.)example(\.(com|org|net))?$|^(host|hostname|server)$|^your[-_.]/i;
const localHost = /^(localhost|127\.\d+\.\d+\.\d+|0\.0\.0\.0|::1|db|postgres|postgresql|database|host\.docker\.internal)$/i;

/**
 * What makes a value a real credential, or undefined: a key of a known format, a database URL with a
 * password to a host that is not this machine's or a compose service's, a private key. Placeholders and
 * development values (short, or words) are not.
 */
export function credentialReason(value: string): string | undefined {
	const trimmed = value.trim().replace(/^(['"])(.*)\1$/, '$2');
	if (trimmed === '' || placeholderReason(trimmed)) {
		return undefined;
	}

	const format = knownKeyFormats.find(entry => entry.pattern.test(trimmed));
	if (format) {
		return format.name;
	}

	if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(trimmed)) {
		return 'a private key';
	}

	try {
		const url = new URL(trimmed);
		const password = url.password ? decodeURIComponent(url.password) : '';
		if (
			/^(postgres(ql)?|mysql|mongodb(\+srv)?|redis|amqp)(\+\w+)?:$/.test(url.protocol) &&
			password !== '' &&
			!placeholderReason(password) &&
			!localHost.test(url.hostname) &&
			!exampleHost.test(url.hostname)
		) {
			return `a ${url.protocol.replace(/:$/, '')} URL with a password for ${url.hostname}`;
		}
	} catch {
		// Not a URL.
	}

	return undefined;
}
