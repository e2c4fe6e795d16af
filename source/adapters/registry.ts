// A registry's /v2/ endpoint, asked before a push: a push through the daemon to a registry that hangs
// waits for the daemon's own long timeouts, and one that refuses is retried for a minute.
import {request} from 'undici';
import {messageOf} from './errors.js';

export type RegistryProbe =
	{readonly type: 'answers'; readonly scheme: 'https' | 'http'} | {readonly type: 'refused' | 'silent' | 'error'; readonly message: string};

async function ask(url: string, timeoutMs: number): Promise<{status?: number; code?: string; message?: string}> {
	try {
		const response = await request(url, {method: 'GET', headersTimeout: timeoutMs, bodyTimeout: timeoutMs, signal: AbortSignal.timeout(timeoutMs)});
		await response.body.dump();
		return {status: response.statusCode};
	} catch (error) {
		const {code, name} = error as {code?: string; name?: string};
		return {code: code ?? (name === 'TimeoutError' ? 'UND_ERR_HEADERS_TIMEOUT' : undefined), message: messageOf(error)};
	}
}

/** HTTPS first, as the daemon does; plain HTTP when the other end does not speak TLS (a local registry). */
export async function probeRegistry(host: string, timeoutMs = 5000): Promise<RegistryProbe> {
	const secure = await ask(`https://${host}/v2/`, timeoutMs);
	if (secure.status !== undefined) {
		return {type: 'answers', scheme: 'https'};
	}

	const plain = secure.code === 'ECONNREFUSED' || /timeout|TIMEOUT/.test(secure.code ?? '') ? secure : await ask(`http://${host}/v2/`, timeoutMs);
	if (plain.status !== undefined) {
		return {type: 'answers', scheme: 'http'};
	}

	if (plain.code === 'ECONNREFUSED') {
		return {type: 'refused', message: `the registry at ${host} refused the connection: nothing listens there`};
	}

	if (/TIMEOUT|ETIMEDOUT/.test(plain.code ?? '')) {
		return {
			type: 'silent',
			message: `the registry at ${host} did not answer within ${Math.round(timeoutMs / 1000)} s: it accepts connections but does not reply`,
		};
	}

	return {type: 'error', message: `the registry at ${host} could not be reached: ${plain.message ?? ''}`};
}
