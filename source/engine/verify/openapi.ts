// Pure: the app's API as its OpenAPI document describes it (FastAPI serves one at /openapi.json). The
// todo resource (a collection whose POST creates and GET lists, an item path with an id), how an item
// is updated, what a create needs (the schema's required fields, filled with valid values), the codes
// each operation declares, and how a user signs up and logs in. Nothing here is guessed from our own
// defaults: what is not in the document is said as not found, with what was tried.

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type Operation = {
	readonly method: Method;
	readonly path: string;
	readonly body: {readonly form: boolean; readonly schema: Json} | undefined;
	/** The 2xx codes the document declares (200 when it declares none). */
	readonly codes: readonly number[];
	readonly secured: boolean;
};

export type AuthPlan = {
	readonly register: Operation | undefined;
	readonly login: Operation;
	/** The login body's field names for the user and the password. */
	readonly userField: string;
	readonly passwordField: string;
	/** Where the login was found: "OAuth2 password flow (securitySchemes)" or "POST /login". */
	readonly from: string;
};

export type ApiPlan = {
	readonly collection: string;
	readonly create: Operation;
	readonly list: Operation;
	/** The item path with its parameter, e.g. /api/v1/tasks/{task_id}. */
	readonly item: string | undefined;
	readonly idParam: string | undefined;
	readonly read: Operation | undefined;
	readonly update: Operation | undefined;
	readonly remove: Operation | undefined;
	/** The create body's text field whose value is checked on the way back (title, name, text…). */
	readonly labelField: string | undefined;
	/** A boolean field an update sets (completed, done…). */
	readonly doneField: string | undefined;
	readonly auth: AuthPlan | undefined;
	readonly health: readonly string[];
	/** The chatbot: a POST that takes a message (chat, assistant, ask…), and the field the message goes in. */
	readonly chat?: {readonly operation: Operation; readonly field: string} | undefined;
	/** The document, for the $refs inside a body's schema. */
	readonly document: Json;
};

