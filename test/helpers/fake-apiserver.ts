// The smallest loopback Kubernetes API the doctor needs: GET /version, as a real API server answers it.
import {execFileSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type {AddressInfo} from 'node:net';
import path from 'node:path';
import {tempDir} from './cli.js';

export type FakeApiServer = {url: string; requests: string[]; caData: string | undefined; close(): Promise<void>};

/** A CA and a server certificate for 127.0.0.1, made with openssl as kubeadm would. */
function makeCertificates() {
	const directory = tempDir('pki');
	const file = (name: string) => path.join(directory, name);
	const openssl = (...args: string[]) => execFileSync('openssl', args, {stdio: 'ignore'});
	openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', file('ca.key'), '-out', file('ca.crt'), '-days', '1', '-subj', '/CN=kubernetes');
	openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', file('server.key'), '-out', file('server.csr'), '-subj', '/CN=kube-apiserver');
	execFileSync('/bin/sh', ['-c', `printf 'subjectAltName=IP:127.0.0.1,DNS:localhost' > '${file('ext')}'`]);
	openssl(
		'x509',
		'-req',
		'-in',
		file('server.csr'),
		'-CA',
		file('ca.crt'),
		'-CAkey',
		file('ca.key'),
		'-CAcreateserial',
		'-out',
		file('server.crt'),
		'-days',
		'1',
		'-extfile',
		file('ext'),
	);
	return {ca: readFileSync(file('ca.crt')), cert: readFileSync(file('server.crt')), key: readFileSync(file('server.key'))};
}

export async function startVersionServer(gitVersion = 'v1.36.1', options: {tls?: boolean} = {}): Promise<FakeApiServer> {
	const requests: string[] = [];
	const certificates = options.tls ? makeCertificates() : undefined;
	const handler: http.RequestListener = (request, response) => {
		requests.push(`${request.method ?? ''} ${request.url ?? ''}`);
		if (request.url?.startsWith('/version')) {
			response.writeHead(200, {'content-type': 'application/json'});
			response.end(
				JSON.stringify({
					major: '1',
					minor: gitVersion.split('.')[1],
					gitVersion,
					gitCommit: '0000000000000000000000000000000000000000',
					gitTreeState: 'clean',
					buildDate: '2026-05-14T10:00:00Z',
					goVersion: 'go1.25.9',
					compiler: 'gc',
					platform: 'linux/amd64',
				}),
			);
			return;
		}

		response.writeHead(404, {'content-type': 'application/json'});
		response.end(
			JSON.stringify({
				kind: 'Status',
				apiVersion: 'v1',
				status: 'Failure',
				message: 'the server could not find the requested resource',
				reason: 'NotFound',
				code: 404,
			}),
		);
	};
	const server = certificates ? https.createServer({cert: certificates.cert, key: certificates.key}, handler) : http.createServer(handler);
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const {port} = server.address() as AddressInfo;
	return {
		url: `${certificates ? 'https' : 'http'}://127.0.0.1:${port}`,
		requests,
		caData: certificates?.ca.toString('base64'),
		close: async () =>
			new Promise(resolve => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

export function kubeconfigFor(contexts: Array<{name: string; server: string; caData?: string | undefined}>, current: string): string {
	const lines = ['apiVersion: v1', 'kind: Config', 'clusters:'];
	for (const context of contexts) {
		lines.push(`- name: ${context.name}`, '  cluster:', `    server: ${context.server}`);
		if (context.caData) {
			lines.push(`    certificate-authority-data: ${context.caData}`);
		}
	}

	lines.push('users:', '- name: dev', '  user:', '    token: not-a-secret', 'contexts:');
	for (const context of contexts) {
		lines.push(`- name: ${context.name}`, '  context:', `    cluster: ${context.name}`, '    user: dev');
	}

	lines.push(`current-context: ${current}`, 'preferences: {}');
	return `${lines.join('\n')}\n`;
}
