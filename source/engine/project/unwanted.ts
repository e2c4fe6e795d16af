// Pure: what a build context would put into the image that does not belong there: .env files with
// values, databases, virtualenvs, installed packages, the git history, private keys. And what among
// them is a real credential, which must never reach an image (or a repository).
import {credentialReason, placeholderReason, secretKeyPattern} from '../lint/secret-values.js';
import type {Unwanted} from './contract.js';

export type ContextFile = {readonly name: string; readonly type: 'file' | 'directory' | 'symlink'; readonly size: number};

const envFile = /(^|\/)\.env(\.[\w.-]+)?$/;
const example = /\.(example|sample|template|dist|defaults?)$/;
const megabytes = (bytes: number) => `${(bytes / 1_000_000).toFixed(1)} MB`;

/** NAME=value lines of a .env file that hold a value: which look real, and how many there are. */
export function envFileValues(text: string): {readonly count: number; readonly real: readonly string[]} {
	const real: string[] = [];
	let count = 0;
	for (const line of text.split('\n')) {
		const match = /^\s*(?:export\s+)?([A-Za-z_]\w*)\s*=\s*(.*?)\s*$/.exec(line);
		const value = (match?.[2] ?? '').replace(/^(['"])(.*)\1$/, '$2');
		if (!match || value === '') {
			continue;
		}

		count++;
		const name = match[1] ?? '';
		if (credentialReason(value) || (secretKeyPattern.test(name) && !placeholderReason(value) && value.length >= 12 && !/^(dev|test|local)/i.test(value))) {
			real.push(name);
		}
	}

	return {count, real};
}

/** The unwanted files of a context, each with why; `contents` has the text of its .env files. */
export function unwantedFiles(entries: readonly ContextFile[], contents: Readonly<Record<string, string>>, copiedBy: string | undefined): Unwanted[] {
	const found: Unwanted[] = [];
	const by = copiedBy ? `, copied by ${copiedBy}` : '';
	const folders = new Map<string, {files: number; bytes: number; why: string}>();
	const folderRules: ReadonlyArray<[RegExp, string]> = [
		[/(^|\/)(\.venv|venv|env|\.virtualenv)\//, 'a Python virtualenv (the image installs its own packages)'],
		[/(^|\/)node_modules\//, 'installed packages (the image installs its own)'],
		[/(^|\/)\.git\//, 'the git history'],
		[/(^|\/)(\.next|__pycache__|\.pytest_cache|\.mypy_cache)\//, 'build and test caches'],
	];
	for (const entry of entries) {
		if (entry.type !== 'file') {
			continue;
		}

		const folderRule = folderRules.find(([pattern]) => pattern.test(entry.name));
		if (folderRule) {
			const folder = entry.name.slice(0, (folderRule[0].exec(entry.name)?.index ?? 0) + (folderRule[0].exec(entry.name)?.[0].length ?? 0) - 1);
			const sum = folders.get(folder) ?? {files: 0, bytes: 0, why: folderRule[1]};
			folders.set(folder, {...sum, files: sum.files + 1, bytes: sum.bytes + entry.size});
			continue;
		}

		const base = entry.name.slice(entry.name.lastIndexOf('/') + 1);
		if (envFile.test(entry.name) && !example.test(base)) {
			const values = envFileValues(contents[entry.name] ?? '');
			if (values.count > 0) {
				const real = values.real.length > 0 ? `, ${values.real.join(', ')} look${values.real.length === 1 ? 's' : ''} real` : '';
				found.push({
					path: entry.name,
					why: `an environment file with ${values.count} value${values.count === 1 ? '' : 's'}${real}${by}`,
					secret: values.real.length > 0,
				});
			}
		} else if (/\.(db|sqlite3?|db-journal|sqlite-wal)$/i.test(base)) {
			found.push({path: entry.name, why: `a database file (${megabytes(entry.size)}) with whatever data it holds${by}`, secret: false});
		} else if (/^(id_(rsa|dsa|ecdsa|ed25519)|.*\.(pem|key|p12|pfx))$/.test(base) && !/\.pub$/.test(base)) {
			found.push({path: entry.name, why: `a private key${by}`, secret: true});
		}
	}

	for (const [folder, sum] of folders) {
		found.push({path: `${folder}/`, why: `${sum.why}: ${sum.files} files, ${megabytes(sum.bytes)}${by}`, secret: false});
	}

	return found.sort((a, b) => Number(b.secret) - Number(a.secret) || a.path.localeCompare(b.path));
}

/** The .dockerignore lines that keep these out. */
export function dockerignoreFor(unwanted: readonly Unwanted[]): string[] {
	const lines = new Set<string>();
	for (const item of unwanted) {
		if (item.path.endsWith('/')) {
			lines.add(`${item.path.split('/').at(-2) ?? item.path}/`);
		} else if (envFile.test(item.path)) {
			lines.add('.env');
			lines.add('.env.*');
			lines.add('!.env.example');
		} else if (/\.(db|sqlite3?|db-journal|sqlite-wal)$/i.test(item.path)) {
			lines.add('*.db');
			lines.add('*.sqlite*');
		} else {
			lines.add(item.path);
		}
	}

	return [...lines];
}
