// The status screen against kubectl on the same simulated stream: 2,000 pods, then 10,000 pod events.
import {spawn} from 'node:child_process';
import {mkdtempSync, readFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {build} from 'esbuild';
import {bundleOptions} from '../scripts/bundle-options.js';
import {startSimulatedCluster, type SimulatedCluster} from '../test/sim/apiserver.js';

const podCount = 2000;
const eventCount = 10_000;

type Result = {cpuSeconds: number; maxRssMiB: number; p50?: number | null; p95?: number | null; arrivalP95?: number | null};

function procStats(pid: number): {cpuSeconds: number; maxRssMiB: number} {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
	const ticks = Number(stat[11] ?? 0) + Number(stat[12] ?? 0);
	const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? '0';
	return {cpuSeconds: ticks / 100, maxRssMiB: Number(hwm) / 1024};
}

function seedPods(cluster: SimulatedCluster, template: Record<string, unknown>) {
	cluster.put({kind: 'Namespace', metadata: {name: 'bench'}, status: {phase: 'Active'}});
	for (let index = 0; index < podCount; index++) {
		cluster.put({...template, metadata: {name: `pod-${String(index).padStart(4, '0')}`, namespace: 'bench', labels: {app: 'bench'}}});
	}
}

async function streamEvents(cluster: SimulatedCluster, template: Record<string, unknown>) {
	for (let index = 0; index < eventCount; index++) {
		const name = `pod-${String(index % podCount).padStart(4, '0')}`;
		// Each event changes what a screen shows (the restart count), as real pod events do.
		const status = template['status'] as {containerStatuses: Array<Record<string, unknown>>};
		const statusWithRestarts = {...status, containerStatuses: status.containerStatuses.map(container => ({...container, restartCount: index}))};
		cluster.put({
			...template,
			status: statusWithRestarts,
			metadata: {name, namespace: 'bench', labels: {app: 'bench', 'bench-sent-at': String(Date.now()), 'bench-n': String(index)}},
		});
		if (index % 20 === 19) {
			// Let the server write to its watchers, as a real stream arrives over time (at most 2,000 events a second).
			await new Promise(resolve => setTimeout(resolve, 10));
		}
	}
}

async function runConsumer(
	command: string,
	args: string[],
	env: NodeJS.ProcessEnv,
	ready: (output: string) => boolean,
	done: (output: string) => boolean,
	cluster: SimulatedCluster,
	template: Record<string, unknown>,
): Promise<{output: string; stats: {cpuSeconds: number; maxRssMiB: number}}> {
	const child = spawn(command, args, {env, stdio: ['ignore', 'pipe', 'inherit']});
	let output = '';
	child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
		output += chunk;
	});
	const waitFor = async (test: (text: string) => boolean) => {
		const deadline = Date.now() + 120_000;
		while (!test(output)) {
			if (Date.now() > deadline) {
				child.kill();
				throw new Error(`${command} did not finish: ${output.slice(-300)}`);
			}

			await new Promise(resolve => setTimeout(resolve, 20));
		}
	};

	await waitFor(ready);
	await streamEvents(cluster, template);
	await waitFor(done);
	const stats = child.exitCode === null ? procStats(child.pid ?? 0) : {cpuSeconds: 0, maxRssMiB: 0};
	child.kill();
	return {output, stats};
}

