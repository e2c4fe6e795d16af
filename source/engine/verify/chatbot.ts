// verify's chatbot row: when the app's API has a chat operation, one message sent as the signed-in test
// user, and the answer judged: a reply is verified; a refused key, a provider the pod cannot reach (DNS,
// an egress policy, a proxy) or another failure is said with its fix; with no key given, it is not run,
// and says so.
import {callForData, type Answer} from '../../adapters/app.js';
import {chatCause, type ChatCause} from '../../diagnose/chat.js';
import type {FlowAction} from '../flow/actions.js';
import type {FlowState} from '../flow/reducer.js';
import {flowSteps} from '../flow/steps.js';
import type {Store} from '../store.js';
import type {Cluster} from '../../adapters/cluster.js';
import {secretNameOf} from '../deploy/names.js';
import type {ApiPlan} from './openapi.js';

export type ChatbotOutcome =
	| {readonly state: 'verified'; readonly reply: string; readonly answer: Answer}
	| {readonly state: 'failed'; readonly answer: Answer; readonly cause: ChatCause | undefined}
	| {readonly state: 'not run'; readonly why: string};

export const chatMessage = 'Say hello to a new user of this todo app, in five words.';

const replyFields = ['reply', 'response', 'answer', 'message', 'content', 'text', 'output', 'result'];

/** The chatbot's words in its answer: a string, a reply field (also under data), or an OpenAI-style choice. */
export function replyOf(data: unknown): string | undefined {
	if (typeof data === 'string') {
		return data.trim() || undefined;
	}

	if (typeof data !== 'object' || data === null) {
		return undefined;
	}

	const object = data as Record<string, unknown>;
	const choice = (object['choices'] as Array<{message?: {content?: unknown}}> | undefined)?.[0]?.message?.content;
	if (typeof choice === 'string' && choice.trim()) {
		return choice.trim();
	}

	for (const field of replyFields) {
		const value = object[field];
		const text = typeof value === 'string' ? value : replyOf(value);
		if (text?.trim()) {
			return text.trim();
		}
	}

	return object['data'] === undefined ? undefined : replyOf(object['data']);
}

export async function checkChatbot(
	flow: Store<FlowState, FlowAction>,
	request: {readonly chatbotKey?: 'given' | 'absent' | undefined; readonly signal?: AbortSignal | undefined},
	base: string,
	plan: ApiPlan,
	auth: Readonly<Record<string, string>> | undefined,
): Promise<ChatbotOutcome> {
	const {set: step, begin} = flowSteps(flow);
	if (!plan.chat) {
		const why = "the app's API names no chat operation (a POST on a chat path that takes a message)";
		step('chatbot', {type: 'skipped', reason: why});
		return {state: 'not run', why};
	}

	if (request.chatbotKey === 'absent') {
		const why = 'chatbot not verified: no Gemini key given (the chatbot is off)';
		step('chatbot', {type: 'skipped', reason: why});
		return {state: 'not run', why};
	}

	const {operation, field} = plan.chat;
	const row = begin('chatbot', `POST ${operation.path} as the signed-in test user`);
	const sent = await callForData(
		base,
		'POST',
		operation.path,
		{[field]: chatMessage},
		{form: operation.body?.form ?? false, headers: auth ?? {}, timeoutMs: 60_000},
	);
	const reply = sent.answer.status !== undefined && sent.answer.status < 300 ? replyOf(sent.data) : undefined;
	if (reply) {
		row.done({kind: 'verify/chatbot', answer: sent.answer, reply, cause: undefined});
		return {state: 'verified', reply, answer: sent.answer};
	}

	const cause = chatCause(`${sent.answer.body}\n${sent.answer.error ?? ''}`);
	row.failed({kind: 'verify/chatbot', answer: sent.answer, reply: undefined, cause});
	return {state: 'failed', answer: sent.answer, cause};
}

/** Whether the release's Secret holds a Gemini key (its presence only; the value is never read out): undefined when there is no such Secret. */
export async function chatbotKeyIn(cluster: Pick<Cluster, 'readSecret'>, release: string): Promise<'given' | 'absent' | undefined> {
	const secret = await cluster.readSecret(secretNameOf(release)).catch(() => undefined);
	if (!secret) {
		return undefined;
	}

	return Object.entries(secret).some(([key, value]) => /GEMINI|GOOGLE_(GENAI_|AI_)?API_KEY/.test(key) && value.trim() !== '') ? 'given' : 'absent';
}
