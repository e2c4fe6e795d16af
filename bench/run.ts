// npm run bench: todo-deploy's speed beside baselines measured in the same run, on this machine.
import {execFileSync, spawn, spawnSync} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {build} from 'esbuild';
import {bundleOptions} from '../scripts/bundle-options.js';
import {realKubeTool} from '../test/helpers/kube-tools.js';
import {benchImages} from './images.js';
import {benchUp} from './up.js';
import {benchDev} from './dev.js';
import {benchVerify} from './verify.js';
import {benchStatus} from './status.js';
import {benchForward} from './forward.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const node = process.execPath;
const cli = path.join(root, 'bin/todo-deploy.js');
const runs = Number(process.env['BENCH_RUNS'] ?? 15);

const median = (values: number[]) => {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

const mostCommon = (values: string[]) => [...values].sort((a, b) => values.filter(x => x === b).length - values.filter(x => x === a).length)[0] ?? '';

const p90 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * 0.9))] ?? 0;
const ms = (value: number) => `${value.toFixed(0).padStart(5)} ms`;

// The pty helper runs with the caller's PATH; the command it starts gets the environment under test.
function firstFrame(pattern: string, command: string[], env: NodeJS.ProcessEnv = process.env): number {
	const output = execFileSync(
		'python3',
		[
			path.join(root, 'bench/first-frame.py'),
			pattern,
			'env',
			'-i',
			...Object.entries(env).flatMap(([key, value]) => (value === undefined ? [] : [`${key}=${value}`])),
			...command,
		],
		{encoding: 'utf8'},
	);
	return Number(output.trim());
}

function table(title: string, rows: Array<[string, number[]]>, baseline: number[]) {
	console.log(`\n${title}`);
	console.log(`  ${'what'.padEnd(46)} ${'median'.padStart(8)} ${'p90'.padStart(8)}  vs baseline`);
	for (const [name, values] of rows) {
		console.log(`  ${name.padEnd(46)} ${ms(median(values))} ${ms(p90(values))}  ${(median(values) / median(baseline)).toFixed(2)}x`);
	}
}

// Baselines: a one-line Ink app, bundled into one file and unbundled.
const benchDir = path.join(root, '.cache/bench');
mkdirSync(benchDir, {recursive: true});
// Bundled exactly as todo-deploy itself is.
await build({...bundleOptions, entryPoints: {'hello-ink.bundled': path.join(root, 'bench/hello-ink.tsx')}, outdir: benchDir});
await build({
	entryPoints: [path.join(root, 'bench/hello-ink.tsx')],
	outfile: path.join(root, 'bench/.hello-ink.unbundled.js'),
	bundle: false,
	format: 'esm',
	platform: 'node',
	jsx: 'automatic',
	logLevel: 'warning',
});

const emptyBin = mkdtempSync(path.join(os.tmpdir(), 'todo-deploy-bench-bin-'));
const emptyHome = mkdtempSync(path.join(os.tmpdir(), 'todo-deploy-bench-home-'));
const kubeHome = mkdtempSync(path.join(os.tmpdir(), 'todo-deploy-bench-kube-'));
mkdirSync(path.join(kubeHome, '.kube'));
// A local context whose API server is down: the doctor loads the kubeconfig and probes it.
writeFileSync(
	path.join(kubeHome, '.kube/config'),
	'apiVersion: v1\nkind: Config\nclusters:\n- name: kind-todo\n  cluster:\n    server: https://127.0.0.1:1\ncontexts:\n- name: kind-todo\n  context:\n    cluster: kind-todo\n    user: dev\nusers:\n- name: dev\n  user:\n    token: bench\ncurrent-context: kind-todo\n',
);
const nothingEnv = {PATH: emptyBin, HOME: emptyHome, DOCKER_HOST: 'unix:///nonexistent/docker.sock', TERM: 'xterm-256color', LANG: 'C.UTF-8'};

// As a person runs it: not in CI (Ink draws only the last frame there).
const interactiveEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => key !== 'CI' && key !== 'CONTINUOUS_INTEGRATION'));

const hello: number[] = [];
const helloUnbundled: number[] = [];
const doctorFrame: number[] = [];
const doctorFrameNothing: number[] = [];
for (let index = 0; index < runs; index++) {
	// Interleaved, so machine noise falls on all alike.
	hello.push(firstFrame('Hello from Ink', [node, path.join(benchDir, 'hello-ink.bundled.js')], interactiveEnv));
	helloUnbundled.push(firstFrame('Hello from Ink', [node, path.join(root, 'bench/.hello-ink.unbundled.js')], interactiveEnv));
	doctorFrame.push(firstFrame('todo-deploy .* doctor', [node, cli, 'doctor'], interactiveEnv));
	doctorFrameNothing.push(firstFrame('todo-deploy .* doctor', [node, cli, 'doctor'], nothingEnv));
}

console.log(`todo-deploy benchmarks on ${os.cpus().length} CPUs, Node.js ${process.version}, ${runs} runs each`);
table(
	'Time from process start to the first frame, in a pseudo-terminal (aim: within 1.5x of the bundled Ink app)',
	[
		['Ink hello world, bundled (baseline)', hello],
		['Ink hello world, unbundled', helloUnbundled],
		['todo-deploy doctor, this machine', doctorFrame],
		['todo-deploy doctor, every tool missing', doctorFrameNothing],
	],
	hello,
);

