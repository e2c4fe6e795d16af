// The frontend as the user's browser meets it, at the address they are given: its page answers, the
// page's scripts call the backend at the address the browser reaches (the one baked in at build
// time), and the backend lets a page from the frontend's address call it (CORS), as a browser asks
// before a signed-in request.
import {callForText, type Answer} from '../../adapters/app.js';

export type BrowserCheck = {
	/** The address the user opens. */
	readonly url: string;
	readonly page: Answer;
	/** How many of the page's own scripts were read. */
	readonly scripts: number;
	/** The backend address the browser must call (held on this machine), when the browser calls the backend. */
	readonly backend: string | undefined;
	/** The page's scripts name it (it was baked in). */
	readonly baked: boolean;
	/** Other http(s) addresses with a port the scripts name (a development or in-cluster one baked in instead). */
	readonly others: readonly string[];
	/**
	 * Of those, addresses on this machine (localhost, 127.x) that nothing holds for the app: a production
	 * bundle keeps only what the code calls, so one beside the backend's is a second, broken, address.
	 */
	readonly stray: readonly string[];
	/** The backend's answer to the browser's question before a signed-in request (OPTIONS with Origin). */
	readonly cors: (Answer & {readonly allowed: boolean; readonly allowOrigin: string | undefined}) | undefined;
	readonly ok: boolean;
};

const scriptSources = (html: string) => [...html.matchAll(/<script\b[^>]*\bsrc=["']([^"']+)["']/gi)].map(match => match[1] ?? '');

/** Addresses with an explicit port in code (http://localhost:8080, http://todo-backend:8000), as a bundler leaves them. */
const addressesIn = (code: string) => [...new Set([...code.matchAll(/\bhttps?:\/\/[\w.-]+:\d{2,5}\b/g)].map(match => match[0]))];

export async function checkAsBrowser(url: string, backend: string | undefined, apiPath: string): Promise<BrowserCheck> {
	const page = await callForText(url, 'GET', '/', undefined, {headers: {accept: 'text/html'}, timeoutMs: 15_000});
	const own = scriptSources(page.text ?? '')
		.map(source => new URL(source, url))
		.filter(source => source.origin === new URL(url).origin)
		.slice(0, 40);
	const code: string[] = [page.text ?? ''];
	for (const source of own) {
		const script = await callForText(url, 'GET', `${source.pathname}${source.search}`, undefined, {timeoutMs: 15_000});
		code.push(script.text ?? '');
	}

	const named = addressesIn(code.join('\n'));
	const baked = backend !== undefined && named.some(address => address === backend || address === backend.replace('localhost', '127.0.0.1'));
	const others = named.filter(address => address !== backend && !address.startsWith(url));
	const stray = others.filter(address => /^https?:\/\/(localhost|127(?:\.\d{1,3}){3}|\[::1\]):/.test(address));
	const cors = backend ? await corsAnswer(backend, apiPath, new URL(url).origin) : undefined;
	const pageOk = page.answer.status === 200;
	return {
		url,
		page: page.answer,
		scripts: own.length,
		backend,
		baked,
		others,
		stray,
		cors,
		ok: pageOk && (backend === undefined || (baked && stray.length === 0 && (cors?.allowed ?? false))),
	};
}

/** OPTIONS as a browser sends it before a signed-in POST from the page's origin. */
async function corsAnswer(backend: string, apiPath: string, origin: string): Promise<NonNullable<BrowserCheck['cors']>> {
	const asked = await callForText(backend, 'OPTIONS', apiPath, undefined, {
		headers: {origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type'},
		timeoutMs: 10_000,
	});
	const allowOrigin = asked.headers['access-control-allow-origin'];
	const allowed = asked.answer.status !== undefined && asked.answer.status < 400 && (allowOrigin === origin || allowOrigin === '*');
	return {...asked.answer, allowed, allowOrigin};
}
