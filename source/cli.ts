// Chooses the command, runs it, and sets the exit code; the commands live in commands/, one a file.
import {statSync} from 'node:fs';
import packageJson from '../package.json' with {type: 'json'};
import {commandHelp, type Command} from './command-kit/command.js';
import {parseFlags, UsageError, valueOptions} from './command-kit/flags.js';
import {commonFlags} from './command-kit/groups.js';
import {globalHelp} from './command-kit/help.js';
import {commands} from './commands/index.js';
import {modeOf, writeErr, writeOut} from './command-kit/io.js';
import {exitCodeOf, type Outcome} from './engine/outcome.js';
import {messageOf} from './engine/errors.js';
import {drainNotices} from './engine/notices.js';
import {CancelledError} from './command-kit/runner.js';
import {guardProcess} from './command-kit/process-guards.js';

const named = new Map(commands.flatMap(command => [command.name, ...(command.aliases ?? [])].map(name => [name, command] as const)));
const takesValue = valueOptions([commonFlags, ...commands.map(command => command.flags)]);
const isFolder = (word: string) => statSync(word, {throwIfNoEntry: false})?.isDirectory() ?? false;

/** The command the words name (none: the wizard; a folder: the wizard in it), and the words left for it. */
function pick(argv: readonly string[]): {command: Command; rest: readonly string[]; named: boolean} {
	for (let index = 0; index < argv.length; index++) {
		const word = argv[index] ?? '';
		if (word === '--' || !word.startsWith('-')) {
			const at = word === '--' ? index + 1 : index;
			const chosen = named.get(argv[at] ?? '');
			if (chosen) {
				return {command: chosen, rest: [...argv.slice(0, at), ...argv.slice(at + 1)], named: true};
			}

			if (at < argv.length && !isFolder(argv[at] ?? '')) {
				throw new UsageError(`Unknown command "${argv[at] ?? ''}".`);
			}

			break;
		}

		if (takesValue.has(word)) {
			index++;
		}
	}

	return {command: named.get('up') as Command, rest: argv, named: false};
}

/** The command's flags; an option it lacks that other commands take says which do. */
function parseWithHint(command: Command, rest: readonly string[]) {
	try {
		return parseFlags({...commonFlags, ...command.flags}, rest, process.env);
	} catch (error) {
		const option = error instanceof UsageError ? /^Unknown option '--([\w-]+)'/.exec(error.message)?.[1] : undefined;
		const others = option ? commands.filter(other => other !== command && option in other.flags).map(other => other.name) : [];
		if (option && others.length > 0) {
			const names = others.length > 1 ? `${others.slice(0, -1).join(', ')} and ${others.at(-1) ?? ''}` : (others[0] ?? '');
			throw new UsageError(
				`${command.name} has no --${option}; ${names} ${others.length === 1 ? 'takes' : 'take'} it (todo-deploy ${others[0] ?? ''} --help).`,
			);
		}

		throw error;
	}
}

async function main(argv: readonly string[]): Promise<Outcome> {
	const {command, rest, named: explicit} = pick(argv);
	const {values, positionals} = parseWithHint(command, rest);
	const flags = values as typeof values & {readonly help: boolean; readonly version: unknown; readonly json: boolean};
	if (flags.help) {
		await writeOut(`${explicit ? commandHelp(command, packageJson.version) : globalHelp(commands, packageJson.version)}\n`);
		return {failure: undefined};
	}

	if (flags.version === true) {
		await writeOut(`${packageJson.version}\n`);
		return {failure: undefined};
	}

	if (positionals.length > command.maxArgs) {
		const extra = positionals.slice(command.maxArgs).join(' ');
		throw new UsageError(
			command.maxArgs === 0 ? `${command.name} takes no arguments; got ${extra}.` : `${command.name} takes ${command.synopsis}; got ${positionals.join(' ')}.`,
		);
	}

	const input = {flags, args: positionals, mode: modeOf(flags.json), env: process.env};
	command.check?.(input);
	return command.run(input);
}

guardProcess();

let outcome: Outcome;
try {
	outcome = await main(process.argv.slice(2));
} catch (error) {
	if (error instanceof CancelledError) {
		writeErr('Cancelled.\n');
		outcome = {failure: 'cancelled'};
	} else if (error instanceof UsageError) {
		writeErr(`todo-deploy: ${error.message}\nRun todo-deploy --help for the commands and options.\n`);
		outcome = {failure: 'usage'};
	} else {
		// Something todo-deploy did not foresee: said in one line, never as a stack trace.
		writeErr(`todo-deploy: ${messageOf(error)}\nIf this looks wrong, report it with the output of: todo-deploy doctor --json\n`);
		outcome = {failure: 'fix-first'};
	}
}

for (const text of drainNotices()) {
	writeErr(`todo-deploy: ${text}\n`);
}

// Probes that hung were killed, but their sockets may linger; the result is out, so leave now.
await writeOut('');
process.exit(exitCodeOf(outcome));
