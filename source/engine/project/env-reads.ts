// Pure: where a project's code reads its settings. Python (os.getenv, os.environ, pydantic settings
// classes), JavaScript and TypeScript (process.env), Dockerfiles (ARG, ENV, EXPOSE, USER, HEALTHCHECK,
// the port in CMD), .env examples and the health paths the code serves. Each finding says file:line.
import type {Dockerfile} from './dockerfile.js';

export type EnvRead = {
	readonly name: string;
	/** The value the code falls back to when the variable is not set. */
	readonly fallback: string | undefined;
	/** The code stops without it (os.environ["X"], a settings field without a default). */
	readonly required: boolean;
	/** Where it is read: "backend/app/config.py:12". */
	readonly at: string;
	/** JavaScript: read in code that runs in the browser ('use client'), or on the server. */
	readonly side?: 'server' | 'client';
};

const lineOf = (text: string, index: number) => text.slice(0, index).split('\n').length;
const unquote = (value: string) => value.replace(/^(['"`])(.*)\1$/s, '$2');

/** A literal default: a quoted string, a number, True/False/None; anything else (a call, a name) is not known. */
function literal(text: string | undefined): string | undefined {
	const trimmed = text?.trim();
	if (!trimmed) {
		return undefined;
	}

	if (/^(['"])(?:(?!\1).)*\1$/.test(trimmed) || /^`[^`$]*`$/.test(trimmed)) {
		return unquote(trimmed);
	}

	return /^-?\d+(\.\d+)?$/.test(trimmed) ? trimmed : /^(True|False|true|false)$/.test(trimmed) ? trimmed.toLowerCase() : undefined;
}

/** os.getenv("X"), os.getenv("X", "d"), os.environ.get("X", "d"), os.environ["X"], getenv("X") after `from os import getenv`. */
export function pythonEnvReads(text: string, file: string): EnvRead[] {
	const reads: EnvRead[] = [];
	const call = /\b(?:os\.)?(?:getenv|environ\.get)\(\s*(['"])([A-Za-z_]\w*)\1\s*(?:,\s*([^)\n]+?))?\s*\)/g;
	for (const match of text.matchAll(call)) {
		const fallback = literal(match[3]);
		reads.push({name: match[2] ?? '', fallback, required: false, at: `${file}:${lineOf(text, match.index)}`});
	}

	for (const match of text.matchAll(/\bos\.environ\[\s*(['"])([A-Za-z_]\w*)\1\s*\]/g)) {
		reads.push({name: match[2] ?? '', fallback: undefined, required: true, at: `${file}:${lineOf(text, match.index)}`});
	}

	return [...reads, ...pydanticSettings(text, file)];
}

/** Fields of pydantic settings classes (v1 `BaseSettings`, v2 pydantic-settings): NAME = prefix + field, upper-cased. */
function pydanticSettings(text: string, file: string): EnvRead[] {
	const reads: EnvRead[] = [];
	const lines = text.split('\n');
	for (let index = 0; index < lines.length; index++) {
		if (!/^class\s+\w+\s*\([^)]*\bBaseSettings\b[^)]*\)\s*:/.test(lines[index] ?? '')) {
			continue;
		}

		// The class body: lines indented more than the class line, until the next top-level line.
		const body: Array<{text: string; line: number}> = [];
		for (let next = index + 1; next < lines.length; next++) {
			const line = lines[next] ?? '';
			if (line.trim() !== '' && !/^\s/.test(line)) {
				break;
			}

			body.push({text: line, line: next + 1});
		}

		const joined = body.map(line => line.text).join('\n');
		const prefix = /env_prefix\s*[=:]\s*(['"])(\w*)\1/.exec(joined)?.[2] ?? '';
		for (const {text: line, line: number} of body) {
			// Fields at the class's own indentation (not inside class Config or a method).
			const field = /^( {4}|\t)([a-z_]\w*)\s*:\s*([^=#]+?)\s*(?:=\s*(.+?))?\s*(?:#.*)?$/.exec(line);
			if (!field || /^(model_config|Config)$/.test(field[2] ?? '')) {
				continue;
			}

			const [, , name = '', type = '', defaultText] = field;
			const explicit = /\b(?:env|alias|validation_alias)\s*=\s*(['"])([A-Za-z_]\w*)\1/.exec(defaultText ?? '')?.[2];
			const inField = /^Field\(\s*([^,)]*)/.exec(defaultText ?? '')?.[1];
			const fallback = literal(inField ?? defaultText);
			const hasDefault = defaultText !== undefined && !/^Field\(\s*(\.\.\.)?\s*[,)]/.test(defaultText);
			const optional = /Optional\[|\| *None|None *\|/.test(type);
			reads.push({name: explicit ?? `${prefix}${name}`.toUpperCase(), fallback, required: !hasDefault && !optional, at: `${file}:${number}`});
		}
	}

	return reads;
}

/** process.env.X and process.env["X"], with a `|| "d"` or `?? "d"` fallback; the side the code runs on. */
export function javascriptEnvReads(text: string, file: string): EnvRead[] {
	const client = /^\s*['"]use client['"]/.test(text);
	const server = /(^|\/)(app\/api\/|pages\/api\/|middleware\.|next\.config\.|server\.|route\.)/.test(file);
	const side = client ? 'client' : server ? 'server' : undefined;
	const reads: EnvRead[] = [];
	const pattern = /\bprocess\.env(?:\.([A-Za-z_]\w*)|\[\s*(['"])([A-Za-z_]\w*)\2\s*\])(?:\s*(?:\|\||\?\?)\s*((['"`])(?:(?!\5).)*\5|\d+\b))?/g;
	for (const match of text.matchAll(pattern)) {
		const name = match[1] ?? match[3] ?? '';
		if (name === 'NODE_ENV') {
			continue;
		}

		reads.push({name, fallback: literal(match[4]), required: false, at: `${file}:${lineOf(text, match.index)}`, ...(side ? {side} : {})});
	}

	return reads;
}

export type DockerfileFacts = {
	readonly args: readonly EnvRead[];
	readonly env: readonly EnvRead[];
	readonly exposed: readonly number[];
	/** The port the start command names (uvicorn --port, next -p, gunicorn -b host:port, PORT=…). */
	readonly commandPort: number | undefined;
	readonly user: string | undefined;
	readonly healthPath: string | undefined;
	/** COPY/ADD lines that copy the whole folder, which take everything .dockerignore lets through. */
	readonly copiesEverything: ReadonlyArray<{readonly line: number; readonly text: string}>;
	/** COPY/ADD lines from the build context that name their sources (not --from another stage). */
	readonly copiesNamed: ReadonlyArray<{readonly line: number; readonly text: string; readonly sources: readonly string[]}>;
};

export function dockerfileFacts(dockerfile: Dockerfile, file: string): DockerfileFacts {
	// Continuation lines joined as Docker joins them, each instruction with its first line's number.
	const instructions = dockerfile.instructions.map(item => ({line: item.line, text: [item.keyword, ...item.flags, item.text].join(' ')}));
	const args: EnvRead[] = [];
	const env: EnvRead[] = [];
	const exposed: number[] = [];
	const copiesEverything: Array<{line: number; text: string}> = [];
	const copiesNamed: Array<{line: number; text: string; sources: string[]}> = [];
	let commandPort: number | undefined;
	let user: string | undefined;
	let healthPath: string | undefined;
	for (const {line, text: instruction} of instructions) {
		const [keyword = '', ...rest] = instruction.split(/\s+/);
		const value = rest.join(' ');
		const at = `${file}:${line}`;
		switch (keyword.toUpperCase()) {
			case 'ARG': {
				const [name = '', fallback] = value.split('=');
				args.push({name, fallback: fallback === undefined ? undefined : unquote(fallback), required: false, at});
				break;
			}

			case 'ENV': {
				const pairs = value.includes('=')
					? [...value.matchAll(/([A-Za-z_]\w*)=("[^"]*"|'[^']*'|\S*)/g)].map(match => [match[1], match[2]])
					: [[rest[0], rest.slice(1).join(' ')]];
				for (const [name = '', fallback = ''] of pairs) {
					env.push({name, fallback: unquote(fallback), required: false, at});
				}

				break;
			}

			case 'EXPOSE': {
				exposed.push(...rest.map(port => Number.parseInt(port, 10)).filter(port => Number.isInteger(port)));
				break;
			}

			case 'USER': {
				user = value;
				break;
			}

			case 'HEALTHCHECK': {
				healthPath = /https?:\/\/[^/\s"']+(\/[^\s"']*)/.exec(value)?.[1] ?? healthPath;
				break;
			}

			case 'CMD':
			case 'ENTRYPOINT': {
				const words = value.replaceAll(/[[\]",]/g, ' ');
				const port =
					/(?:--port|-p|--bind|-b)[\s=]+(?:[\w.]+:)?(\d{2,5})\b/.exec(words)?.[1] ??
					// A shell default: --port ${PORT:-8080}
					/\$\{PORT:-(\d{2,5})\}/.exec(words)?.[1] ??
					/\bPORT=(\d{2,5})\b/.exec(words)?.[1] ??
					/\b(?:0\.0\.0\.0|localhost|127\.0\.0\.1):(\d{2,5})\b/.exec(words)?.[1];
				commandPort = port ? Number(port) : commandPort;
				break;
			}

			case 'COPY':
			case 'ADD': {
				const sources = rest.filter(word => !word.startsWith('--')).slice(0, -1);
				if (sources.some(source => source === '.' || source === './' || source === '*')) {
					copiesEverything.push({line, text: instruction});
				} else if (!rest.some(word => word.startsWith('--from'))) {
					copiesNamed.push({line, text: instruction, sources: sources.map(source => source.replace(/^\.\//, '').replace(/\/$/, ''))});
				}

				break;
			}

			default:
		}
	}

	return {args, env, exposed, commandPort, user, healthPath, copiesEverything, copiesNamed};
}

/** NAME=value lines of a .env example; values are kept only where they cannot be a real secret (the caller decides). */
export function envExampleNames(text: string, file: string): EnvRead[] {
	return text.split('\n').flatMap((line, index) => {
		const match = /^\s*(?:export\s+)?([A-Za-z_]\w*)\s*=\s*(.*?)\s*$/.exec(line);
		return match
			? [{name: match[1] ?? '', fallback: unquote((match[2] ?? '').replace(/\s+#.*$/, '')) || undefined, required: false, at: `${file}:${index + 1}`}]
			: [];
	});
}

const healthWord = /(^|\/)(health|healthz|healthcheck|ready|readyz|readiness|live|livez|liveness|ping|status)$/i;

/** The health paths a FastAPI app declares (@app.get, @router.get with the router's prefix). */
export function fastapiHealthPaths(text: string): string[] {
	const prefix = /APIRouter\([^)]*prefix\s*=\s*(['"])([^'"]*)\1/.exec(text)?.[2] ?? '';
	const paths: string[] = [];
	for (const match of text.matchAll(/@(\w+)\.(?:get|head|api_route)\(\s*(['"])([^'"]+)\2/g)) {
		const path = `${match[1] === 'app' ? '' : prefix}${match[3] ?? ''}`;
		if (healthWord.test(path.replace(/\/$/, ''))) {
			paths.push(path);
		}
	}

	return paths;
}

/** The API paths a Next.js project serves from files: app/api/x/route.ts is /api/x, pages/api/x.ts is /api/x. */
export function nextApiPath(file: string): string | undefined {
	const app = /(?:^|\/)(?:src\/)?app\/(api\/.*?)\/route\.[jt]sx?$/.exec(file)?.[1];
	const pages = /(?:^|\/)(?:src\/)?pages\/(api\/.*?)\.[jt]sx?$/.exec(file)?.[1];
	const path = app ?? pages?.replace(/\/index$/, '');
	return path ? `/${path.replaceAll(/\([^)]*\)\//g, '')}` : undefined;
}

export const isHealthPath = (path: string) => healthWord.test(path.replace(/\/$/, ''));
