// The manual is docs/: a page per command, which COMMAND --help names, and README.md links them all.
import assert from 'node:assert/strict';
import {existsSync, readFileSync, readdirSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {commandHelp} from '../../source/command-kit/command.js';
import {commands} from '../../source/commands/index.js';
import {repoRoot} from '../helpers/paths.js';

const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
const linked = (text: string) => [...text.matchAll(/\]\(([^)#\s]+\.md)(?:#[^)]*)?\)/g)].map(match => match[1] ?? '');

test('every command has a page, its --help names it, and the README links it', () => {
	for (const command of commands) {
		const page = `docs/${command.name}.md`;
		assert.ok(existsSync(path.join(repoRoot, page)), `${page} exists`);
		const help = commandHelp(command, '0.0.0');
		assert.ok(help.includes(`Manual: ${page}`), `${command.name} --help names ${page}`);
		assert.ok(help.includes(path.join(repoRoot, page)), `${command.name} --help gives where ${page} is in this copy`);
		assert.ok(linked(readme).includes(page), `README.md links ${page}`);
	}
});

test('every link between the pages leads to a page that exists, and every page is linked from the README', () => {
	const pages = readdirSync(path.join(repoRoot, 'docs')).filter(file => file.endsWith('.md'));
	for (const file of ['README.md', ...pages.map(page => `docs/${page}`)]) {
		for (const target of linked(readFileSync(path.join(repoRoot, file), 'utf8'))) {
			if (/^https?:/.test(target)) continue;
			assert.ok(existsSync(path.join(repoRoot, path.dirname(file), target)), `${file} links ${target}, which exists`);
		}
	}

	for (const page of pages) {
		assert.ok(linked(readme).includes(`docs/${page}`), `README.md links docs/${page}`);
	}
});

test('the README stays a short front page', () => {
	assert.ok(readme.split('\n').length < 250, `README.md has ${readme.split('\n').length} lines`);
});
