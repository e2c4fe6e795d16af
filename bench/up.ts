// `todo-deploy up --yes` twice in the demo world: the second run, with nothing changed, against the
// first; and todo-deploy's own time (everything but building and loading, the scan, helm and its
// wait, and the load check).
import {runCli} from '../test/helpers/cli.js';
import {makeTodoProject, removeImages} from '../test/helpers/images.js';
import {startUpWorld} from '../test/helpers/up-world.js';

type UpJson = {failedStep: string | null; steps: Array<{id: string; status: {type: string; durationMs?: number}}>};

const seconds = (ms: number) => `${(ms / 1000).toFixed(2).padStart(6)} s`;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

export async function benchUp(_root: string, runs: number): Promise<void> {
	const world = await startUpWorld(`bench${process.pid}`);
	const made = new Set<string>();
	const firsts: number[] = [];
	const seconds2: number[] = [];
	const overheads: number[] = [];
	try {
		for (let run = 0; run < Math.max(1, Math.min(runs, 2)); run++) {
			const project = makeTodoProject({git: true, app: true});
			// Not spawnSync: the simulated API server lives in this process and must keep answering.
			const once = async () => {
				const result = await runCli(['up', project, '--yes', '--json', '-n', `bench${run}`, '--url', world.appUrl, '--helm-arg=--disable-openapi-validation'], {
					env: world.env(),
					timeoutMs: 300_000,
				});
				const ms = result.ms;
				const output = JSON.parse(result.stdout) as UpJson;
				if (output.failedStep) {
					throw new Error(`up failed at ${output.failedStep}: ${result.stdout}`);
				}

				for (const match of result.stdout.matchAll(/todo-(?:backend|frontend):git-[0-9a-f]{12}/g)) {
					made.add(match[0]);
				}

				// Steps whose time belongs to other programs: Docker, Trivy, helm, the cluster, the app.
				const others = output.steps
					.filter(step => ['images', 'scan', 'helm', 'rollout', 'load'].includes(step.id))
					.reduce((total, step) => total + (step.status.durationMs ?? 0), 0);
				return {ms, overhead: ms - others};
			};

			firsts.push((await once()).ms);
			const second = await once();
			seconds2.push(second.ms);
			overheads.push(second.overhead);
		}
	} finally {
		await world.stop();
		removeImages([...made]);
	}

	console.log(
		'\ntodo-deploy up --yes in the demo world, default load check (100 users, 30 s) (aim: an unchanged second run under 10% of the first and under 10 s)',
	);
	console.log(`  ${'what'.padEnd(46)} ${'median'.padStart(8)}  vs baseline`);
	console.log(`  ${'first run (baseline)'.padEnd(46)} ${seconds(median(firsts))}  1.00x`);
	console.log(`  ${'second run, nothing changed'.padEnd(46)} ${seconds(median(seconds2))}  ${(median(seconds2) / median(firsts)).toFixed(2)}x`);
	console.log(
		`  ${"todo-deploy's own time in the second run".padEnd(46)} ${seconds(median(overheads))}  (aim: under 1 s; all but images, scan, helm, rollout, load check)`,
	);
}
