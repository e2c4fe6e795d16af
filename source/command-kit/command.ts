// A command: its words for --help, its flags (declared once), and a run that turns them into a
// request for the engine and says how it ended.
import path from 'node:path';
import type {Outcome} from '../engine/outcome.js';
import {packageRoot} from '../engine/project/chart.js';
import {flagLines, wrap, type Flags, type FlagValues} from './flags.js';
import {commonFlags} from './groups.js';
import type {Mode} from './io.js';

export type CommandInput<F extends Flags> = {
	/** The command's own flags and the common ones (a command's own flag of the same name wins: install --version). */
	readonly flags: FlagValues<Omit<typeof commonFlags, keyof F> & F>;
	/** The words after the command that are not options (a project folder, tool names). */
	readonly args: readonly string[];
	readonly mode: Mode;
	readonly env: Readonly<Record<string, string | undefined>>;
};

export type Command<F extends Flags = Flags> = {
	readonly name: string;
	readonly aliases?: readonly string[];
	/** What follows the name in the usage line: "[DIR]", "TOOL...". */
	readonly synopsis: string;
	/** At most this many words after the command (Infinity for a list). */
	readonly maxArgs: number;
	/** One line for the list of commands. */
	readonly summary: string;
	/** One paragraph: what it does, for the command's own help. */
	readonly description: string;
	/** Lines of example use. */
	readonly examples?: readonly string[];
	readonly flags: F;
	/** Rules between flags, checked before anything runs; throws a UsageError. */
	readonly check?: (input: CommandInput<F>) => void;
	run(input: CommandInput<F>): Promise<Outcome>;
};

/** Keeps a command's flag types while it is stored in the list of all commands. */
export function defineCommand<F extends Flags>(command: Command<F>): Command<F> {
	return command;
}

/** The command's page of the manual: docs/NAME.md, shipped in the package. */
export function manualPage(command: Pick<Command, 'name'>): {readonly page: string; readonly file: string} {
	const page = `docs/${command.name}.md`;
	return {page, file: path.join(packageRoot(), page)};
}

/** "Manual: docs/NAME.md (here: FILE)", on two lines when one is too narrow for it. */
function manualLines(command: Command, width: number): string[] {
	const {page, file} = manualPage(command);
	const line = `Manual: ${page} (here: ${file})`;
	return line.length <= width ? [line] : [`Manual: ${page}`, `  here: ${file}`];
}

/** `todo-deploy COMMAND --help`. */
export function commandHelp(command: Command, version: string, width = 100): string {
	const own = Object.fromEntries(Object.entries(command.flags).filter(([name]) => !(name in commonFlags)));
	return [
		`todo-deploy ${version}`,
		'',
		`Usage: npx todo-deploy ${command.name}${command.synopsis ? ` ${command.synopsis}` : ''} [options]`,
		'',
		...wrap(command.description, width - 2),
		...(command.examples ? ['', 'Examples', ...command.examples.map(line => `  ${line}`)] : []),
		...(Object.keys(own).length > 0 ? ['', 'Options', ...flagLines(own, width)] : []),
		'',
		'Common options',
		...flagLines(commonFlags, width),
		'',
		...manualLines(command, width),
		'Exit codes: todo-deploy --help lists them.',
	].join('\n');
}
