// A registry's /v2/ endpoint, asked before a push: a push through the daemon to a registry that hangs
// waits for the daemon's own long timeouts, and one that refuses is retried for a minute.
import {Agent, request} from 'undici';
import {messageOf} from './errors.js';

export type RegistryProbe =
	{readonly type: 'answers'; readonly scheme: 'https' | 'http'} | {readonly type: 'refused' | 'silent' | 'error'; readonly message: string};

async function ask(url: string, timeoutMs: number): Promise<{status?: number; code?: string; message?: string}> {
	// Its own dispatcher, so the TLS handshake with a server that never speaks is bounded too (undici's
	// connect timeout is 10 s by default and the abort signal does not cut a handshake short).
	const dispatcher = new Agent({connect: {timeout: timeoutMs}, headersTimeout: timeoutMs, bodyTimeout: timeoutMs});
	try {
		const response = await request(url, {method: 'GET', dispatcher, signal: AbortSignal.timeout(timeoutMs)});
		await response.body.dump();
		return {status: response.statusCode};
	} catch (error) {
		// The abort signal's TimeoutError is a DOMException whose `code` is a number (23): its name is what counts.
		const {code, name} = error as {code?: unknown; name?: unknown};
		const timedOut = name === 'TimeoutError' || name === 'AbortError';
		return {code: timedOut ? 'UND_ERR_HEADERS_TIMEOUT' : typeof code === 'string' ? code : undefined, message: messageOf(error)};
	} finally {
		void dispatcher.destroy().catch(() => undefined);
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

/** Does the registry hold REPOSITORY:TAG? (GET of its manifest, as a pull starts; plain HTTP first, as local registries speak it.) */
export async function registryHasImage(host: string, repository: string, tag: string, timeoutMs = 5000): Promise<boolean> {
	const accept = [
		'application/vnd.docker.distribution.manifest.v2+json',
		'application/vnd.docker.distribution.manifest.list.v2+json',
		'application/vnd.oci.image.manifest.v1+json',
		'application/vnd.oci.image.index.v1+json',
	].join(', ');
	for (const scheme of ['http', 'https']) {
		const dispatcher = new Agent({connect: {timeout: timeoutMs}, headersTimeout: timeoutMs, bodyTimeout: timeoutMs});
		try {
			const response = await request(`${scheme}://${host}/v2/${repository}/manifests/${tag}`, {method: 'HEAD', headers: {accept}, dispatcher});
			await response.body.dump();
			return response.statusCode === 200;
		} catch {
			// The other scheme, then no.
		} finally {
			void dispatcher.destroy().catch(() => undefined);
		}
	}

	return false;
}