// Doctor's total against its slowest single check, from --json, and wall time with every tool missing.
type Output = {durationMs: number; checks: Array<{id: string; durationMs: number}>};
const totals: number[] = [];
const slowest: number[] = [];
const slowestIds: string[] = [];
const wallHere: number[] = [];
const wallNothing: number[] = [];
const wallKube: number[] = [];
for (let index = 0; index < runs; index++) {
	const started = performance.now();
	const result = spawnSync(node, [cli, 'doctor', '--json'], {encoding: 'utf8'});
	wallHere.push(performance.now() - started);
	const output = JSON.parse(result.stdout) as Output;
	totals.push(output.durationMs);
	const worst = output.checks.reduce((a, b) => (b.durationMs > a.durationMs ? b : a));
	slowest.push(worst.durationMs);
	slowestIds.push(worst.id);
	const startedNothing = performance.now();
	spawnSync(node, [cli, 'doctor', '--json'], {encoding: 'utf8', env: nothingEnv});
	wallNothing.push(performance.now() - startedNothing);
	const startedKube = performance.now();
	spawnSync(node, [cli, 'doctor', '--json'], {encoding: 'utf8', env: {...process.env, HOME: kubeHome}});
	wallKube.push(performance.now() - startedKube);
}

table(
	'Doctor on this machine (aim: total within 1.2x of its slowest check)',
	[
		[`slowest single check (most often: ${mostCommon(slowestIds)}) (baseline)`, slowest],
		['all nine checks at once, total', totals],
	],
	slowest,
);
table(
	'Whole process, start to exit, doctor --json (aim: under 1 s with every tool missing)',
	[
		['every tool missing (baseline)', wallNothing],
		['this machine', wallHere],
		['this machine with a kubeconfig (client-node loaded)', wallKube],
	],
	wallNothing,
);

// Download throughput on loopback: todo-deploy's downloader (fetch, hashing, writing) against curl writing the same file.
const bigFile = path.join(benchDir, 'download-256MiB.bin');
if (!existsSync(bigFile)) {
	execFileSync('head', ['-c', String(256 * 1024 * 1024), '/dev/urandom'], {stdio: ['ignore', openSync(bigFile, 'w'), 'inherit']});
}

// The downloader runs bundled, as it ships.
// With its worker beside it, as the product build lays them out (dist/download-worker.js).
await build({
	...bundleOptions,
	splitting: false,
	entryPoints: {'download-once': path.join(root, 'bench/download-once.ts'), 'download-worker': path.join(root, 'source/adapters/download-worker.ts')},
	outdir: benchDir,
});
const fileServer = spawn(node, ['--import', 'tsx', path.join(root, 'bench/serve-file.ts'), bigFile], {stdio: ['ignore', 'pipe', 'inherit']});
const fileUrl = await new Promise<string>(resolve => {
	fileServer.stdout.setEncoding('utf8').once('data', (chunk: string) => resolve(chunk.trim()));
});
const target = path.join(os.tmpdir(), `todo-deploy-bench-download-${process.pid}`);
const curlRates: number[] = [];
const curlThenSumRates: number[] = [];
const ourRates: number[] = [];
const megabytesOf = 256 * 1.048_576;
try {
	for (let index = 0; index < Math.min(runs, 7); index++) {
		const curlSeconds = Number(execFileSync('curl', ['-sS', '-o', target, '-w', '%{time_total}', fileUrl], {encoding: 'utf8'}));
		curlRates.push(megabytesOf / curlSeconds);
		// What the official install scripts do: download, then hash the file (get-helm-3 runs openssl sha256).
		const sumStarted = performance.now();
		execFileSync('sha256sum', [target], {stdio: 'ignore'});
		curlThenSumRates.push(megabytesOf / (curlSeconds + (performance.now() - sumStarted) / 1000));
		rmSync(target, {force: true});
		const [ourSeconds = '0'] = execFileSync(node, [path.join(benchDir, 'download-once.js'), fileUrl, target], {encoding: 'utf8'})
			.trim()
			.split(' ');
		ourRates.push(megabytesOf / Number(ourSeconds));
	}
} finally {
	fileServer.kill();
	rmSync(target, {force: true});
}

console.log('\nDownload of a 256 MiB file on loopback, written to disk (aim: todo-deploy at least 80% of curl)');
console.log(`  ${'what'.padEnd(46)} ${'median'.padStart(12)}  vs baseline`);
console.log(`  ${'curl (baseline)'.padEnd(46)} ${`${median(curlRates).toFixed(0)} MB/s`.padStart(12)}  1.00x`);
console.log(
	`  ${'curl, then sha256sum of the file'.padEnd(46)} ${`${median(curlThenSumRates).toFixed(0)} MB/s`.padStart(12)}  ${(median(curlThenSumRates) / median(curlRates)).toFixed(2)}x`,
);
console.log(
	`  ${'todo-deploy download (fetch + SHA-256 + write)'.padEnd(46)} ${`${median(ourRates).toFixed(0)} MB/s`.padStart(12)}  ${(median(ourRates) / median(curlRates)).toFixed(2)}x`,
);

// The status screen against kubectl on a simulated stream.
await benchStatus(root, realKubeTool('kubectl'));

// A held browser address through pod replacements, against kubectl port-forward restarted at once.
await benchForward(realKubeTool('kubectl'), Math.min(runs, 10));

// Build, load and scan against one-after-the-other and against a first run.
await benchImages(root, runs);

// The load check against wrk.
await benchVerify(root, runs);

// The whole flow, twice.
await benchUp(root, runs);

// A saved line to the image in the cluster: built in minikube's engine against the whole image copied.
await benchDev(Math.min(runs, 5));
