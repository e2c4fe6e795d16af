// Build, load and scan: both images at once against one after the other, and an unchanged second
// run of build + load + scan against the first. Real Docker; kind and Trivy are the test stand-ins.
import {execFileSync, spawnSync} from 'node:child_process';
import {appendFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {makeBin, tempDir} from '../test/helpers/cli.js';
import {ensureBaseImage, makeTodoProject, removeImages} from '../test/helpers/images.js';
import {kindScript, startKindNode, trivyReport, trivyScript} from '../test/helpers/stand-ins.js';

const seconds = (ms: number) => `${(ms / 1000).toFixed(2).padStart(6)} s`;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

function timed(node: string, cli: string, args: string[], env: NodeJS.ProcessEnv): {ms: number; stdout: string} {
	const started = performance.now();
	const result = spawnSync(node, [cli, ...args], {env, encoding: 'utf8'});
	const ms = performance.now() - started;
	if (result.status !== 0) {
		throw new Error(`todo-deploy ${args.join(' ')} exited ${String(result.status)}:\n${result.stdout}\n${result.stderr}`);
	}

	return {ms, stdout: result.stdout};
}

export async function benchImages(root: string, runs: number): Promise<void> {
	const node = process.execPath;
	const cli = path.join(root, 'bin/todo-deploy.js');
	ensureBaseImage();
	// Work for the builder: each image writes and hashes a few tens of megabytes in a RUN step.
	const project = makeTodoProject({git: false});
	for (const name of ['backend', 'frontend']) {
		appendFileSync(
			path.join(project, name, 'Dockerfile'),
			'RUN dd if=/dev/urandom of=/app/blob bs=1M count=48 2>/dev/null && sha256sum /app/blob > /app/blob.sum && rm /app/blob\n',
		);
	}

	const env = {
		PATH: makeBin({real: ['docker', 'git', 'sed', 'tr', 'cat', 'cp'], scripts: {kind: kindScript(), trivy: trivyScript}}),
		HOME: tempDir('home'),
		LANG: 'C.UTF-8',
		TRIVY_TEST_BACKEND: trivyReport('trivy-golden-sl-micro-rancher5.4.json'),
		TRIVY_TEST_FRONTEND: trivyReport('trivy-golden-sl-micro-rancher5.4.json'),
	};
	const made = new Set<string>();
	const remember = (stdout: string) => {
		for (const match of stdout.matchAll(/todo-(?:backend|frontend):src-[0-9a-f]{12}/g)) {
			made.add(match[0]);
		}
	};

	// A fresh nonce in each folder makes every build do its work (nothing from the cache after the COPY).
	const freshSources = (run: number) => {
		for (const name of ['backend', 'frontend']) {
			writeFileSync(path.join(project, name, 'nonce.txt'), `${Date.now()}-${run}\n`);
		}
	};

	const together: number[] = [];
	const oneByOne: number[] = [];
	const count = Math.max(3, Math.min(runs, 5));
	for (let run = 0; run < count; run++) {
		freshSources(run * 2);
		const both = timed(node, cli, ['build', project], env);
		remember(both.stdout);
		together.push(both.ms);
		freshSources(run * 2 + 1);
		// One after the other: each image alone, through the same command.
		const backend = timed(node, cli, ['build', project, '--only', 'backend'], env);
		remember(backend.stdout);
		const frontend = timed(node, cli, ['build', project, '--only', 'frontend'], env);
		remember(frontend.stdout);
		oneByOne.push(backend.ms + frontend.ms);
	}

	console.log('\nBuilding the two test images (each RUN writes and hashes 48 MB; 2 cores here)');
	console.log(`  ${'what'.padEnd(46)} ${'median'.padStart(8)}  vs baseline`);
	console.log(`  ${'one after the other (baseline)'.padEnd(46)} ${seconds(median(oneByOne))}  1.00x`);
	console.log(`  ${'both at once (todo-deploy build)'.padEnd(46)} ${seconds(median(together))}  ${(median(together) / median(oneByOne)).toFixed(2)}x`);

	const cluster = `bench${process.pid}`;
	const kindNode = startKindNode(cluster);
	const firsts: number[] = [];
	const seconds2: number[] = [];
	try {
		for (let run = 0; run < count; run++) {
			freshSources(100 + run);
			const first = timed(node, cli, ['build', project, '--load', '--scan', '--kind', cluster], env);
			remember(first.stdout);
			firsts.push(first.ms);
			const second = timed(node, cli, ['build', project, '--load', '--scan', '--kind', cluster], env);
			if (!/up to date/.test(second.stdout) || !/not sent again/.test(second.stdout) || !/cached scan/.test(second.stdout)) {
				throw new Error(`the second run was not a no-op:\n${second.stdout}`);
			}

			seconds2.push(second.ms);
		}
	} finally {
		kindNode.stop();
		removeImages([...made]);
		execFileSync('docker', ['image', 'prune', '-f'], {stdio: 'ignore'});
	}

	console.log('\nbuild + load (kind) + scan (Trivy stand-in), then again with nothing changed (aim: the second under 3 s)');
	console.log(`  ${'what'.padEnd(46)} ${'median'.padStart(8)}  vs baseline`);
	console.log(`  ${'first run (baseline)'.padEnd(46)} ${seconds(median(firsts))}  1.00x`);
	console.log(`  ${'second run, nothing changed'.padEnd(46)} ${seconds(median(seconds2))}  ${(median(seconds2) / median(firsts)).toFixed(2)}x`);
}
