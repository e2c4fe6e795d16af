import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
	{ignores: ['dist/', 'node_modules/', '.cache/', 'charts/', 'test/fixtures/']},
	js.configs.recommended,
	...tseslint.configs.recommended,
	{
		files: ['**/*.{ts,tsx}'],
		rules: {
			'@typescript-eslint/consistent-type-imports': 'error',
			'@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_'}],
			'no-restricted-syntax': ['error', {selector: 'ExportDefaultDeclaration', message: 'Use named exports.'}],
		},
	},
	{
		// The engine and adapters stay free of React and of views.
		files: ['source/engine/**', 'source/adapters/**', 'source/diagnose/**', 'source/render/**'],
		rules: {
			'no-restricted-imports': ['error', {patterns: [
				{group: ['react', 'ink', 'ink-*'], message: 'The engine, adapters and renderers do not use React.'},
				{group: ['**/views/**'], message: 'Views subscribe to state; nothing below them imports a view.'},
			]}],
		},
	},
	{
		files: ['source/views/**'],
		rules: {
			'no-restricted-imports': ['error', {patterns: [
				{group: ['**/adapters/**'], message: 'A view never calls an adapter; it renders state.'},
			]}],
		},
	},
	{
		files: ['**/*.js'],
		languageOptions: {globals: {process: 'readonly', console: 'readonly', URL: 'readonly'}},
	},
);
