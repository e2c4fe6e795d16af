// The bad-input corpus (test/corpus/cases.ts), each case run as a user would run it: its exit code
// from the README's table, within its deadline, with no raw error and no secret in what it printed
// or wrote; a signal ends it within 2 s; a closed or full stdout ends it with one line on stderr.
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {closeSync, openSync, readdirSync, readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {corpusCases, type CorpusCase} from '../corpus/cases.js';
import {startCorpusWorld, type CorpusWorld} from '../corpus/world.js';
import {cliPath, nodePath} from '../helpers/paths.js';

let world: CorpusWorld;

before(async () => {
	world = await startCorpusWorld();
});

after(async () => {
	await world.close();
});

/** What no user should ever see. */
export const rawErrors: ReadonlyArray<[RegExp, string]> = [
	[/^\s+at .+(:\d+:\d+\)?|\(native\))$/m, 'a stack trace'],
	[/node:internal|node:events/, "Node's internals"],
	[/\b(TypeError|ReferenceError|RangeError|SyntaxError)\b/, 'a JavaScript error'],
	[/\[object Object\]/, '[object Object]'],
	[/\bundefined\b/, 'undefined'],
	// NaN as todo-deploy's own words (a value the user typed, in quotes, is theirs).
	[/(?<!["'])\bNaN\b(?!["'])/, 'NaN'],
	[/fetch failed(?!:| \()/, 'a bare "fetch failed"'],
	[/\(node:\d+\) \w*Warning|DEP0\d{3}/, 'a Node warning'],
	[/Cannot read propert/, 'a property of nothing'],
	[/Unhandled|unexpected error/i, 'an unhandled error'],
];

type Run = {code: number | null; signal: string | null; stdout: string; stderr: string; ms: number; afterSignalMs: number | undefined};

async function run(item: CorpusCase, args: readonly string[]): Promise<Run> {
	const env = {...world.env({}, item.tools), ...item.env?.(world)};
	const full = item.stdout === 'full' ? openSync('/dev/full', 'w') : undefined;
	const started = performance.now();
	const child = spawn(nodePath, [cliPath, ...args], {
		env: env as NodeJS.ProcessEnv,
		stdio: ['ignore', full ?? 'pipe', 'pipe'],
	});
	if (full !== undefined) {
		closeSync(full);
	}

	let stdout = '';
	let stderr = '';
	if (item.stdout === 'closed') {
		child.stdout?.destroy();
	} else {
		child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
			stdout += chunk;
		});
	}

	child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
		stderr += chunk;
	});
	let signalledAt: number | undefined;
	const signalTimer = item.signal
		? setTimeout(() => {
				signalledAt = performance.now();
				child.kill(item.signal?.name);
			}, item.signal.after)
		: undefined;
	const deadline = setTimeout(() => child.kill('SIGKILL'), (item.within ?? 20_000) + 10_000);
	const [code, signal] = await new Promise<[number | null, string | null]>(resolve => {
		child.on('close', (exitCode, exitSignal) => resolve([exitCode, exitSignal]));
	});
	clearTimeout(deadline);
	clearTimeout(signalTimer);
	const ended = performance.now();
	return {code, signal, stdout, stderr, ms: ended - started, afterSignalMs: signalledAt === undefined ? undefined : ended - signalledAt};
}

/** Every file under the case's project and HOME that todo-deploy wrote. */
function writtenFiles(dirs: readonly string[]): string {
	const texts: string[] = [];
	const walk = (dir: string) => {
		for (const name of readdirSync(dir, {withFileTypes: true})) {
			const file = path.join(dir, name.name);
			if (name.isDirectory()) {
				walk(file);
			} else if (name.isFile() && statSync(file).size < 1_000_000) {
				texts.push(readFileSync(file, 'utf8'));
			}
		}
	};

	for (const dir of dirs) {
		walk(dir);
	}

	return texts.join('\n');
}

describe('the bad-input corpus', {concurrency: 4}, () => {
	test(`has at least 100 cases, each named once`, () => {
		assert.ok(corpusCases.length >= 100, `${corpusCases.length} cases`);
		assert.equal(new Set(corpusCases.map(item => item.name)).size, corpusCases.length);
	});

	for (const item of corpusCases) {
		test(item.name, async () => {
			const args = item.args(world);
			const result = await run(item, args);
			const output = `${result.stdout}${result.stderr}`;
			const context = `${item.name}: exit ${String(result.code)}${result.signal ? ` (${result.signal})` : ''} in ${Math.round(result.ms)} ms\n${output}`;
			assert.equal(result.code, item.exit, context);
			assert.ok(result.ms <= (item.within ?? 20_000), `${context}\nslower than ${item.within ?? 20_000} ms`);
			if (result.afterSignalMs !== undefined) {
				assert.ok(result.afterSignalMs <= 2000, `${context}\n${Math.round(result.afterSignalMs)} ms after ${item.signal?.name ?? ''}`);
			}

			if (item.says) {
				assert.match(output, item.says, context);
			}

			for (const [pattern, what] of rawErrors) {
				assert.doesNotMatch(output, pattern, `${context}\nshows ${what}`);
			}

			const secrets = item.secrets?.(world) ?? [];
			const project = args.find(word => word.includes('todo-deploy-corpus-project'));
			const written = project
				? writtenFiles([path.join(project.replace(/\/(nowhere|notes\.txt)$/, ''), '.todo-deploy')].filter(dir => statSync(dir, {throwIfNoEntry: false})))
				: '';
			// What todo-deploy wrote about the project is its owner's only.
			const stateDir = project ? path.join(project.replace(/\/(nowhere|notes\.txt)$/, ''), '.todo-deploy') : undefined;
			if (stateDir && statSync(stateDir, {throwIfNoEntry: false})) {
				assert.equal(statSync(stateDir).mode & 0o777, 0o700, `${item.name}: .todo-deploy is not 0700`);
				for (const name of readdirSync(stateDir, {recursive: true, withFileTypes: true})) {
					const file = path.join(name.parentPath, name.name);
					const mode = statSync(file).mode & 0o777;
					assert.equal(mode, name.isDirectory() ? 0o700 : 0o600, `${item.name}: ${file} is ${mode.toString(8)}`);
				}
			}

			for (const secret of secrets) {
				assert.ok(!output.includes(secret), `${context}\nprints the secret ${secret}`);
				assert.ok(!written.includes(secret), `${item.name}: writes the secret ${secret} into .todo-deploy/`);
			}
		});
	}
});
