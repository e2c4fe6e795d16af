// verify's rows in words: how the backend was reached, the API learnt, the health paths, the smoke
// test, the frontend's way to the backend, and the load check.
import type {Answer, VerifyStepSummary} from '../engine/verify/step-summary.js';
import type {BrowserCheck} from '../engine/verify/browser-check.js';
import type {VerifyResult} from '../engine/verify/run.js';
import {describeLoad} from '../engine/verify/stats.js';
import type {Failure} from './images-words.js';

export const answerLine = (answer: Answer) =>
	`${answer.method} ${answer.path} → ${answer.status ?? answer.error ?? '?'} in ${Math.round(answer.ms)} ms${answer.body ? `: ${answer.body}` : ''}`;

const plain = (text: string): Failure => ({text, fix: undefined, evidence: []});
const codes = (answers: readonly Answer[]) => answers.map(answer => `${answer.path} ${answer.status ?? '?'}`).join(', ');

/** A verify row's words: what it saw when it passes, what failed and what to do when it does not. */
export function verifyWords(summary: VerifyStepSummary, failed: boolean): Failure {
	switch (summary.kind) {
		case 'verify/reaching': {
			return plain(summary.url ?? `service ${summary.service} in ${summary.namespace}`);
		}

		case 'verify/reached': {
			return plain(`${summary.url} (${summary.via})`);
		}

		case 'verify/api': {
			const {api} = summary;
			return plain(
				api.found
					? `${api.from}: the todos at ${api.collection} (create ${api.createCodes.join('/')}${api.updateMethod ? `, ${api.updateMethod} to update` : ''})${api.signIn ? `; sign-in: ${api.signIn}` : ''}`
					: `no API document (${api.tried.join('; ') || 'none found'}): trying todo-deploy's default, ${api.collection}`,
			);
		}

		case 'verify/health': {
			return failed ? healthFailure(summary.answers) : plain(codes(summary.answers));
		}

		case 'verify/smoke': {
			return failed ? smokeFailure(summary) : plain(`${summary.steps.map(entry => `${entry.name} ${entry.status ?? '?'}`).join(', ')}; auth: ${summary.auth}`);
		}

		case 'verify/frontend': {
			return failed
				? frontendFailure(summary)
				: plain(
						`${summary.browser ? `${browserWords(summary.browser)}; ` : ''}${codes(summary.answers)}${summary.through ? '' : ' (no route of the frontend that reaches the backend was found: only its health was checked)'}`,
					);
		}

		case 'verify/chatbot': {
			return chatbotWords(summary);
		}

		case 'verify/load-progress': {
			return plain(
				`${summary.users} users on GET ${summary.path}: ${Math.round(summary.elapsedMs / 1000)}/${Math.round(summary.durationMs / 1000)} s, ${summary.requests} requests, ${summary.errors} errors`,
			);
		}

		case 'verify/load': {
			return loadWords(summary);
		}
	}
}

function healthFailure(answers: readonly Answer[]): Failure {
	const bad = answers.find(answer => answer.status !== 200);
	return {
		text: `${bad?.path ?? ''} answered ${bad?.status ?? bad?.error ?? '?'}${bad?.body ? `: ${bad.body}` : ''}`,
		fix: /ready/.test(bad?.path ?? '')
			? 'The backend runs but is not ready: the body says what it waits for (usually the database; check the postgresql pod with todo-deploy status).'
			: 'The backend does not answer its health check: todo-deploy status shows its pod and logs.',
		evidence: answers.map(answer => answerLine(answer)),
	};
}

function smokeFailure(summary: Extract<VerifyStepSummary, {kind: 'verify/smoke'}>): Failure {
	const {api} = summary;
	const bad = summary.steps.find(entry => !entry.ok);
	const signIn = bad?.name === 'sign in' || bad?.name === 'log in' || bad?.name === 'sign up';
	return {
		text: `${bad?.name ?? 'create'} failed: expected ${bad?.expected ?? ''}, got ${bad?.status ?? bad?.error ?? '?'}${bad?.body ? `: ${bad.body}` : ''}`,
		fix: api.found
			? signIn
				? `The API wants a signed-in user and the test could not get one (${summary.auth}). Give a token: --token-env NAME.`
				: api.from.startsWith('--api')
					? `The todo API at ${api.collection} (as --api names it) did not behave; the requests are below. If it lives elsewhere: --api PATH, or --openapi PATH for its document.`
					: `The API did not behave as its document says (${api.from}); the requests are listed below.`
			: `Tried ${api.tried.join('; ') || 'no API document'}, then todo-deploy's default ${api.collection}. Say where the API is: ${summary.flagsHelp}.`,
		evidence: summary.steps.map(entry => answerLine(entry)),
	};
}

/** What a browser met at the frontend's address. */
function browserWords(check: BrowserCheck): string {
	return `${check.url} serves its page${check.backend ? `, whose scripts call the backend at ${check.backend}, which lets them (CORS)` : ''}`;
}