const methods: readonly Method[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const notTodos = /(auth|login|logout|token|register|signup|sign-up|users?|me|health|ready|live|metrics|openapi|docs|session)/i;
const todoWords = /(todo|task|item|note|entr|card)/i;
const labelNames = ['title', 'name', 'text', 'content', 'task', 'label', 'description', 'body'];
const doneNames = ['completed', 'done', 'is_completed', 'isCompleted', 'is_done', 'isDone', 'finished', 'complete', 'checked'];

export function resolveRef(doc: Json, schema: unknown, depth = 0): Json {
	if (!isObject(schema) || depth > 20) {
		return {};
	}

	const reference = schema['$ref'];
	if (typeof reference === 'string' && reference.startsWith('#/')) {
		let node: unknown = doc;
		for (const part of reference.slice(2).split('/')) {
			node = isObject(node) ? node[part.replaceAll('~1', '/').replaceAll('~0', '~')] : undefined;
		}

		return resolveRef(doc, node, depth + 1);
	}

	const all = schema['allOf'];
	if (Array.isArray(all)) {
		const parts = all.map(part => resolveRef(doc, part, depth + 1));
		return {
			...Object.assign({}, ...parts),
			properties: Object.assign({}, ...parts.map(part => part['properties'] ?? {})),
			required: parts.flatMap(part => (Array.isArray(part['required']) ? part['required'] : [])),
		};
	}

	const one = schema['anyOf'] ?? schema['oneOf'];
	if (Array.isArray(one)) {
		const chosen = one.map(part => resolveRef(doc, part, depth + 1)).find(part => part['type'] !== 'null') ?? {};
		return {...schema, ...chosen, anyOf: undefined, oneOf: undefined};
	}

	return schema;
}

const propertiesOf = (schema: Json): Record<string, unknown> => (isObject(schema['properties']) ? schema['properties'] : {});
const requiredOf = (schema: Json): string[] => (Array.isArray(schema['required']) ? schema['required'].filter(name => typeof name === 'string') : []);

function operationOf(doc: Json, path: string, method: Method, raw: Json, globalSecurity: boolean): Operation {
	const content = isObject(raw['requestBody']) ? resolveRef(doc, raw['requestBody'])['content'] : undefined;
	const json = isObject(content) ? Object.entries(content).find(([type]) => /json/.test(type)) : undefined;
	const form = isObject(content) ? Object.entries(content).find(([type]) => /x-www-form-urlencoded|multipart\/form-data/.test(type)) : undefined;
	const chosen = json ?? form;
	const schema = chosen && isObject(chosen[1]) ? resolveRef(doc, chosen[1]['schema']) : undefined;
	const codes = Object.keys(isObject(raw['responses']) ? raw['responses'] : {})
		.filter(code => /^2\d\d$/.test(code))
		.map(Number);
	const security = raw['security'];
	return {
		method,
		path,
		body: schema ? {form: !json && Boolean(form), schema} : undefined,
		codes: codes.length > 0 ? codes : [200],
		secured: Array.isArray(security) ? security.length > 0 : globalSecurity,
	};
}

function operationsOf(doc: Json): Operation[] {
	const paths = isObject(doc['paths']) ? doc['paths'] : {};
	const globalSecurity = Array.isArray(doc['security']) && doc['security'].length > 0;
	return Object.entries(paths).flatMap(([path, item]) =>
		isObject(item)
			? methods.flatMap(method => {
					const raw = item[method.toLowerCase()];
					return isObject(raw) ? [operationOf(doc, path, method, raw, globalSecurity)] : [];
				})
			: [],
	);
}

/** A value the schema accepts, for a field of this name. */
export function sampleValue(doc: Json, raw: unknown, name: string, text: string, depth = 0): unknown {
	const schema = resolveRef(doc, raw);
	const enumeration = schema['enum'];
	if (Array.isArray(enumeration) && enumeration.length > 0) {
		return enumeration[0];
	}

	if (schema['default'] !== undefined && !labelNames.includes(name)) {
		return schema['default'];
	}

	const format = String(schema['format'] ?? '');
	switch (schema['type']) {
		case 'integer':
		case 'number': {
			return typeof schema['minimum'] === 'number' ? schema['minimum'] : 1;
		}

		case 'boolean': {
			return false;
		}

		case 'array': {
			return [];
		}

		case 'object': {
			return depth > 4 ? {} : sampleObject(doc, schema, text, depth + 1);
		}

		default: {
			if (format === 'email' || /e-?mail/i.test(name)) {
				return `todo-deploy-${text.replaceAll(/\W/g, '').slice(-10).toLowerCase()}@example.com`;
			}

			if (format === 'date-time') {
				return new Date().toISOString();
			}

			if (format === 'date') {
				return new Date().toISOString().slice(0, 10);
			}

			if (format === 'uuid') {
				return crypto.randomUUID();
			}

			if (format === 'uri' || format === 'url') {
				return 'https://example.com/';
			}

			const max = typeof schema['maxLength'] === 'number' ? schema['maxLength'] : 200;
			const min = typeof schema['minLength'] === 'number' ? schema['minLength'] : 0;
			return text.padEnd(min, '.').slice(0, max);
		}
	}
}

/** The required fields (and a label field, to check on the way back), filled with valid values. */
export function sampleObject(doc: Json, schema: Json, text: string, depth = 0): Json {
	const properties = propertiesOf(schema);
	const label = labelFieldOf(schema);
	const names = [...new Set([...requiredOf(schema), ...(label ? [label] : [])])];
	return Object.fromEntries(names.filter(name => name in properties).map(name => [name, sampleValue(doc, properties[name], name, text, depth)]));
}

export function labelFieldOf(schema: Json): string | undefined {
	const properties = propertiesOf(schema);
	const text = (name: string) => {
		const property = properties[name];
		return isObject(property) && (property['type'] === 'string' || property['type'] === undefined);
	};

	return labelNames.find(name => name in properties && text(name));
}

const doneFieldOf = (schema: Json): string | undefined => {
	const properties = propertiesOf(schema);
	return doneNames.find(name => isObject(properties[name]) && (properties[name] as Json)['type'] === 'boolean');
};

const trimSlash = (path: string) => (path.length > 1 ? path.replace(/\/$/, '') : path);

function findAuth(doc: Json, operations: readonly Operation[]): AuthPlan | undefined {
	const schemes = isObject(doc['components']) && isObject(doc['components']['securitySchemes']) ? doc['components']['securitySchemes'] : {};
	let login: Operation | undefined;
	let from = '';
	for (const scheme of Object.values(schemes)) {
		const flows = isObject(scheme) && isObject(scheme['flows']) ? scheme['flows'] : undefined;
		const password = flows && isObject(flows['password']) ? flows['password'] : undefined;
		const tokenUrl = typeof password?.['tokenUrl'] === 'string' ? password['tokenUrl'] : undefined;
		if (tokenUrl) {
			const path = new URL(tokenUrl, 'http://x/').pathname;
			login = operations.find(operation => operation.method === 'POST' && trimSlash(operation.path) === trimSlash(path));
			from = `the OAuth2 password flow's tokenUrl (${tokenUrl})`;
		}
	}

	const postsWithPassword = operations.filter(
		operation => operation.method === 'POST' && operation.body && Object.keys(propertiesOf(operation.body.schema)).some(name => /pass(word)?/i.test(name)),
	);
	if (!login) {
		login = postsWithPassword.find(operation => /(log-?in|sign-?in|token|session)s?\/?$/i.test(operation.path));
		from = login ? `POST ${login.path}` : '';
	}

	if (!login?.body) {
		return undefined;
	}

	const fields = Object.keys(propertiesOf(login.body.schema));
	const userField = ['username', 'email', 'login', 'user', 'identifier'].find(name => fields.includes(name));
	const passwordField = fields.find(name => /pass(word)?/i.test(name));
	if (!userField || !passwordField) {
		return undefined;
	}

	const register = postsWithPassword.find(operation => operation !== login && /(register|sign-?up|users?|accounts?)\/?$/i.test(operation.path));
	return {register, login, userField, passwordField, from};
}

/** The todo resource and how to use it, or why it was not found. */
export function planFromOpenApi(document: unknown): {readonly plan: ApiPlan | undefined; readonly tried: readonly string[]} {
	if (!isObject(document) || !isObject(document['paths'])) {
		return {plan: undefined, tried: ['the document has no paths']};
	}

	const operations = operationsOf(document);
	const byPath = (path: string) => operations.filter(operation => trimSlash(operation.path) === trimSlash(path));
	const candidates = [...new Set(operations.map(operation => operation.path))].flatMap(path => {
		const here = byPath(path);
		const create = here.find(operation => operation.method === 'POST' && operation.body);
		const list = here.find(operation => operation.method === 'GET');
		if (!create || !list || notTodos.test(path) || path.includes('{')) {
			return [];
		}

		const itemPath = [...new Set(operations.map(operation => operation.path))].find(other =>
			new RegExp(`^${trimSlash(path).replaceAll(/[.*+?^${}()|[\]\\]/g, '\\$&')}/\\{[^}/]+\\}/?$`).test(other),
		);
		const item = itemPath ? byPath(itemPath) : [];
		const score =
			(todoWords.test(path) ? 8 : 0) +
			(item.some(operation => operation.method === 'DELETE') ? 4 : 0) +
			(item.some(operation => operation.method === 'PUT' || operation.method === 'PATCH') ? 2 : 0) -
			path.split('/').length * 0.01;
		return [{path, create, list, itemPath, item, score}];
	});
	const best = candidates.sort((a, b) => b.score - a.score)[0];
	if (!best) {
		return {
			plan: undefined,
			tried: [`${operations.length} operations read; none is a collection (a path with GET and a POST that takes a body, outside auth, users and health)`],
		};
	}

	const schema = best.create.body?.schema ?? {};
	const idParam = best.itemPath ? /\{([^}]+)\}/.exec(best.itemPath)?.[1] : undefined;
	const update = best.item.find(operation => operation.method === 'PATCH') ?? best.item.find(operation => operation.method === 'PUT');
	const updateSchema = update?.body?.schema ?? schema;
	const health = operations
		.filter(operation => operation.method === 'GET' && /(health|ready|live|status|ping)z?\/?$/i.test(operation.path) && !operation.path.includes('{'))
		.map(operation => operation.path);
	return {
		plan: {
			collection: best.path,
			create: best.create,
			list: best.list,
			item: best.itemPath,
			idParam,
			read: best.item.find(operation => operation.method === 'GET'),
			update,
			remove: best.item.find(operation => operation.method === 'DELETE'),
			labelField: labelFieldOf(schema),
			doneField: doneFieldOf(updateSchema) ?? doneFieldOf(schema),
			auth: findAuth(document, operations),
			health,
			chat: chatOperationOf(document, operations),
			document,
		},
		tried: [],
	};
}

