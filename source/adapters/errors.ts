// Errors in words: one place turns what was thrown (a Node or undici error, a timeout, a value that
// is not an Error at all) into a message a person can act on. No error code without its meaning, no
// "fetch failed" without its cause, never [object Object] or undefined.

const codes: Readonly<Record<string, string>> = {
	ECONNREFUSED: 'the connection was refused (nothing listens there)',
	ECONNRESET: 'the connection was closed before an answer',
	EPIPE: 'the connection was closed while sending',
	UND_ERR_SOCKET: 'the connection was closed before an answer',
	UND_ERR_CLOSED: 'the connection was closed before an answer',
	ETIMEDOUT: 'no connection within the time allowed',
	UND_ERR_CONNECT_TIMEOUT: 'no connection within the time allowed',
	UND_ERR_HEADERS_TIMEOUT: 'no answer within the time allowed',
	UND_ERR_BODY_TIMEOUT: 'the answer stopped half-way',
	ENOTFOUND: 'the host name does not resolve',
	EAI_AGAIN: 'the host name could not be looked up (no DNS answer)',
	EHOSTUNREACH: 'the address cannot be reached from this machine',
	ENETUNREACH: 'the network of that address cannot be reached from this machine',
	EACCES: 'permission denied',
	EPERM: 'operation not permitted',
	ENOENT: 'no such file or folder',
	ENOTDIR: 'a part of the path is a file, not a folder',
	EISDIR: 'it is a folder, not a file',
	ENOSPC: 'no space left on the device',
	EROFS: 'the file system is read-only',
	DEPTH_ZERO_SELF_SIGNED_CERT: 'its TLS certificate is self-signed and not trusted here',
	SELF_SIGNED_CERT_IN_CHAIN: 'its TLS certificate chain is not trusted here',
	UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its TLS certificate could not be verified',
	UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the issuer of its TLS certificate is not trusted here',
	CERT_HAS_EXPIRED: "its TLS certificate has expired (by this machine's clock)",
	CERT_NOT_YET_VALID: "its TLS certificate is not valid yet: this machine's clock is behind (WSL 2 after sleep: sudo hwclock -s)",
	ERR_TLS_CERT_ALTNAME_INVALID: 'its TLS certificate is for another name',
	ERR_SSL_WRONG_VERSION_NUMBER: 'it does not speak TLS (try http:// instead of https://)',
	EPROTO: 'the TLS handshake failed',
};

type Described = {message?: unknown; code?: unknown; cause?: unknown; name?: unknown; address?: unknown; port?: unknown; path?: unknown; errors?: unknown};

/** The message of anything thrown, in words; its cause when the message alone says nothing. */
export function messageOf(error: unknown, depth = 0): string {
	if (error === undefined || error === null) {
		return 'an error without a description';
	}

	if (typeof error !== 'object') {
		return String(error);
	}

	const described = error as Described;
	const message = typeof described.message === 'string' ? described.message : '';
	const code = typeof described.code === 'string' ? described.code : undefined;
	if (Array.isArray(described.errors) && described.errors.length > 0 && depth < 4) {
		// AggregateError (a name with several addresses): the first reason is the one to read.
		return messageOf(described.errors[0], depth + 1);
	}

	if ((message === 'fetch failed' || message === '' || /^(other side closed|terminated)$/.test(message)) && described.cause !== undefined && depth < 4) {
		return messageOf(described.cause, depth + 1);
	}

	if (described.name === 'TimeoutError') {
		return 'no answer within the time allowed';
	}

	if (described.name === 'AbortError') {
		return 'cancelled';
	}

	const meaning = code ? codes[code] : undefined;
	if (meaning) {
		const where =
			typeof described.address === 'string'
				? ` at ${described.address}${typeof described.port === 'number' ? `:${described.port}` : ''}`
				: typeof described.path === 'string'
					? `: ${described.path}`
					: '';
		return `${meaning}${where} (${code ?? ''})`;
	}

	if (message) {
		return message;
	}

	try {
		return JSON.stringify(error).slice(0, 300);
	} catch {
		return 'an error without a description';
	}
}
