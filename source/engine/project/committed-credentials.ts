// Pure: what looks like a real credential in a committed text file, in the forms people write them:
// `NAME=value` and `export NAME=value` (example files included: a real value pasted into
// .env.example is as public as any other), a command with a URL in it (`psql 'postgresql://…'`), a YAML
// `name: value` and a JSON `"name": "value"`. Each is named with the file and the line, never with the value.
import {credentialReason, knownKeyFormats} from '../lint/secret-values.js';

export type CommittedCredential = {readonly path: string; readonly what: string};

/** Text files a credential is written into by hand: env files, their examples, configs, scripts, docs, code. */
export const credentialFile =
	/(^|\/)(\.env(\.[\w.-]+)?|[\w.-]+\.(env|example|sample|template|ya?ml|json|toml|ini|cfg|conf|properties|sh|bash|zsh|ps1|md|txt|py|[cm]?[jt]sx?)|Dockerfile[\w.-]*|Makefile|Procfile)$/;
/** A file larger than this is data, not something a person wrote a credential into. */
export const maxCredentialFileBytes = 256 * 1024;
/** Lines longer than this are minified or generated: only their start is read. */
const maxLineChars = 2000;

const assignment = /^\s*(?:export\s+|set\s+|\$env:)?([A-Za-z_][\w.]*)\s*=\s*(.+?)\s*$/;
const keyValue = /^\s*-?\s*["']?([A-Za-z_][\w.-]*)["']?\s*:\s*(.+?)\s*,?\s*$/;
const urlInText = /\b[a-z][a-z\d+.-]*:\/\/[^\s'"`<>()]+/gi;
const tokenInText = /[\w-]{20,}/g;

const unquote = (value: string) =>
	value
		.replace(/\s+#.*$/, '')
		.replace(/,$/, '')
		.trim()
		.replace(/^(['"`])(.*)\1$/, '$2');

/** The credentials in one line: named by the assignment or key it sits in, when it sits in one. */
function lineCredentials(line: string): Array<{name?: string; what: string}> {
	const text = line.slice(0, maxLineChars);
	const found: Array<{name?: string; what: string}> = [];
	const named = assignment.exec(text) ?? keyValue.exec(text);
	const name = named?.[1];
	const whole = named?.[2] ? credentialReason(unquote(named[2])) : undefined;
	if (whole) {
		found.push({...(name ? {name} : {}), what: whole});
	}

	// A URL or a key inside a command, a connection string or a longer value.
	const pieces = [...text.matchAll(urlInText)].map(match => match[0]);
	pieces.push(...[...text.matchAll(tokenInText)].map(match => match[0]).filter(token => knownKeyFormats.some(format => format.pattern.test(token))));
	for (const piece of pieces) {
		const what = credentialReason(piece.replace(/[.,;]+$/, ''));
		if (what && !found.some(entry => entry.what === what)) {
			found.push({...(name ? {name} : {}), what});
		}
	}

	return found;
}

/** Each credential in a file's text, as `file:LINE (NAME)` and what it is. */
export function credentialsIn(file: string, text: string): CommittedCredential[] {
	return text
		.split('\n')
		.flatMap((line, index) => lineCredentials(line).map(entry => ({path: `${file}:${index + 1}${entry.name ? ` (${entry.name})` : ''}`, what: entry.what})));
}
