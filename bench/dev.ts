// From a saved line to the image in the cluster: a backend image of about 470 MB whose last layer holds
// the app code, one line changed, sent to minikube and kind the way todo-deploy does now, beside
// today's path (the whole image copied), measured in the same run. Real Docker engines: this machine's,
// and a second private one standing for minikube's; kind's node is the test stand-in container.
// kind's local registry is Debian's docker-registry (the registry:2 program) on loopback. The rollout
// after it is the same for every path, so it is not part of these figures (up --watch prints it with
// each change).
import {execFileSync, spawn} from 'node:child_process';
import {mkdirSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {createStore} from '../source/engine/store.js';
import {localSystem} from '../source/engine/system.js';
import type {ImagesAction, LoadTarget} from '../source/engine/images/actions.js';
import {imagesReducer, initialImagesState, type ImagesState} from '../source/engine/images/reducer.js';
import {runImages} from '../source/engine/images/run.js';
import {minikubeBuildEngine} from '../source/engine/images/in-place.js';
import {formatBytes} from '../source/engine/units.js';
import {freePort, makeBin, tempDir} from '../test/helpers/cli.js';
import {startPrivateDockerd} from '../test/helpers/dockerd.js';
import {baseImage, ensureBaseImage, gitCommitAll, imageExists, removeImages} from '../test/helpers/images.js';
import {kindScript, minikubeScript, startKindNode} from '../test/helpers/stand-ins.js';

const fatBase = 'todo-deploy-bench/fat-base:470';
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const megabytes = (bytes: number) => `${(bytes / 1_000_000).toFixed(1)} MB`;

type Shipped = {ms: number; bytes: number; ref: string; how: string};

export async function benchDev(runs: number): Promise<void> {
	ensureBaseImage();
	if (!imageExists(fatBase)) {
		// 460 MB of incompressible files under the app: what the team's python image with its packages weighs.
		const context = tempDir('fat-base');
		writeFileSync(
			path.join(context, 'Dockerfile'),
			`FROM ${baseImage}\nRUN mkdir -p /opt && dd if=/dev/urandom of=/opt/packages.bin bs=1M count=460 2>/dev/null\n`,
		);
		execFileSync('docker', ['build', '-q', '--network', 'host', '-t', fatBase, context], {stdio: ['ignore', 'ignore', 'inherit']});
	}

	const project = tempDir('dev-bench');
	mkdirSync(path.join(project, 'backend'));
	writeFileSync(path.join(project, 'backend/Dockerfile'), `FROM ${fatBase}\nWORKDIR /app\nCOPY app.py /app/app.py\nCMD ["cat", "/app/app.py"]\n`);
	const save = (line: string) => writeFileSync(path.join(project, 'backend/app.py'), `# the todo backend\nVERSION = "${line}"\n`);
	save('first');
	gitCommitAll(project, 'first');

	const registryPort = await freePort();
	const registryConfig = path.join(tempDir('registry'), 'config.yml');
	writeFileSync(
		registryConfig,
		`version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${path.dirname(registryConfig)}/data\nhttp:\n  addr: 127.0.0.1:${registryPort}\n`,
	);
	const registry = spawn('/usr/bin/docker-registry', ['serve', registryConfig], {stdio: 'ignore'});
	const minikubeDocker = await startPrivateDockerd();
	const cluster = `devbench${process.pid}`;
	const kindNode = startKindNode(cluster);
	const made = new Set<string>();
	const env = {
		PATH: makeBin({real: ['docker', 'git', 'sed', 'tr', 'cat'], scripts: {kind: kindScript(), minikube: minikubeScript}}),
		HOME: tempDir('home'),
		MINIKUBE_TEST_PROFILE: 'bench',
		MINIKUBE_TEST_DOCKER_HOST: minikubeDocker.host,
	};
	const system = localSystem(env);

	// As watch mode does: minikube's engine is asked for once a session, not on each save.
	const engine = minikubeBuildEngine(system, 'bench');
	const ship = async (target: LoadTarget, buildInPlace: boolean): Promise<Shipped> => {
		const store = createStore<ImagesState, ImagesAction>(imagesReducer, initialImagesState());
		const started = performance.now();
		await runImages(system, store, {
			root: project,
			sources: {backend: {context: 'backend', dockerfile: 'Dockerfile'}},
			steps: {build: true, load: true, scan: false},
			target,
			buildArgs: {},
			rebuild: false,
			gate: {severities: ['CRITICAL'], fixableOnly: true, ignored: []},
			skipDbUpdate: true,
			rescan: false,
			scansDir: path.join(project, '.todo-deploy/reports'),
			buildInPlace,
			buildEngine: buildInPlace ? engine : undefined,
			// As watch mode builds a save: without labels, on every path alike.
			labels: false,
		});
		const ms = performance.now() - started;
		const [entry] = store.getState().images;
		if (entry?.load.type !== 'done' || !entry.plan) {
			throw new Error(`the bench's ship failed: ${JSON.stringify(entry ?? store.getState().error)}`);
		}

		made.add(entry.plan.ref);
		if (target.type === 'kind' && target.registry) {
			made.add(`${target.registry}/${entry.plan.ref}`);
		}

		return {ms, bytes: entry.load.bytes ?? 0, ref: entry.plan.ref, how: entry.load.outcome};
	};

	const paths: Array<{name: string; target: LoadTarget; inPlace: boolean}> = [
		{name: 'minikube, whole image copied (today, baseline)', target: {type: 'minikube', profile: 'bench'}, inPlace: false},
		{name: 'minikube, built in its own Docker (todo-deploy)', target: {type: 'minikube', profile: 'bench'}, inPlace: true},
		{name: 'kind, kind load of the whole image (today)', target: {type: 'kind', cluster}, inPlace: false},
		{name: 'kind, pushed to its local registry (todo-deploy)', target: {type: 'kind', cluster, registry: `localhost:${registryPort}`}, inPlace: false},
	];
	const results = new Map<string, Shipped[]>(paths.map(item => [item.name, []]));
	let firstCopy: Shipped | undefined;
	try {
		// Warm: each path has shipped the first version once (the base reaches minikube's engine here, once).
		for (const item of paths) {
			const warm = await ship(item.target, item.inPlace);
			if (item.inPlace) {
				firstCopy = warm;
			}
		}

		let saves = 0;
		for (let run = 0; run < runs; run++) {
			for (const item of paths) {
				// One line changed, as an editor saves it.
				save(`save ${++saves}`);

				results.get(item.name)?.push(await ship(item.target, item.inPlace));
			}
		}
	} finally {
		kindNode.stop();
		registry.kill();
		await minikubeDocker.stop();
		removeImages([...made]);
	}

	const baseline = median(results.get(paths[0]?.name ?? '')?.map(result => result.ms) ?? []);
	console.log(
		`\nOne line of a ${megabytes(Number(execFileSync('docker', ['image', 'inspect', '-f', '{{.Size}}', fatBase], {encoding: 'utf8'})))} backend changed, to the image in the cluster (build + transfer), ${runs} saves each`,
	);
	// Each cluster's own path of today too: kind's is kind load.
	const today = (item: (typeof paths)[number]) => median(results.get(paths[item.target.type === 'kind' ? 2 : 0]?.name ?? '')?.map(result => result.ms) ?? []);
	console.log(`  ${'path'.padEnd(50)} ${'median'.padStart(9)} ${'sent'.padStart(10)}  vs baseline  vs today's path there`);
	for (const item of paths) {
		const list = results.get(item.name) ?? [];
		const time = median(list.map(result => result.ms));
		console.log(
			`  ${item.name.padEnd(50)} ${`${(time / 1000).toFixed(2)} s`.padStart(9)} ${formatBytes(median(list.map(result => result.bytes))).padStart(10)}  ${`${(time / baseline).toFixed(2)}x`.padStart(11)}  ${`${(time / today(item)).toFixed(2)}x`.padStart(20)}`,
		);
	}

	if (firstCopy) {
		console.log(`  (once, on minikube's first in-place build: its base image copied across, ${megabytes(firstCopy.bytes)})`);
	}
}
