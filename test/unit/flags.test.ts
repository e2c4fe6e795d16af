// Flags declared once: parsed, checked, defaulted and shown in help from the same declaration.
import assert from 'node:assert/strict';
import path from 'node:path';
import {test} from 'node:test';
import {commandHelp} from '../../source/command-kit/command.js';
import {
	booleanFlag,
	choiceFlag,
	flagLines,
	listFlag,
	numberFlag,
	pairsFlag,
	parseFlags,
	pathListFlag,
	stringFlag,
	UsageError,
	valueOptions,
} from '../../source/command-kit/flags.js';
import {commonFlags} from '../../source/command-kit/groups.js';
import {commands} from '../../source/commands/index.js';

const flags = {
	namespace: stringFlag({short: 'n', value: 'NAMESPACE', default: 'todo', description: 'the namespace'}),
	mirror: stringFlag({
		value: 'URL',
		env: 'TODO_DEPLOY_MIRROR',
		description: 'a mirror',
		check: value => (value.startsWith('http') ? undefined : 'is not an http address'),
	}),
	users: numberFlag({value: 'N', default: 100, min: 1, max: 10_000, integer: true, description: 'users'}),
	onFailure: choiceFlag({choices: ['keep', 'rollback'], description: 'what to keep'}),
	set: pairsFlag({value: 'KEY=VALUE', example: 'a=1', description: 'a value', refuse: key => (key.startsWith('secrets.') ? 'no secrets here' : undefined)}),
	skip: listFlag({value: 'LIST', commas: true, description: 'steps'}),
	values: pathListFlag({short: 'f', value: 'FILE', description: 'files'}),
	once: booleanFlag({description: 'once'}),
};

test('values come typed and defaulted; environment variables fill what the command line leaves out', () => {
	const {values, positionals} = parseFlags(
		flags,
		['./dir', '-n', 'demo', '--users', '20', '--set', 'a=1', '--set', 'b=x=y', '--skip', 'scan, lint', '--skip', 'verify', '-f', 'v.yaml', '--once'],
		{TODO_DEPLOY_MIRROR: 'https://mirror'},
	);
	assert.deepEqual(positionals, ['./dir']);
	assert.equal(values.namespace, 'demo');
	assert.equal(values.users, 20);
	assert.deepEqual(values.set, {a: '1', b: 'x=y'});
	assert.deepEqual(values.skip, ['scan', 'lint', 'verify']);
	assert.deepEqual(values.values, [path.resolve('v.yaml')]);
	assert.equal(values.mirror, 'https://mirror');
	assert.equal(values.once, true);
	assert.equal(values.onFailure, undefined);
	const defaults = parseFlags(flags, [], {}).values;
	assert.deepEqual([defaults.namespace, defaults.users, defaults.once, defaults.mirror], ['todo', 100, false, undefined]);
});

test('a bad value is a usage error that names the flag, the range or choices, and what was given', () => {
	const message = (argv: string[]) => {
		try {
			parseFlags(flags, argv, {});
		} catch (error) {
			assert.ok(error instanceof UsageError, String(error));
			return error.message;
		}

		return assert.fail(`${argv.join(' ')} was accepted`);
	};

	assert.equal(message(['--users', '1e9']), '--users takes a whole number from 1 to 10000, like --users 100 (got "1e9").');
	assert.equal(message(['--users', '2.5']), '--users takes a whole number from 1 to 10000, like --users 100 (got "2.5").');
	assert.equal(message(['--users', '']), '--users takes a whole number from 1 to 10000, like --users 100 (got "").');
	assert.equal(message(['--onFailure', 'maybe']), '--onFailure takes keep or rollback, not "maybe".');
	assert.equal(message(['--mirror', 'ftp://x']), '--mirror is not an http address (got "ftp://x").');
	assert.equal(message(['--set', 'nothing']), '--set takes KEY=VALUE, like --set a=1 (got "nothing").');
	// A refused key says why without echoing the value, which may be a secret.
	assert.equal(message(['--set', 'secrets.password=hunter2']), 'no secrets here');
	assert.match(message(['--nope']), /^Unknown option '--nope'/);
	assert.match(message(['--users']), /--users <value>' argument missing|argument missing/);
});

test('help lines come from the declarations: value names, defaults, repeatable, environment', () => {
	const lines = flagLines(flags).join('\n');
	assert.match(lines, /-n, --namespace NAMESPACE\s+the namespace \(default todo\)/);
	assert.match(lines, /--mirror URL\s+a mirror \(also \$TODO_DEPLOY_MIRROR\)/);
	assert.match(lines, /--onFailure keep\|rollback/);
	assert.match(lines, /-f, --values FILE\s+files \(repeatable\)/);
	assert.ok(
		lines.split('\n').every(line => line.length <= 100),
		lines,
	);
});

test("every command's help lists its own flags and the common ones; the value-taking options are known to all", () => {
	const taking = valueOptions([commonFlags, ...commands.map(command => command.flags)]);
	assert.ok(taking.has('--url') && taking.has('-n') && taking.has('--timeout'));
	assert.ok(!taking.has('--json') && !taking.has('--version'), 'a switch somewhere is a switch');
	for (const command of commands) {
		const help = commandHelp(command, '0.0.0');
		assert.match(help, new RegExp(`Usage: npx todo-deploy ${command.name}`));
		for (const name of Object.keys(command.flags)) {
			assert.match(help, new RegExp(`--${name}\\b`), `${command.name} --help shows --${name}`);
		}

		assert.match(help, /-y, --yes/);
		assert.ok(
			help.split('\n').every(line => line.length <= 100),
			`${command.name}: a help line is wider than 100 columns`,
		);
	}
});