function browserFailure(check: BrowserCheck): Failure | undefined {
	if (check.page.status !== 200) {
		return {
			text: `${check.url}, the address you open, answered ${check.page.status ?? check.page.error ?? '?'}`,
			fix: 'todo-deploy status shows the frontend pod and its logs.',
			evidence: [answerLine(check.page)],
		};
	}

	if (check.backend && !check.baked) {
		return {
			text: `The page's scripts do not call the backend at ${check.backend}, where your browser reaches it${check.others.length > 0 ? `: they name ${check.others.join(', ')}` : ''}`,
			fix: `The backend's address is baked into the frontend when it is built: build again with todo-deploy up (it bakes ${check.backend} in); a value the project gives in todo-deploy.json wins over it.`,
			evidence: [`read the page and ${check.scripts} of its scripts`],
		};
	}

	if (check.backend && check.stray.length > 0) {
		return {
			text: `The page's scripts call the backend at ${check.backend}, and also name ${check.stray.join(', ')} on this machine, where nothing answers for the app`,
			fix: `A value baked in at build time names ${check.stray[0] ?? ''}: a todo-deploy.json value or a development .env file wins over the address todo-deploy bakes in. Remove it (or set it to ${check.backend}), then todo-deploy up builds the frontend again.`,
			evidence: [`read the page and ${check.scripts} of its scripts`],
		};
	}

	if (check.cors && !check.cors.allowed) {
		return {
			text: `The backend at ${check.backend ?? ''} does not let the page at ${check.url} call it: it answered the browser's CORS question ${check.cors.status ?? check.cors.error ?? '?'}${check.cors.allowOrigin ? ` with Access-Control-Allow-Origin ${check.cors.allowOrigin}` : ' without Access-Control-Allow-Origin'}`,
			fix: `The backend must allow the origin ${new URL(check.url).origin} (its CORS setting, such as ALLOWED_ORIGINS or CORS_ORIGINS: todo-deploy discover shows which it reads, and todo-deploy sets it when it knows the name).`,
			evidence: [answerLine(check.cors)],
		};
	}

	return undefined;
}

function chatbotWords(summary: Extract<VerifyStepSummary, {kind: 'verify/chatbot'}>): Failure {
	const {answer} = summary;
	if (summary.reply) {
		const reply = summary.reply.length > 80 ? `${summary.reply.slice(0, 80)}…` : summary.reply;
		return plain(`answered in ${Math.round(answer.ms)} ms: "${reply}"`);
	}

	const {cause} = summary;
	return {
		text: `${answer.method} ${answer.path} answered ${answer.status ?? answer.error ?? '?'}${cause ? `: ${cause.cause}` : ''}`,
		fix: cause?.fix ?? "The backend's logs say why (todo-deploy status, l on the backend pod).",
		evidence: [answerLine(answer)],
	};
}

function frontendFailure(summary: Extract<VerifyStepSummary, {kind: 'verify/frontend'}>): Failure {
	const browser = summary.browser ? browserFailure(summary.browser) : undefined;
	if (browser) {
		return browser;
	}

	const badHealth = summary.answers.find(answer => answer !== summary.through && answer.status !== 200);
	if (badHealth) {
		return {
			text: `The frontend's ${badHealth.path} answered ${badHealth.status ?? badHealth.error ?? '?'}`,
			fix: 'todo-deploy status shows the frontend pod and its logs.',
			evidence: summary.answers.map(answer => answerLine(answer)),
		};
	}

	const {through} = summary;
	return {
		text: `GET ${through?.path ?? ''} through the frontend answered ${through?.status ?? through?.error ?? '?'}${through?.body ? `: ${through.body}` : ''}: the frontend does not reach the backend`,
		fix: `The frontend finds the backend by ${summary.addressHint ?? 'an address in its settings'}; it must be the backend's Service, ${summary.backend}. todo-deploy discover shows what the project sets, and todo-deploy.json overrides it.`,
		evidence: summary.answers.map(answer => answerLine(answer)),
	};
}

function loadWords(summary: Extract<VerifyStepSummary, {kind: 'verify/load'}>): Failure {
	const {load} = summary;
	if (summary.reusedFrom) {
		return plain(`${describeLoad(load)} (measured ${summary.reusedFrom}; nothing was deployed since, so not measured again)`);
	}

	const as = summary.signedIn ? ' as the signed-in test user' : '';
	if (load.passed) {
		return plain(`${describeLoad(load)} on GET ${summary.path}${as}; p95 under the ${load.targetP95Ms} ms target`);
	}

	const slow = load.p95 >= load.targetP95Ms;
	const why = slow
		? `p95 ${Math.round(load.p95)} ms is over the ${load.targetP95Ms} ms target`
		: `${load.errors} of ${load.requests} requests failed (${Object.entries(load.errorKinds)
				.map(([kind, count]) => `${count} ${kind}`)
				.join(', ')})`;
	return {
		text: `${describeLoad(load)}: ${why}`,
		fix: slow
			? 'More backend replicas (--set backend.replicas=3), more CPU for the backend, or a faster endpoint; todo-deploy status shows whether the pods are throttled or restarting.'
			: 'The errors say what failed; todo-deploy status shows the backend pods and their logs.',
		evidence: [],
	};
}

/** The end of a verify that passed: only what was checked, and what was not. */
export function verifiedWords(result: Pick<VerifyResult, 'browser' | 'chatbot' | 'load'>, options: {readonly loadAsked: boolean}): string {
	const checked = [
		'healthy',
		'the todo API works',
		...(result.browser ? [`${result.browser.url} serves the app`] : []),
		...(result.chatbot.state === 'verified' ? ['the chatbot answers'] : []),
		...(result.load ? ['the load target is met'] : []),
	];
	const list = checked.length > 1 ? `${checked.slice(0, -1).join(', ')} and ${checked.at(-1) ?? ''}` : (checked[0] ?? '');
	const notRun = [
		...(options.loadAsked ? [] : ['the load check (--no-load)']),
		...(result.chatbot.state === 'not run' ? [`the chatbot (${result.chatbot.why.replace(/^chatbot not verified: /, '')})`] : []),
	];
	return `Verified: ${list}.${notRun.length > 0 ? ` Not checked: ${notRun.join('; ')}.` : ''}`;
}
