// A registry on loopback speaking enough of the Docker Registry HTTP API v2 for the real dockerd to
// push to it: blob uploads (POST, PATCH, PUT), blob HEAD, manifest PUT/GET; basic auth when asked.
import {createHash, randomUUID} from 'node:crypto';
import http from 'node:http';
import type {AddressInfo} from 'node:net';

export type TestRegistry = {
	host: string;
	manifests: Map<string, {body: Buffer; digest: string}>;
	requests: string[];
	close(): Promise<void>;
};

const digestOf = (body: Buffer) => `sha256:${createHash('sha256').update(body).digest('hex')}`;

export async function startRegistry(credentials?: {username: string; password: string}): Promise<TestRegistry> {
	const blobs = new Map<string, Buffer>();
	const uploads = new Map<string, Buffer[]>();
	const manifests = new Map<string, {body: Buffer; digest: string}>();
	const requests: string[] = [];
	const expected = credentials ? `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}` : undefined;
	const server = http.createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			const body = Buffer.concat(chunks);
			const url = new URL(request.url ?? '/', 'http://registry');
			requests.push(`${request.method ?? ''} ${url.pathname}`);
			const send = (status: number, headers: Record<string, string> = {}, payload: Buffer | string = '') => {
				response.writeHead(status, {'Docker-Distribution-API-Version': 'registry/2.0', 'Content-Length': String(Buffer.byteLength(payload)), ...headers});
				response.end(request.method === 'HEAD' ? undefined : payload);
			};

			if (expected && request.headers.authorization !== expected) {
				send(
					401,
					{'WWW-Authenticate': 'Basic realm="todo-deploy test registry"', 'Content-Type': 'application/json'},
					'{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}',
				);
				return;
			}

			if (url.pathname === '/v2/' || url.pathname === '/v2') {
				send(200, {'Content-Type': 'application/json'}, '{}');
				return;
			}

			const blob = /^\/v2\/(?<name>.+)\/blobs\/(?<digest>sha256:[0-9a-f]{64})$/.exec(url.pathname)?.groups;
			if (blob && (request.method === 'HEAD' || request.method === 'GET')) {
				const stored = blobs.get(blob['digest'] ?? '');
				if (!stored) {
					send(404, {'Content-Type': 'application/json'}, '{"errors":[{"code":"BLOB_UNKNOWN","message":"blob unknown"}]}');
				} else {
					response.writeHead(200, {
						'Docker-Content-Digest': blob['digest'] ?? '',
						'Content-Length': String(stored.length),
						'Content-Type': 'application/octet-stream',
					});
					response.end(request.method === 'HEAD' ? undefined : stored);
				}

				return;
			}

			const start = /^\/v2\/(?<name>.+)\/blobs\/uploads\/?$/.exec(url.pathname)?.groups;
			if (start && request.method === 'POST') {
				const id = randomUUID();
				uploads.set(id, [body]);
				send(202, {Location: `/v2/${start['name'] ?? ''}/blobs/uploads/${id}`, 'Docker-Upload-UUID': id, Range: '0-0'});
				return;
			}

			const upload = /^\/v2\/(?<name>.+)\/blobs\/uploads\/(?<id>[\w-]+)$/.exec(url.pathname)?.groups;
			if (upload) {
				const parts = uploads.get(upload['id'] ?? '');
				if (!parts) {
					send(404, {}, '{"errors":[{"code":"BLOB_UPLOAD_UNKNOWN"}]}');
					return;
				}

				parts.push(body);
				const size = parts.reduce((total, part) => total + part.length, 0);
				if (request.method === 'PATCH') {
					send(202, {Location: url.pathname, 'Docker-Upload-UUID': upload['id'] ?? '', Range: `0-${Math.max(0, size - 1)}`});
					return;
				}

				const content = Buffer.concat(parts);
				const digest = url.searchParams.get('digest') ?? '';
				if (digestOf(content) !== digest) {
					send(400, {}, '{"errors":[{"code":"DIGEST_INVALID"}]}');
					return;
				}

				blobs.set(digest, content);
				uploads.delete(upload['id'] ?? '');
				send(201, {Location: `/v2/${upload['name'] ?? ''}/blobs/${digest}`, 'Docker-Content-Digest': digest});
				return;
			}

			const manifest = /^\/v2\/(?<name>.+)\/manifests\/(?<reference>[^/]+)$/.exec(url.pathname)?.groups;
			if (manifest && request.method === 'PUT') {
				const digest = digestOf(body);
				const entry = {body, digest};
				manifests.set(`${manifest['name'] ?? ''}:${manifest['reference'] ?? ''}`, entry);
				manifests.set(`${manifest['name'] ?? ''}@${digest}`, entry);
				send(201, {Location: `/v2/${manifest['name'] ?? ''}/manifests/${digest}`, 'Docker-Content-Digest': digest});
				return;
			}

			if (manifest && (request.method === 'GET' || request.method === 'HEAD')) {
				const key = `${manifest['name'] ?? ''}${manifest['reference']?.startsWith('sha256:') ? '@' : ':'}${manifest['reference'] ?? ''}`;
				const stored = manifests.get(key);
				if (stored) {
					send(200, {'Docker-Content-Digest': stored.digest, 'Content-Type': 'application/vnd.docker.distribution.manifest.v2+json'}, stored.body);
				} else {
					send(404, {}, '{"errors":[{"code":"MANIFEST_UNKNOWN"}]}');
				}

				return;
			}

			send(404, {}, '{"errors":[{"code":"UNSUPPORTED"}]}');
		});
	});
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	const {port} = server.address() as AddressInfo;
	return {
		host: `127.0.0.1:${port}`,
		manifests,
		requests,
		close: async () =>
			new Promise<void>(resolve => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
