import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

// The layers (the team's STYLE.md): commands (with their kit) -> engine -> adapters; views and render read the engine's
// state. Each layer names what it may not import; one entry per folder, since a later
// no-restricted-imports replaces an earlier one for the same file.
const react = {group: ['react', 'react/*', 'ink', 'ink-*'], message: 'The engine, adapters and renderers do not use React.'};
const views = {group: ['**/views/**'], message: 'Views subscribe to state; nothing below them imports a view.'};
const commands = {
	group: ['**/commands/**', '**/command-kit/**'],
	message: 'Commands call the engine; nothing the engine or a view uses imports a command or the command kit.',
};
// A command is a leaf: the kit (flags, runner, screens) serves every command, and no command another.
const otherCommands = {group: ['./*'], message: 'A command does not import another command; what two share belongs in the command kit.'};
const render = {group: ['**/render/**'], message: "The engine returns data; rendering it is render/ and views/ work, not the engine's."};
const adapters = {group: ['**/adapters/**'], message: 'Only the engine talks to adapters.'};
const engineAtRunTime = {
	group: ['**/engine/**'],
	allowTypeImports: true,
	message: "An adapter wraps one outside tool; it may name the engine's types, not run its code.",
};

// Type-aware checks: every switch on a union covers it, no promise is left floating, no condition is always the same.
const typeAwareRules = {
	'@typescript-eslint/switch-exhaustiveness-check': ['error', {considerDefaultExhaustiveForUnions: true}],
	// node:test's test() returns a promise the runner awaits.
	'@typescript-eslint/no-floating-promises': [
		'error',
		{allowForKnownSafeCalls: [{from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'before', 'after', 'beforeEach', 'afterEach']}]},
	],
	'@typescript-eslint/no-unnecessary-condition': 'error',
};

const layer = (files, patterns, ignores = []) => ({files, ignores, rules: {'no-restricted-imports': ['error', {patterns}]}});

export default tseslint.config(
	{ignores: ['dist/', 'node_modules/', '.cache/', 'charts/', 'test/fixtures/']},
	js.configs.recommended,
	...tseslint.configs.recommended,
	{
		files: ['source/**/*.{ts,tsx}', 'test/**/*.{ts,tsx}', 'bench/**/*.{ts,tsx}'],
		languageOptions: {parserOptions: {projectService: true, tsconfigRootDir: import.meta.dirname}},
		rules: typeAwareRules,
	},
	{
		// A function longer than a screen and a half does more than one job: name the jobs.
		files: ['source/**/*.{ts,tsx}'],
		rules: {'max-lines-per-function': ['error', {max: 120}]},
	},
	{
		files: ['source/views/**/*.tsx'],
		plugins: {'react-hooks': reactHooks},
		rules: reactHooks.configs.recommended.rules,
	},
	{
		files: ['**/*.{ts,tsx}'],
		rules: {
			'@typescript-eslint/consistent-type-imports': 'error',
			'@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_'}],
			'no-restricted-syntax': ['error', {selector: 'ExportDefaultDeclaration', message: 'Use named exports.'}],
			// Prettier folds code at 160 columns; what it cannot fold (long words in comments) is held here too.
			'max-len': ['error', {code: 160, tabWidth: 1, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true, ignoreUrls: true}],
		},
	},
	layer(['source/engine/**'], [react, views, commands, render]),
	layer(['source/diagnose/**'], [react, views, commands, render, adapters]),
	layer(['source/adapters/**'], [react, views, commands, render, engineAtRunTime]),
	layer(['source/render/**'], [react, views, commands, adapters]),
	layer(['source/views/**'], [adapters, commands]),
	layer(['source/commands/**'], [adapters, otherCommands], ['source/commands/index.ts']),
	layer(['source/commands/index.ts'], [adapters]),
	layer(['source/command-kit/**'], [adapters, {group: ['**/commands/**'], message: 'The command kit serves the commands; it imports none of them.'}]),
	{
		files: ['**/*.js'],
		languageOptions: {globals: {process: 'readonly', console: 'readonly', URL: 'readonly'}},
	},
);