export async function benchStatus(root: string, kubectl: string): Promise<void> {
	const outdir = path.join(root, '.cache/bench');
	await build({...bundleOptions, entryPoints: {'status-consumer': path.join(root, 'bench/status-consumer.ts')}, outdir});
	const template = JSON.parse(readFileSync(path.join(root, 'test/fixtures/captured/k8s/pods/k8rs-kind-v1.36.1-healthy.json'), 'utf8')) as Record<
		string,
		unknown
	>;
	const results: Array<[string, Result]> = [];
	for (const consumer of (process.env['BENCH_CONSUMERS']?.split(',') ?? ['json', 'json-default-heap', 'screen', 'kubectl']) as Array<
		'kubectl' | 'json' | 'json-default-heap' | 'screen'
	>) {
		const cluster = await startSimulatedCluster({
			kubeconfigPath: path.join(mkdtempSync(path.join(os.tmpdir(), 'todo-deploy-bench-sim-')), 'kubeconfig'),
			historyLimit: 30_000,
		});
		seedPods(cluster, template);
		const env = {PATH: '/usr/bin:/bin', HOME: os.tmpdir(), KUBECONFIG: cluster.kubeconfigPath};
		try {
			if (consumer === 'kubectl') {
				const lines = (text: string) => text.split('\n').length - 1;
				const run = await runConsumer(
					kubectl,
					['get', 'pods', '-n', 'bench', '-w', '-o', 'name'],
					env,
					text => lines(text) >= podCount,
					text => lines(text) >= podCount + eventCount,
					cluster,
					template,
				);
				results.push(['kubectl get pods -w -o name (baseline)', run.stats]);
			} else {
				const run = await runConsumer(
					process.execPath,
					[
						...(process.env['BENCH_NODE_FLAGS'] ? process.env['BENCH_NODE_FLAGS'].split(' ') : []),
						...(process.env['BENCH_PROFILE'] ? ['--cpu-prof', '--cpu-prof-dir', process.env['BENCH_PROFILE']] : []),
						path.join(outdir, 'status-consumer.js'),
						consumer === 'screen' ? 'screen' : 'json',
						String(eventCount),
						consumer === 'json-default-heap' ? 'default' : 'small',
					],
					env,
					text => text.includes('ready'),
					text => text.includes('"seen"'),
					cluster,
					template,
				);
				const line = run.output.split('\n').find(text => text.startsWith('{')) ?? '{}';
				const reported = JSON.parse(line) as Result;
				if (process.env['BENCH_DEBUG']) {
					console.log(line);
				}
				// The consumer measures itself (process.resourceUsage) just before it exits.
				results.push([
					{
						json: 'todo-deploy status engine (--json style)',
						'json-default-heap': "  the same, V8's default heap growth",
						screen: 'todo-deploy status screen (Ink)',
					}[consumer],
					{cpuSeconds: reported.cpuSeconds, maxRssMiB: reported.maxRssMiB, p50: reported.p50, p95: reported.p95, arrivalP95: reported.arrivalP95},
				]);
			}
		} finally {
			await cluster.close();
		}
	}

	// kubectl runs last (a todo-deploy consumer started after it stalled on this machine; not understood yet) but is the baseline.
	results.sort((a, b) => Number(b[0].includes('baseline')) - Number(a[0].includes('baseline')));
	const baseline = results[0]?.[1];
	console.log(
		`\nStatus on a simulated stream of ${podCount} pods and ${eventCount} pod events at up to 2,000 events a second (aims: CPU per event no worse than kubectl, under 200 MB resident, p95 event-to-screen under 100 ms)`,
	);
	console.log('  (latency: from the simulator sending a change to a pod on screen to the frame that shows it; "in app": from its arrival in todo-deploy)');
	console.log(
		`  ${'what'.padEnd(44)} ${'CPU s'.padStart(7)} ${'µs/event'.padStart(9)} ${'peak RSS'.padStart(10)} ${'p50'.padStart(7)} ${'p95'.padStart(7)} ${'p95 in app'.padStart(11)}  CPU vs baseline`,
	);
	for (const [name, result] of results) {
		const latency = (value: number | null | undefined) => (value === undefined || value === null ? '—' : `${value} ms`).padStart(7);
		console.log(
			`  ${name.padEnd(44)} ${result.cpuSeconds.toFixed(2).padStart(7)} ${((result.cpuSeconds * 1e6) / eventCount).toFixed(0).padStart(9)} ${`${result.maxRssMiB.toFixed(0)} MiB`.padStart(10)} ${latency(result.p50)} ${latency(result.p95)} ${latency(result.arrivalP95).padStart(11)}  ${baseline ? (result.cpuSeconds / baseline.cpuSeconds).toFixed(2) : '?'}x`,
		);
	}
}
