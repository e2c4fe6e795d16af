// The README's exit-code table is the contract: every class, its code and its meaning, as the one
// owner of exit codes (engine/outcome.ts) has them.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {exitCodeOf, outcomeClasses, type FailureClass} from '../../source/engine/outcome.js';
import {repoRoot} from '../helpers/paths.js';

/** The rows of the README's "Exit codes" table: code, class, meaning. */
export function readmeExitCodes(): Map<string, {code: number; meaning: string}> {
	const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
	const section = readme.slice(readme.indexOf('### Exit codes'));
	const rows = [...section.matchAll(/^\| (\d+) \| `([a-z-]+)` \| (.+) \|$/gm)];
	return new Map(rows.map(([, code = '', name = '', meaning = '']) => [name, {code: Number(code), meaning}]));
}

test('the README lists every outcome class with the code and meaning the CLI uses', () => {
	const table = readmeExitCodes();
	assert.deepEqual([...table.keys()], Object.keys(outcomeClasses));
	for (const [name, {code, meaning}] of Object.entries(outcomeClasses)) {
		assert.deepEqual(table.get(name), {code, meaning}, name);
	}
});

test('exitCodeOf maps each class to its code, and no failure to 0', () => {
	assert.equal(exitCodeOf({failure: undefined}), 0);
	for (const name of Object.keys(outcomeClasses).filter(key => key !== 'ok') as FailureClass[]) {
		assert.equal(exitCodeOf({failure: name}), outcomeClasses[name].code);
	}

	assert.equal(new Set(Object.values(outcomeClasses).map(entry => entry.code)).size, Object.keys(outcomeClasses).length, 'codes are distinct');
});
