// Flags declared once: each declaration knows how it is parsed (node:util parseArgs), checked,
// defaulted (also from an environment variable) and shown in --help. A command's values type is
// derived from its declarations, so a new flag is one entry in one file.
import path from 'node:path';
import {parseArgs, type ParseArgsOptionDescriptor} from 'node:util';
import {columnsOf, fold, padColumns} from '../render/columns.js';

/** The command line was wrong: exit 2, with this message and where to read more. */
export class UsageError extends Error {
	override name = 'UsageError';
}

type Env = Readonly<Record<string, string | undefined>>;
type Raw = string | boolean | string[] | undefined;

export type Flag<T> = {
	readonly kind: 'boolean' | 'string' | 'list';
	readonly short?: string | undefined;
	/** The value's name in help: NAME, S, K=V. */
	readonly value?: string | undefined;
	readonly description: string;
	/** Shown in help after the description: "default 300", "also $TODO_DEPLOY_MIRROR". */
	readonly note?: string | undefined;
	/** Turns what parseArgs found (and the environment) into the value; throws a UsageError. */
	readonly parse: (raw: Raw, name: string, env: Env) => T;
};

export type Flags = Readonly<Record<string, Flag<unknown>>>;
export type FlagValues<F extends Flags> = {readonly [K in keyof F]: F[K] extends Flag<infer T> ? T : never};

type Common = {readonly short?: string; readonly description: string};

/** The parts every declaration has; `parse` is what makes each kind of flag its own. */
function declare<T>(kind: Flag<T>['kind'], options: Common & {readonly value?: string}, note: string | undefined, parse: Flag<T>['parse']): Flag<T> {
	return {kind, short: options.short, value: options.value, description: options.description, note, parse};
}

export function booleanFlag(options: Common): Flag<boolean> {
	return declare('boolean', options, undefined, raw => raw === true);
}

type StringOptions = Common & {
	readonly value: string;
	/** An environment variable that gives the value when the flag is not on the command line. */
	readonly env?: string;
	/** Says what is wrong with a value, or undefined when it is fine. */
	readonly check?: (value: string) => string | undefined;
};

function readString(options: StringOptions, raw: Raw, name: string, env: Env): string | undefined {
	const given = typeof raw === 'string' ? raw : options.env && env[options.env] !== undefined && env[options.env] !== '' ? env[options.env] : undefined;
	if (given === undefined) {
		return undefined;
	}

	const problem = options.check?.(given);
	if (problem) {
		throw new UsageError(`--${name} ${problem} (got "${given}").`);
	}

	return given;
}

const envNote = (env: string | undefined) => (env ? `also $${env}` : undefined);

export function stringFlag(options: StringOptions & {readonly default: string}): Flag<string>;
export function stringFlag(options: StringOptions): Flag<string | undefined>;
export function stringFlag(options: StringOptions & {readonly default?: string}): Flag<string | undefined> {
	const note = [options.default === undefined ? undefined : `default ${options.default}`, envNote(options.env)].filter(Boolean).join(', ') || undefined;
	return declare('string', options, note, (raw, name, env) => readString(options, raw, name, env) ?? options.default);
}

/** A folder or file, resolved against the current folder. */
export function pathFlag(options: Common & {readonly value: string}): Flag<string | undefined> {
	return declare('string', options, undefined, raw => (typeof raw === 'string' ? path.resolve(raw) : undefined));
}

type NumberOptions = Common & {
	readonly value: string;
	readonly default?: number;
	readonly min: number;
	readonly max: number;
	readonly integer?: boolean;
	readonly unit?: string;
};

/** A number in a range, checked before anything runs; the range is in the message. */
export function numberFlag(options: NumberOptions & {readonly default: number}): Flag<number>;
export function numberFlag(options: NumberOptions): Flag<number | undefined>;
export function numberFlag(options: NumberOptions): Flag<number | undefined> {
	const unit = options.unit ? ` ${options.unit}` : '';
	const whole = options.integer ?? false;
	return declare('string', options, options.default === undefined ? undefined : `default ${options.default}${unit}`, (raw, name) => {
		if (typeof raw !== 'string') {
			return options.default;
		}

		const value = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*$/.test(raw) ? Number(raw) : Number.NaN;
		if (!Number.isFinite(value) || value < options.min || value > options.max || (whole && !Number.isInteger(value))) {
			throw new UsageError(
				`--${name} takes ${whole ? 'a whole number' : 'a number'} from ${options.min} to ${options.max}${unit}, like --${name} ${options.default ?? options.min} (got "${raw}").`,
			);
		}

		return value;
	});
}

type ChoiceOptions<C extends string> = Common & {readonly choices: readonly C[]; readonly default?: C; readonly why?: string};

export function choiceFlag<const C extends string>(options: ChoiceOptions<C> & {readonly default: C}): Flag<C>;
export function choiceFlag<const C extends string>(options: ChoiceOptions<C>): Flag<C | undefined>;
export function choiceFlag<const C extends string>(options: ChoiceOptions<C>): Flag<C | undefined> {
	return declare(
		'string',
		{...options, value: options.choices.join('|')},
		options.default === undefined ? undefined : `default ${options.default}`,
		(raw, name) => {
			if (typeof raw !== 'string') {
				return options.default;
			}

			if (!(options.choices as readonly string[]).includes(raw)) {
				throw new UsageError(`--${name} takes ${options.choices.join(' or ')}${options.why ? ` (${options.why})` : ''}, not "${raw}".`);
			}

			return raw as C;
		},
	);
}

const given = (raw: Raw) => (Array.isArray(raw) ? raw.filter((item): item is string => typeof item === 'string') : []);