const chatPaths = /(^|\/)(chat|chatbot|assistant|ask|conversations?|messages?|completions?)(\/|$)/i;
const messageFields = ['message', 'prompt', 'content', 'text', 'question', 'query', 'input', 'msg'];

/** The chat operation: a POST on a chat-like path whose body has a text field for the message. */
export function chatOperationOf(document: Json, operations: readonly Operation[]): ApiPlan['chat'] {
	for (const operation of operations) {
		if (operation.method !== 'POST' || !operation.body || !chatPaths.test(operation.path) || operation.path.includes('{')) {
			continue;
		}

		const properties = resolveRef(document, operation.body.schema)['properties'];
		const names = isObject(properties) ? Object.keys(properties) : [];
		const field = messageFields.find(name => names.includes(name)) ?? names.find(name => messageFields.some(word => name.toLowerCase().includes(word)));
		if (field) {
			return {operation, field};
		}
	}

	return undefined;
}

/** The token in a login's answer: access_token, token, accessToken, jwt (also under data). */
export function tokenOf(answer: unknown): string | undefined {
	const names = ['access_token', 'accessToken', 'token', 'jwt', 'id_token', 'idToken'];
	const from = (value: unknown): string | undefined => {
		if (!isObject(value)) {
			return undefined;
		}

		const name = names.find(key => typeof value[key] === 'string' && value[key] !== '');
		return name ? (value[name] as string) : from(value['data']);
	};

	return from(answer);
}

/** The id of a created item, by the item path's parameter name, then id, _id, uuid. */
export function idOf(answer: unknown, idParam: string | undefined): string | undefined {
	if (!isObject(answer)) {
		return undefined;
	}

	const keys = [...(idParam ? [idParam, idParam.replace(/_?id$/i, '') + 'Id'] : []), 'id', '_id', 'uuid', 'ID'];
	const key = keys.find(name => typeof answer[name] === 'string' || typeof answer[name] === 'number');
	return key === undefined ? (isObject(answer['data']) ? idOf(answer['data'], idParam) : undefined) : String(answer[key]);
}
