// The smoke test, as a user of the app's API does it: sign up a throwaway user and log in when the
// API wants a token, then create, list, update, read back and delete one todo, each answer judged by
// the codes the API declares. What it made is removed; what cannot be (the user) is said.
import {callForData, type Answer, type CallOptions, type SmokeStep} from '../../adapters/app.js';
import {addSecrets} from '../mask.js';
import {idOf, sampleObject, tokenOf, type ApiPlan, type Operation} from './openapi.js';

export type SmokeResult = {
	readonly steps: readonly SmokeStep[];
	readonly ok: boolean;
	/** The bearer token the test used (for the load check and the frontend's proxy); never recorded. */
	readonly token: string | undefined;
	/** What the test left behind, in words. */
	readonly remains: readonly string[];
	/** How it authenticated, in words. */
	readonly auth: string;
};

/** The collection as --api names it, when there is no OpenAPI document: JSON bodies, 200 or 201. */
export function plainPlan(api: string): ApiPlan {
	const operation = (method: Operation['method'], path: string, codes: number[], body?: Record<string, unknown>): Operation => ({
		method,
		path,
		body: body ? {form: false, schema: body} : undefined,
		codes,
		secured: false,
	});
	const item = `${api.replace(/\/$/, '')}/{id}`;
	const schema = {type: 'object', required: ['title'], properties: {title: {type: 'string'}, completed: {type: 'boolean'}}};
	return {
		collection: api,
		create: operation('POST', api, [200, 201], schema),
		list: operation('GET', api, [200]),
		item,
		idParam: 'id',
		read: operation('GET', item, [200]),
		update: operation('PUT', item, [200], schema),
		remove: operation('DELETE', item, [200, 204]),
		labelField: 'title',
		doneField: 'completed',
		auth: undefined,
		health: [],
		document: {},
	};
}

const codesText = (codes: readonly number[]) => codes.join(' or ');
const withId = (path: string, idParam: string | undefined, id: string) => path.replace(idParam ? `{${idParam}}` : /\{[^}]+\}/, encodeURIComponent(id));
const itemsOf = (data: unknown): unknown[] | undefined => {
	if (Array.isArray(data)) {
		return data;
	}

	const object = data as Record<string, unknown> | undefined;
	const list = object?.['items'] ?? object?.['data'] ?? object?.['results'] ?? object?.['todos'] ?? object?.['tasks'];
	return Array.isArray(list) ? list : undefined;
};

export type SmokeOptions = {
	/** A token from --token-env: no sign-up. */
	readonly token: string | undefined;
	/** Random text for the user's name and password (crypto-strong in use). */
	readonly random: () => string;
};

/** One run of the test: what it sent and saw, what it left, and the token once it has one. */
type Session = {
	readonly steps: SmokeStep[];
	readonly remains: string[];
	token: string | undefined;
	readonly send: (operation: Operation, path: string, body?: unknown) => ReturnType<typeof callForData>;
	/** Keeps the answer as a step (the token masked) and returns whether it was as expected. */
	readonly record: (name: string, answer: Answer, ok: boolean, expected: string) => boolean;
};

function sessionOf(base: string, token: string | undefined): Session {
	const session: Session = {
		steps: [],
		remains: [],
		token,
		send: async (operation, path, body) =>
			callForData(base, operation.method, path, body, {
				form: operation.body?.form ?? false,
				headers: session.token ? {authorization: `Bearer ${session.token}`} : {},
			} satisfies CallOptions),
		record(name, answer, ok, expected) {
			const masked = session.token ? {...answer, body: answer.body.split(session.token).join('****')} : answer;
			session.steps.push({...masked, name, ok, expected});
			return ok;
		},
	};
	return session;
}

export async function runSmoke(base: string, plan: ApiPlan, options: SmokeOptions): Promise<SmokeResult> {
	const session = sessionOf(base, options.token);
	const result = (ok: boolean, auth: string): SmokeResult => ({steps: session.steps, ok, token: session.token, remains: session.remains, auth});
	// 1. Does the API want a user? Asked the way a user finds out: without a token.
	let auth = options.token ? 'a token from the environment (--token-env)' : 'none needed';
	if (!session.token) {
		const probe = await session.send(plan.list, plan.list.path);
		if (probe.answer.status === 401 || probe.answer.status === 403) {
			const signedIn = await signIn(session, plan, probe.answer, options.random);
			if (!signedIn.ok) {
				return result(false, signedIn.auth);
			}

			auth = signedIn.auth;
		}
	}

	// 2. One todo, created, listed, updated, read back, deleted.
	const created = await createTodo(session, plan);
	if (!created) {
		return result(false, auth);
	}

	await todoCycle(session, plan, created);
	return result(
		session.steps.every(step => step.ok),
		auth,
	);
}

