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
	const section = readme.slice(readme.indexOf('## Exit codes'));
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

test("exitCodeOf gives each outcome the README's code, and success 0", () => {
	const table = readmeExitCodes();
	assert.ok(table.size >= 10, 'the README has the table');
	assert.equal(exitCodeOf({failure: undefined}), table.get('ok')?.code);
	for (const [name, {code}] of table) {
		if (name !== 'ok') {
			assert.equal(exitCodeOf({failure: name as FailureClass}), code, name);
		}
	}

	assert.equal(new Set([...table.values()].map(entry => entry.code)).size, table.size, 'codes are distinct');
});
