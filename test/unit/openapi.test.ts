// The app's API as its OpenAPI document says: the document FastAPI 0.92 serves for the team's backend
// (captured from the fixture app run by uvicorn), and other shapes real APIs have (an Express API with
// a JSON log-in that answers {token}, PUT updates and 201 creates; an API with no collection).
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {idOf, planFromOpenApi, sampleObject, tokenOf} from '../../source/engine/verify/openapi.js';
import {localFixtures} from '../helpers/paths.js';

const teamDocument = JSON.parse(readFileSync(path.join(localFixtures, 'openapi/team-app-fastapi-0.92.json'), 'utf8')) as Record<string, unknown>;

test("the team's FastAPI document: the tasks collection, PATCH updates, a create that answers 200, and OAuth2 sign-in", () => {
	const {plan, tried} = planFromOpenApi(teamDocument);
	assert.deepEqual(tried, []);
	assert.ok(plan);
	assert.equal(plan.collection, '/api/v1/tasks/');
	assert.equal(plan.item, '/api/v1/tasks/{task_id}');
	assert.equal(plan.idParam, 'task_id');
	assert.deepEqual(plan.create.codes, [200]);
	assert.equal(plan.update?.method, 'PATCH');
	assert.deepEqual(plan.remove?.codes, [204]);
	assert.equal(plan.labelField, 'title');
	assert.equal(plan.doneField, 'completed');
	assert.deepEqual(plan.health, ['/healthz']);
	assert.equal(plan.auth?.login.path, '/api/v1/auth/login');
	assert.equal(plan.auth.login.body?.form, true, 'OAuth2PasswordRequestForm is a form');
	assert.equal(plan.auth.register?.path, '/api/v1/auth/register');
	assert.deepEqual([plan.auth.userField, plan.auth.passwordField], ['username', 'password']);
	assert.match(plan.auth.from, /OAuth2 password flow's tokenUrl \(\/api\/v1\/auth\/login\)/);
	// The create body: the required title, within its length limits.
	const body = sampleObject(plan.document, plan.create.body?.schema ?? {}, 'x'.repeat(300));
	assert.deepEqual(Object.keys(body), ['title']);
	assert.equal(String(body['title']).length, 200);
});

const express = {
	openapi: '3.1.0',
	paths: {
		'/health': {get: {responses: {200: {description: 'ok'}}}},
		'/auth/signup': {
			post: {
				requestBody: {content: {'application/json': {schema: {$ref: '#/components/schemas/Signup'}}}},
				responses: {201: {description: 'created'}},
			},
		},
		'/auth/signin': {
			post: {
				requestBody: {
					content: {
						'application/json': {schema: {type: 'object', required: ['email', 'password'], properties: {email: {type: 'string'}, password: {type: 'string'}}}},
					},
				},
				responses: {200: {description: 'token'}},
			},
		},
		'/users': {
			get: {responses: {200: {description: 'users'}}},
			post: {requestBody: {content: {'application/json': {schema: {type: 'object'}}}}, responses: {201: {description: 'x'}}},
		},
		'/api/todos': {
			get: {security: [{bearer: []}], responses: {200: {description: 'list'}}},
			post: {
				security: [{bearer: []}],
				requestBody: {content: {'application/json': {schema: {$ref: '#/components/schemas/NewTodo'}}}},
				responses: {201: {description: 'created'}, 400: {description: 'bad'}},
			},
		},
		'/api/todos/{id}': {
			put: {requestBody: {content: {'application/json': {schema: {$ref: '#/components/schemas/NewTodo'}}}}, responses: {200: {description: 'updated'}}},
			delete: {responses: {200: {description: 'deleted'}}},
		},
	},
	components: {
		securitySchemes: {bearer: {type: 'http', scheme: 'bearer'}},
		schemas: {
			Signup: {
				allOf: [
					{type: 'object', required: ['email'], properties: {email: {type: 'string', format: 'email'}}},
					{type: 'object', required: ['password', 'name'], properties: {password: {type: 'string', minLength: 12}, name: {type: 'string'}}},
				],
			},
			NewTodo: {
				type: 'object',
				required: ['text', 'priority', 'due'],
				properties: {
					text: {type: 'string'},
					priority: {type: 'string', enum: ['low', 'high']},
					due: {type: 'string', format: 'date'},
					isDone: {type: 'boolean'},
					tags: {type: 'array', items: {type: 'string'}},
				},
			},
		},
	},
};

test('an Express-style document: /api/todos with PUT, 201 creates, a JSON sign-in, enums and dates filled with valid values', () => {
	const {plan} = planFromOpenApi(express);
	assert.ok(plan);
	assert.equal(plan.collection, '/api/todos', '/users has GET and POST, but it is not the todos');
	assert.deepEqual(plan.create.codes, [201]);
	assert.equal(plan.update?.method, 'PUT');
	assert.equal(plan.read, undefined);
	assert.equal(plan.labelField, 'text');
	assert.equal(plan.doneField, 'isDone');
	assert.equal(plan.auth?.login.path, '/auth/signin');
	assert.equal(plan.auth.login.body?.form, false);
	assert.equal(plan.auth.register?.path, '/auth/signup');
	assert.deepEqual([plan.auth.userField, plan.auth.passwordField], ['email', 'password']);
	const body = sampleObject(plan.document, plan.create.body?.schema ?? {}, 'smoke');
	assert.deepEqual(Object.keys(body).sort(), ['due', 'priority', 'text']);
	assert.equal(body['priority'], 'low');
	assert.match(String(body['due']), /^\d{4}-\d{2}-\d{2}$/);
	// allOf: the sign-up's required fields from both parts.
	const signup = sampleObject(plan.document, plan.auth.register.body?.schema ?? {}, 'smoke');
	assert.deepEqual(Object.keys(signup).sort(), ['email', 'name', 'password']);
	assert.match(String(signup['email']), /^todo-deploy-\w+@example\.com$/);
});

test('a document with no collection says what it read', () => {
	const {plan, tried} = planFromOpenApi({openapi: '3.0.0', paths: {'/health': {get: {responses: {}}}, '/auth/login': {post: {requestBody: {}}}}});
	assert.equal(plan, undefined);
	assert.match(tried.join(), /2 operations read; none is a collection/);
	assert.deepEqual(planFromOpenApi('not a document').tried, ['the document has no paths']);
});

test('tokens and ids where APIs put them', () => {
	assert.equal(tokenOf({access_token: 'a.b.c', token_type: 'bearer'}), 'a.b.c');
	assert.equal(tokenOf({data: {token: 'x1'}}), 'x1');
	assert.equal(tokenOf({accessToken: 'y2'}), 'y2');
	assert.equal(tokenOf({detail: 'Incorrect email or password'}), undefined);
	assert.equal(idOf({id: 7, title: 'x'}, 'task_id'), '7');
	assert.equal(idOf({_id: '65f0c2'}, 'id'), '65f0c2');
	assert.equal(idOf({data: {todoId: 'abc'}}, 'todo_id'), 'abc');
	assert.equal(idOf({todoId: 'abc'}, 'todo_id'), 'abc');
});
