// Pure: what a secret's value gives away (a placeholder, text base64-encoded twice, a password in a URL).

export const secretKeyPattern = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIALS?)/i;
const placeholderPatterns: ReadonlyArray<[RegExp, string]> = [
	[/^(change[-_ ]?me|changeit|replace[-_ ]?me|placeholder|todo|tbd|xxx+|secret|password|example|dummy|test)$/i, 'a placeholder word'],
	[/your[-_ ]?(api[-_ ]?)?(key|secret|token|password)[-_ ]?here|^your[-_ ]/i, 'a "your-…-here" placeholder'],
	[/^<[^>]*>$|\$\{[^}]+\}|^\{\{.*\}\}$/, 'an unfilled <…> or ${…} placeholder'],
	[/\.\.\.$|…$/, 'a truncated value ending in "..."'],
];

export function placeholderReason(value: string): string | undefined {
	const trimmed = value.trim();
	if (trimmed === '') {
		return undefined;
	}

	return placeholderPatterns.find(([pattern]) => pattern.test(trimmed))?.[1];
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
