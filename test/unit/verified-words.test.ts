// The end of a verify that passed says only what it checked: --no-load is not "the load target is met";
// the end of up whose app works but missed the load target still gives the address first.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {loadMissedWords, upSucceededWords} from '../../source/render/up-words.js';
import {onlyLoadMissed} from '../../source/engine/up/run.js';
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

test('the end of up when only the load target was missed: the address first, then what was verified and what was not met', () => {
	const words = upSucceededWords({
		namespace: 'todo',
		report: '.todo-deploy/report.md',
		frontend: 'http://localhost:3000',
		live: true,
		reach: 'kind-mapping',
		verified: true,
		missed: loadMissedWords({p95: 843.6, targetP95Ms: 500, errors: 0}),
	});
	assert.match(words, /^Open http:\/\/localhost:3000 in your browser: sign up in the app/);
	assert.match(words, /Verified as a user meets it, but the load target is not met \(p95 844 ms against 500 ms\); report: \.todo-deploy\/report\.md\./);
	assert.doesNotMatch(words, /Verified;/);
	assert.equal(loadMissedWords({p95: 612, targetP95Ms: 500, errors: 3}), 'the load target is not met (p95 612 ms against 500 ms, 3 errors)');
	assert.equal(loadMissedWords(undefined), 'the load check did not pass');
});

test('only the load check missed: the app was deployed and verify failed at the load row, not at any other', () => {
	const deploy = {} as never;
	assert.equal(onlyLoadMissed({failedStep: 'load', deploy, failure: 'verify'}), true);
	assert.equal(onlyLoadMissed({failedStep: 'smoke', deploy, failure: 'verify'}), false);
	assert.equal(onlyLoadMissed({failedStep: 'load', deploy: undefined, failure: 'verify'}), false);
	assert.equal(onlyLoadMissed({failedStep: 'load', deploy, failure: 'cancelled'}), false);
	assert.equal(onlyLoadMissed({failedStep: undefined, deploy, failure: undefined}), false);
});
