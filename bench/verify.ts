// The load check against wrk on the same endpoint (a server that answers after 50 ms): p95 side by side.
import {execFileSync, spawn} from 'node:child_process';
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {runCli, tempDir} from '../test/helpers/cli.js';

export async function benchVerify(root: string, runs: number): Promise<void> {
	const server = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'test/helpers/delay-server.ts')], {
		env: {...process.env, DELAY_MS: '50'},
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	const port = await new Promise<string>(resolve => {
		server.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
	});
	const url = `http://127.0.0.1:${port}`;
	const script = path.join(tempDir('wrk'), 'p95.lua');
	writeFileSync(script, 'done = function(summary, latency, requests)\n  io.write(string.format("p95_us=%d\\n", latency:percentile(95)))\nend\n');
	const wrk: number[] = [];
	const ours: number[] = [];
	try {
		for (let index = 0; index < Math.max(1, Math.min(runs, 3)); index++) {
			wrk.push(Number(/p95_us=(\d+)/.exec(execFileSync('wrk', ['-t2', '-c100', '-d5s', '-s', script, `${url}/api/todos`], {encoding: 'utf8'}))?.[1]) / 1000);
			const result = await runCli(['verify', tempDir('verify'), '--url', url, '--users', '100', '--duration', '5', '--json'], {
				env: {PATH: '/usr/bin:/bin', HOME: tempDir('home')},
				timeoutMs: 60_000,
			});
			ours.push((JSON.parse(result.stdout) as {load: {p95: number}}).load.p95);
		}
	} finally {
		server.kill();
	}

	const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
	console.log('\nLoad check: 100 users for 5 s against a server that answers after 50 ms (aim: p95 within 10% of wrk)');
	console.log(`  ${'what'.padEnd(46)} ${'p95'.padStart(8)}  vs baseline`);
	console.log(`  ${'wrk -t2 -c100 (baseline)'.padEnd(46)} ${`${median(wrk).toFixed(1)} ms`.padStart(8)}  1.00x`);
	console.log(`  ${'todo-deploy verify load check'.padEnd(46)} ${`${median(ours).toFixed(1)} ms`.padStart(8)}  ${(median(ours) / median(wrk)).toFixed(2)}x`);
}
