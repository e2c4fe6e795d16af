// The session log: each command todo-deploy ran, with its arguments, exit, duration and output, for
// sharing when asking for help. Secret values are masked before anything is written; the file is
// readable by its owner only.
import {appendFileSync} from 'node:fs';
import {ensureStateDirSync} from './state-dir.js';
import path from 'node:path';
import type {RunRecord} from './system.js';

export type SessionLog = {
	readonly file: string;
	run(record: RunRecord): void;
	note(text: string): void;
	/** Values that must never appear in the log (from here on, and in nothing written before either). */
	addSecrets(values: Iterable<string | undefined>): void;
};

const secretVariables = /PASSWORD|SECRET|TOKEN|API_KEY|APIKEY|CREDENTIAL/i;
const keptLines = 40;

export function openSessionLog(root: string, command: string, env: Readonly<Record<string, string | undefined>>, now = new Date()): SessionLog {
	const dir = ensureStateDirSync(root, 'logs');
	const file = path.join(
		dir,
		`${now
			.toISOString()
			.replaceAll(':', '-')
			.replace(/\.\d+Z$/, 'Z')}-${command}.log`,
	);
	const secrets = new Set<string>();
	const addSecrets = (values: Iterable<string | undefined>) => {
		for (const value of values) {
			if (value && value.length >= 4) {
				secrets.add(value);
				secrets.add(encodeURIComponent(value));
				secrets.add(Buffer.from(value).toString('base64'));
			}
		}
	};

	addSecrets(
		Object.entries(env)
			.filter(([key]) => secretVariables.test(key))
			.map(([, value]) => value),
	);
	const mask = (text: string) => {
		let masked = text;
		for (const secret of secrets) {
			masked = masked.split(secret).join('****');
		}

		return masked;
	};

	const write = (text: string) => {
		appendFileSync(file, mask(text), {mode: 0o600});
	};

	const tail = (text: string) => {
		const lines = text.split('\n');
		return (lines.length > keptLines ? [`… ${lines.length - keptLines} earlier lines`, ...lines.slice(-keptLines)] : lines)
			.map(line => `    ${line}`)
			.join('\n');
	};

	const stamp = () => new Date().toISOString().slice(11, 23);
	write(`# todo-deploy ${command}, ${now.toISOString()}; secret values are masked as ****\n`);
	return {
		file,
		run({command: program, args, result}) {
			const quoted = args.map(arg => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`)).join(' ');
			const outcome = result.timedOut ? 'timed out' : result.notFound ? 'not found' : `exit ${String(result.exitCode)}`;
			write(
				`[${stamp()}] $ ${path.basename(program)} ${quoted}  (${outcome}, ${Math.round(result.durationMs)} ms)\n${result.stdout ? `  stdout:\n${tail(result.stdout)}\n` : ''}${result.stderr ? `  stderr:\n${tail(result.stderr)}\n` : ''}`,
			);
		},
		note(text) {
			write(`[${stamp()}] ${text}\n`);
		},
		addSecrets,
	};
}
