// Pure: a TLS certificate refused for its dates, told apart from one refused for who signed it (a
// company CA). Go says "x509: certificate has expired or is not yet valid: current time T is after
// (or before) U", kubeadm "the certificate has expired" or "is not valid yet", Node CERT_HAS_EXPIRED
// or CERT_NOT_YET_VALID. "Before" is a clock that is behind: WSL 2 keeps the time it had when the
// laptop slept (microsoft/WSL#4149). "After" is a certificate that expired, or a clock far ahead.

export type CertificateTime = {
	/** clock-behind: not valid yet; expired: past its end; either: Go's older words, without the times. */
	readonly kind: 'clock-behind' | 'expired' | 'either';
	/** The checking machine's time, as the message gives it. */
	readonly current?: string | undefined;
	/** The certificate's start (clock-behind) or end (expired). */
	readonly bound?: string | undefined;
};

const go = /x509: certificate has expired or is not yet valid(?:: current time (\S+) is (after|before) (\S+))?/;
const notYet = /the certificate is not valid yet: NotBefore: ([^,]+)|certificate is not yet valid|CERT_NOT_YET_VALID/;
const expired = /the certificate has expired: NotBefore: [^,]+, NotAfter: ([^\n]+? UTC)|CERT_HAS_EXPIRED|\bcertificate has expired\b(?! or is not yet valid)/;

/** A certificate refused for its dates, from the text that says so; undefined for any other refusal. */
export function certificateTime(text: string): CertificateTime | undefined {
	const said = go.exec(text);
	if (said?.[2]) {
		return {kind: said[2] === 'before' ? 'clock-behind' : 'expired', current: said[1], bound: said[3]};
	}

	const behind = notYet.exec(text);
	if (behind) {
		return {kind: 'clock-behind', bound: behind[1]?.trim()};
	}

	const ended = expired.exec(text);
	if (ended) {
		return {kind: 'expired', bound: ended[1]?.trim()};
	}

	return said ? {kind: 'either'} : undefined;
}

/** How to set this machine's clock right: where it goes wrong most, WSL 2 after sleep. */
export const clockFix =
	"set this machine's clock right: in WSL 2, where the clock stops while the laptop sleeps, sudo hwclock -s (or wsl --shutdown from Windows, then open WSL again); elsewhere sudo timedatectl set-ntp true";

/** The certificate's dates in words: which side of them the clock is. */
export function certificateWords(time: CertificateTime, whose: string): string {
	const current = time.current ? ` (the time there: ${time.current})` : '';
	switch (time.kind) {
		case 'clock-behind': {
			return `${whose} certificate is not valid yet${time.bound ? `: it starts at ${time.bound}` : ''}${current}, so the clock that checked it is behind`;
		}

		case 'expired': {
			return `${whose} certificate has expired${time.bound ? ` (it ended at ${time.bound})` : ''}${current}`;
		}

		default: {
			return `${whose} certificate is not valid at the time of the clock that checked it: that clock is off, or the certificate expired`;
		}
	}
}
