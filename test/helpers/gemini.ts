// A loopback stand-in of Gemini's OpenAI-compatible endpoint (POST /v1beta/openai/chat/completions):
// for the key it was given, a chat completion in the shape that endpoint answers with; for any other
// key, the answer Gemini gives an unknown key (captured: chat/gemini-openai-compat-api-key-invalid.json).
import {readFileSync} from 'node:fs';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {capturedFixture} from './paths.js';

export type GeminiStandIn = {
	/** The base URL an OpenAI client takes: http://127.0.0.1:PORT/v1beta/openai/ */
	readonly baseUrl: string;
	/** What each request asked: its key was right, and the last user message. */
	readonly asked: ReadonlyArray<{readonly keyOk: boolean; readonly message: string}>;
	close(): Promise<void>;
};

export const geminiReply = 'Welcome! Your todos are ready.';

export async function startGemini(key: string): Promise<GeminiStandIn> {
	const refused = readFileSync(capturedFixture('chat/gemini-openai-compat-api-key-invalid.json'), 'utf8');
	const asked: Array<{keyOk: boolean; message: string}> = [];
	const server = http.createServer((request, response) => {
		let body = '';
		request.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
		request.on('end', () => {
			if (request.method !== 'POST' || request.url !== '/v1beta/openai/chat/completions') {
				response.writeHead(404, {'content-type': 'application/json'}).end('{"error":{"code":404,"message":"Not found","status":"NOT_FOUND"}}');
				return;
			}

			const keyOk = request.headers.authorization === `Bearer ${key}`;
			const messages = (JSON.parse(body || '{}') as {messages?: Array<{role: string; content: string}>}).messages ?? [];
			asked.push({keyOk, message: messages.filter(message => message.role === 'user').at(-1)?.content ?? ''});
			if (!keyOk) {
				response.writeHead(400, {'content-type': 'application/json; charset=UTF-8'}).end(refused);
				return;
			}

			response.writeHead(200, {'content-type': 'application/json'}).end(
				JSON.stringify({
					choices: [{finish_reason: 'stop', index: 0, message: {content: geminiReply, role: 'assistant'}}],
					created: Math.floor(Date.now() / 1000),
					id: 'stand-in-completion',
					model: 'gemini-2.0-flash',
					object: 'chat.completion',
					usage: {completion_tokens: 7, prompt_tokens: 24, total_tokens: 31},
				}),
			);
		});
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	return {
		baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1beta/openai/`,
		asked,
		close: async () =>
			new Promise(resolve => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
