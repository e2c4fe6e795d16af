// The end of a verify that passed says only what it checked: --no-load is not "the load target is met".
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {verifiedWords} from '../../source/render/verify-words.js';

const load = {users: 100, durationMs: 30_000, p95: 40} as never;

test('--no-load: the load check is named as not run, never as met', () => {
	const words = verifiedWords(
		{browser: undefined, chatbot: {state: 'not run', why: 'chatbot not verified: no Gemini key given (the chatbot is off)'}, load: undefined},
		{loadAsked: false},
	);
	assert.equal(
		words,
		'Verified: healthy and the todo API works. Not checked: the load check (--no-load); the chatbot (no Gemini key given (the chatbot is off)).',
	);
	assert.doesNotMatch(words, /load target is met/);
});

test('everything checked: each is named, and nothing is left as not checked', () => {
	const words = verifiedWords(
		{
			browser: {url: 'http://localhost:3000'} as never,
			chatbot: {state: 'verified', reply: 'Welcome!', answer: {} as never},
			load,
		},
		{loadAsked: true},
	);
	assert.equal(words, 'Verified: healthy, the todo API works, http://localhost:3000 serves the app, the chatbot answers and the load target is met.');
});
