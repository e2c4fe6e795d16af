// The command line as a person meets it: every command's own --help, the common options accepted by
// every command, a folder as the first word, and usage errors that say what to do.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {emptyHome, makeBin, runCli, tempDir} from '../helpers/cli.js';

const names = ['up', 'doctor', 'discover', 'build', 'load', 'scan', 'deploy', 'verify', 'down', 'lint', 'status', 'install'];
const env = () => ({PATH: makeBin({}), HOME: emptyHome(), LANG: 'C.UTF-8', DOCKER_HOST: 'unix:///nonexistent/docker.sock'});

test("COMMAND --help prints that command's own usage, options and the common ones; --help alone lists every command", async () => {
	const all = await runCli(['--help'], {env: env()});
	assert.equal(all.code, 0);
	for (const name of names) {
		assert.match(all.stdout, new RegExp(`^ {2}${name}\\b`, 'm'), `--help lists ${name}`);
		const own = await runCli([name, '--help'], {env: env()});
		assert.equal(own.code, 0, `${name} --help: ${own.stderr}`);
		assert.match(own.stdout, new RegExp(`^Usage: npx todo-deploy ${name}\\b`, 'm'));
		assert.match(own.stdout, /^Common options\n\s+--json\s.*\n\s+-y, --yes\s.*\n\s+-h, --help\s/m);
		assert.ok(
			own.stdout.split('\n').every(line => line.length <= 100),
			`${name} --help fits 100 columns`,
		);
	}

	const deploy = await runCli(['deploy', '-h'], {env: env()});
	assert.match(deploy.stdout, /--timeout S\s+how long the pods may take to become ready \(default 300 s\)/);
	assert.match(deploy.stdout, /--on-failure keep\|rollback/);
});

test('-y/--yes and --json are accepted by every command, and a command that asks nothing says nothing of --yes', async () => {
	const root = tempDir('empty-project');
	// No Dockerfiles: the commands that build end at "fix first" (1), not at the command line (2).
	for (const args of [
		['build', root, '--yes'],
		['scan', root, '-y', '--json'],
		['discover', root, '--yes', '--json'],
		['lint', '--yes', '--json'],
		['doctor', '--yes', '--json'],
	]) {
		const result = await runCli(args, {env: env(), timeoutMs: 60_000});
		assert.notEqual(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
		assert.doesNotMatch(result.stderr, /Unknown option|--yes/, args.join(' '));
	}

	const status = await runCli(['status', '--yes', '--once'], {env: env()});
	assert.equal(status.code, 3, status.stderr);
	assert.match(status.stderr, /no kubeconfig/);
});

test('a folder as the first word is the wizard in that folder; an unknown word is a usage error', async () => {
	const root = tempDir('wizard-folder');
	const wizard = await runCli([root], {env: env()});
	assert.equal(wizard.code, 1, wizard.stderr);
	assert.match(wizard.stderr, /run with --yes to go ahead/);
	const unknown = await runCli(['deploi'], {env: env()});
	assert.equal(unknown.code, 2);
	assert.match(unknown.stderr, /Unknown command "deploi"\.\nRun todo-deploy --help/);
	const extra = await runCli(['status', 'todo'], {env: env()});
	assert.equal(extra.code, 2);
	assert.match(extra.stderr, /status takes no arguments; got todo\./);
});