/** A flag given again and again (--set a=1 --set b=2); comma-separated lists are split when asked. */
export function listFlag(
	options: Common & {readonly value: string; readonly commas?: boolean; readonly check?: (value: string) => string | undefined},
): Flag<readonly string[]> {
	return declare('list', options, 'repeatable', (raw, name) => {
		const items = given(raw)
			.flatMap(item => (options.commas ? item.split(',').map(part => part.trim()) : [item]))
			.filter(item => item !== '');
		for (const item of items) {
			const problem = options.check?.(item);
			if (problem) {
				throw new UsageError(`--${name} ${problem} (got "${item}").`);
			}
		}

		return items;
	});
}

/** NAME=VALUE pairs from a repeated flag; `refuse` turns a key away with its own message (the value is never echoed). */
export function pairsFlag(
	options: Common & {readonly value: string; readonly example: string; readonly refuse?: (key: string) => string | undefined},
): Flag<Readonly<Record<string, string>>> {
	return declare('list', options, 'repeatable', (raw, name) => {
		const values: Record<string, string> = {};
		for (const pair of given(raw)) {
			const equals = pair.indexOf('=');
			if (equals <= 0) {
				throw new UsageError(`--${name} takes ${options.value}, like --${name} ${options.example} (got "${pair}").`);
			}

			const key = pair.slice(0, equals);
			const refused = options.refuse?.(key);
			if (refused) {
				throw new UsageError(refused);
			}

			values[key] = pair.slice(equals + 1);
		}

		return values;
	});
}

/** Files given again and again (-f a.yaml -f b.yaml), resolved against the current folder. */
export function pathListFlag(options: Common & {readonly value: string}): Flag<readonly string[]> {
	return declare('list', options, 'repeatable', raw => given(raw).map(file => path.resolve(file)));
}

function descriptor(flag: Flag<unknown>): ParseArgsOptionDescriptor {
	const type = flag.kind === 'boolean' ? ('boolean' as const) : ('string' as const);
	return {type, multiple: flag.kind === 'list', ...(flag.short ? {short: flag.short} : {})};
}

/** The command line's words for these flags: values checked and defaulted, positionals kept in order. */
export function parseFlags<F extends Flags>(
	flags: F,
	argv: readonly string[],
	env: Env,
): {readonly values: FlagValues<F>; readonly positionals: readonly string[]} {
	// A value that looks like an option (--users -5, --set -x) is still the option's value: joined as --users=-5.
	const takesValue = new Set(
		Object.entries(flags).flatMap(([name, flag]) => (flag.kind === 'boolean' ? [] : [`--${name}`, ...(flag.short ? [`-${flag.short}`] : [])])),
	);
	const args: string[] = [];
	for (let index = 0; index < argv.length; index++) {
		const word = argv[index] ?? '';
		const next = argv[index + 1];
		if (takesValue.has(word) && next !== undefined && /^-\d|^-$/.test(next)) {
			args.push(word.startsWith('--') ? `${word}=${next}` : `${word}${next}`);
			index++;
		} else {
			args.push(word);
		}
	}

	let parsed: ReturnType<typeof parseArgs>;
	try {
		parsed = parseArgs({
			args,
			allowPositionals: true,
			strict: true,
			options: Object.fromEntries(Object.entries(flags).map(([name, flag]) => [name, descriptor(flag)])),
		});
	} catch (error) {
		// parseArgs' own words, without its advice about positionals that start with a dash.
		throw new UsageError(error instanceof Error ? error.message.replace(/\. To specify a positional argument.*$/s, '.').replace(/\.\.$/, '.') : String(error));
	}

	const values = Object.fromEntries(Object.entries(flags).map(([name, flag]) => [name, flag.parse(parsed.values[name] as Raw, name, env)]));
	return {values: values as FlagValues<F>, positionals: parsed.positionals};
}

/** Options that take a value: the word after them is never the command (`todo-deploy --url URL up`). */
export function valueOptions(flagSets: readonly Flags[]): Set<string> {
	const takesValue = new Set<string>();
	const isBoolean = new Set<string>();
	for (const flags of flagSets) {
		for (const [name, flag] of Object.entries(flags)) {
			for (const word of [`--${name}`, ...(flag.short ? [`-${flag.short}`] : [])]) {
				(flag.kind === 'boolean' ? isBoolean : takesValue).add(word);
			}
		}
	}

	// A name that is a switch somewhere (--version) is read as one before the command is known.
	return new Set([...takesValue].filter(word => !isBoolean.has(word)));
}

/** The help lines of a set of flags, aligned. */
export function flagLines(flags: Flags, width = 100): string[] {
	const heads = Object.entries(flags).map(([name, flag]) => `${flag.short ? `-${flag.short}, ` : '    '}--${name}${flag.value ? ` ${flag.value}` : ''}`);
	const column = Math.min(34, Math.max(...heads.map(head => head.length)) + 2);
	return Object.values(flags).flatMap((flag, index) => {
		const head = heads[index] ?? '';
		const text = `${flag.description}${flag.note ? ` (${flag.note})` : ''}`;
		const lines = wrap(text, width - column - 2);
		const first = columnsOf(head) + 2 > column ? [`  ${head}`, `  ${' '.repeat(column)}${lines[0] ?? ''}`] : [`  ${padColumns(head, column)}${lines[0] ?? ''}`];
		return [...first, ...lines.slice(1).map(line => `  ${' '.repeat(column)}${line}`)];
	});
}

/** Words folded into lines of at most `width` characters. */
export const wrap = fold;
