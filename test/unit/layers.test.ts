// The layers are the linter's to keep: an import across a forbidden line fails `npm run lint`.
import assert from 'node:assert/strict';
import path from 'node:path';
import {test} from 'node:test';
import {ESLint} from 'eslint';
import tseslint from 'typescript-eslint';
import {repoRoot} from '../helpers/paths.js';

type RuleMeta = {meta?: {docs?: {requiresTypeChecking?: boolean}}};
const typeAwareRules = Object.entries((tseslint.plugin as {rules?: Record<string, RuleMeta>}).rules ?? {})
	.filter(([, rule]) => rule.meta?.docs?.requiresTypeChecking)
	.map(([name]) => `@typescript-eslint/${name}`);

// The files below are not on disk, so the type-aware rules (which need the project's types) are off here;
// the layer rules are the ones under test.
const eslint = new ESLint({
	cwd: repoRoot,
	overrideConfig: {
		languageOptions: {parserOptions: {projectService: false}},
		rules: Object.fromEntries(typeAwareRules.map(rule => [rule, 'off'])),
	},
});

async function problems(file: string, code: string): Promise<string[]> {
	const [result] = await eslint.lintText(code, {filePath: path.join(repoRoot, file)});
	const messages = result?.messages ?? [];
	assert.deepEqual(
		messages.filter(message => message.fatal).map(message => message.message),
		[],
		'the code under test must parse',
	);
	return messages.filter(message => message.ruleId === 'no-restricted-imports').map(message => message.message);
}

test('the engine imports no view, renderer, command or React', async () => {
	assert.match(
		(await problems('source/engine/deploy/x.ts', "import {FlowApp} from '../../views/flow-app.js';\nexport const a = FlowApp;\n")).join(),
		/nothing below them imports a view/,
	);
	assert.match(
		(await problems('source/engine/deploy/x.ts', "import {statusLines} from '../../render/status-report.js';\nexport const a = statusLines;\n")).join(),
		/rendering it is render\//,
	);
	assert.match(
		(await problems('source/engine/x.ts', "import {upCommand} from '../commands/up.js';\nexport const a = upCommand;\n")).join(),
		/Commands call the engine/,
	);
	assert.match((await problems('source/engine/x.ts', "import {Box} from 'ink';\nexport const a = Box;\n")).join(), /do not use React/);
	assert.deepEqual(await problems('source/engine/x.ts', "import {runHelm} from '../adapters/helm.js';\nexport const a = runHelm;\n"), []);
});

test('views never call an adapter or a command; commands go through the engine', async () => {
	assert.match(
		(await problems('source/views/x.tsx', "import {runHelm} from '../adapters/helm.js';\nexport const a = runHelm;\n")).join(),
		/Only the engine talks to adapters/,
	);
	assert.match(
		(await problems('source/commands/x.ts', "import {connectCluster} from '../adapters/cluster.js';\nexport const a = connectCluster;\n")).join(),
		/Only the engine talks to adapters/,
	);
	assert.deepEqual(await problems('source/commands/x.ts', "import {connect} from '../engine/cluster.js';\nexport const a = connect;\n"), []);
});

test("an adapter may name the engine's types, not run its code", async () => {
	assert.deepEqual(await problems('source/adapters/x.ts', "import type {LocalKind} from '../engine/doctor/types.js';\nexport type A = LocalKind;\n"), []);
	assert.match(
		(await problems('source/adapters/x.ts', "import {runDoctor} from '../engine/doctor/run.js';\nexport const a = runDoctor;\n")).join(),
		/may name the engine's types/,
	);
});

test('a command imports no other command; the command kit serves them all and imports none', async () => {
	assert.match(
		(await problems('source/commands/x.ts', "import {upCommand} from './up.js';\nexport const a = upCommand;\n")).join(),
		/A command does not import another command/,
	);
	assert.deepEqual(await problems('source/commands/x.ts', "import {showStatus} from '../command-kit/status-screen.js';\nexport const a = showStatus;\n"), []);
	assert.match(
		(await problems('source/command-kit/x.ts', "import {upCommand} from '../commands/up.js';\nexport const a = upCommand;\n")).join(),
		/The command kit serves the commands/,
	);
	assert.match(
		(await problems('source/views/x.tsx', "import {runWithScreens} from '../command-kit/runner.js';\nexport const a = runWithScreens;\n")).join(),
		/Commands call the engine/,
	);
});