/** A throwaway user, signed up (when the API has a sign-up) and logged in; its token goes on the session. */
async function signIn(session: Session, plan: ApiPlan, refused: Answer, random: () => string): Promise<{ok: boolean; auth: string}> {
	if (!plan.auth) {
		session.record('sign in', refused, false, 'a way to sign up and log in in the OpenAPI document');
		return {ok: false, auth: 'not possible: the API wants a token, and its document names no log-in'};
	}

	const {register, login, userField, passwordField} = plan.auth;
	const secret = random();
	const name = `todo-deploy-${secret
		.slice(0, 10)
		.toLowerCase()
		.replaceAll(/[^a-z0-9]/g, 'x')}`;
	const password = `Td-${secret}-9z!`;
	const email = `${name}@example.com`;
	let user = name;
	if (register?.body) {
		const body = {...sampleObject(plan.document, register.body.schema, name)};
		const fields = Object.keys((register.body.schema['properties'] as Record<string, unknown> | undefined) ?? {});
		const registerUser = ['email', 'username', 'login', 'user', 'name'].find(field => fields.includes(field)) ?? userField;
		user = /mail/i.test(registerUser) ? email : name;
		body[registerUser] = user;
		if (fields.includes('email')) {
			body['email'] = email;
		}

		const passwordKey = fields.find(field => /pass(word)?/i.test(field)) ?? passwordField;
		body[passwordKey] = password;
		for (const confirm of fields.filter(field => /confirm|repeat|password2/i.test(field))) {
			body[confirm] = password;
		}

		const registered = await session.send(register, register.path, body);
		if (!session.record('sign up', registered.answer, register.codes.includes(registered.answer.status ?? 0), `${codesText(register.codes)}: a new user`)) {
			return {ok: false, auth: `signing up at ${register.path} failed`};
		}

		session.remains.push(`the throwaway user ${user} (the API has no way to delete a user)`);
	}

	const loginBody: Record<string, unknown> = {[userField]: /mail/i.test(userField) ? email : user, [passwordField]: password};
	const loginFields = Object.keys((login.body?.schema['properties'] as Record<string, unknown> | undefined) ?? {});
	if (loginFields.includes('grant_type')) {
		loginBody['grant_type'] = 'password';
	}

	const loggedIn = await session.send(login, login.path, loginBody);
	session.token = tokenOf(loggedIn.data);
	addSecrets([session.token, password]);
	if (!session.record('log in', loggedIn.answer, session.token !== undefined, `${codesText(login.codes)} with a token`)) {
		return {ok: false, auth: `logging in at ${login.path} gave no token`};
	}

	return {ok: true, auth: `signed up ${user} and logged in (${plan.auth.from}); requests carry its bearer token`};
}

type Created = {readonly id: string; readonly body: Record<string, unknown>};

async function createTodo(session: Session, plan: ApiPlan): Promise<Created | undefined> {
	const text = `todo-deploy smoke test ${new Date().toISOString()}`;
	const body = plan.create.body ? sampleObject(plan.document, plan.create.body.schema, text) : {title: text};
	const created = await session.send(plan.create, plan.create.path, body);
	const id = idOf(created.data, plan.idParam);
	const label = plan.labelField;
	const createdOk =
		plan.create.codes.includes(created.answer.status ?? 0) &&
		id !== undefined &&
		(!label || (created.data as Record<string, unknown> | undefined)?.[label] === body[label]);
	return session.record('create', created.answer, createdOk, `${codesText(plan.create.codes)} with the new todo and its id`) && id !== undefined
		? {id, body}
		: undefined;
}

/** The new todo listed, updated, read back and deleted; deleted in the end even when a step failed. */
async function todoCycle(session: Session, plan: ApiPlan, {id, body}: Created): Promise<void> {
	const {send, record} = session;
	const label = plan.labelField;
	const item = plan.item ? withId(plan.item, plan.idParam, id) : undefined;
	let removed = false;
	try {
		const listed = await send(plan.list, plan.list.path);
		record(
			'list',
			listed.answer,
			plan.list.codes.includes(listed.answer.status ?? 0) && (itemsOf(listed.data) ?? []).some(entry => idOf(entry, plan.idParam) === id),
			`${codesText(plan.list.codes)} with the new todo in the list`,
		);
		if (plan.update && item) {
			const fields = Object.keys((plan.update.body?.schema['properties'] as Record<string, unknown> | undefined) ?? {});
			const changes: Record<string, unknown> = {
				...(plan.doneField ? {[plan.doneField]: true} : {}),
				...(label && (fields.includes(label) || fields.length === 0) ? {[label]: `${String(body[label])} (updated)`.slice(0, 200)} : {}),
			};
			const updateBody = plan.update.method === 'PUT' ? {...body, ...changes} : changes;
			const updated = await send(plan.update, item, updateBody);
			const data = updated.data as Record<string, unknown> | undefined;
			record(
				'update',
				updated.answer,
				plan.update.codes.includes(updated.answer.status ?? 0) && (!plan.doneField || data?.[plan.doneField] === true || plan.update.codes.includes(204)),
				`${codesText(plan.update.codes)}${plan.doneField ? ` with ${plan.doneField}: true` : ''} (${plan.update.method})`,
			);
		}

		if (plan.read && item) {
			const read = await send(plan.read, item);
			record(
				'read back',
				read.answer,
				plan.read.codes.includes(read.answer.status ?? 0) &&
					(!plan.doneField || !plan.update || (read.data as Record<string, unknown>)[plan.doneField] === true),
				`${codesText(plan.read.codes)} with the change`,
			);
		}

		if (plan.remove && item) {
			const deleted = await send(plan.remove, item);
			removed = plan.remove.codes.includes(deleted.answer.status ?? 0);
			record('delete', deleted.answer, removed, codesText(plan.remove.codes));
			if (removed && plan.read) {
				const gone = await send(plan.read, item);
				record('gone', gone.answer, gone.answer.status === 404, '404 for the deleted todo');
			}
		}
	} finally {
		// What the test made does not stay: a failed step above still ends with the todo deleted.
		if (!removed && plan.remove && item) {
			const again = await send(plan.remove, item);
			removed = plan.remove.codes.includes(again.answer.status ?? 0);
		}

		if (!removed) {
			session.remains.push(`the todo ${id}${item ? ` at ${item}` : ''} (${plan.remove ? 'deleting it failed' : 'the API has no delete'})`);
		}
	}
}
