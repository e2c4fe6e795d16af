// A held address through a pod's replacement: from the moment the new pod is Ready to the browser's
// address answering from it again, beside the best a person can do by hand (a `kubectl port-forward`
// to the new pod started the instant it is Ready). The real kubectl, against the simulated API server,
// whose port-forward leads to a server on loopback standing in for each pod.
import {spawn} from 'node:child_process';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import path from 'node:path';
import {resolveAndConnect} from '../source/engine/cluster.js';
import {holdAddresses} from '../source/engine/browser/hold.js';
import {localSystem} from '../source/engine/system.js';
import {startSimulatedCluster, type SimulatedCluster} from '../test/sim/apiserver.js';
import {freePort, tempDir} from '../test/helpers/cli.js';

const namespace = 'bench';
const service = 'todo-todo-app-frontend';

async function podServer(name: string): Promise<{port: number; close: () => void}> {
	const server = http.createServer((_request, response) => response.end(name));
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	return {port: (server.address() as AddressInfo).port, close: () => server.close()};
}

function readyPod(cluster: SimulatedCluster, name: string, localPort: number): void {
	cluster.put({
		apiVersion: 'v1',
		kind: 'Pod',
		metadata: {name, namespace, labels: {app: 'web'}, creationTimestamp: new Date().toISOString()},
		spec: {containers: [{name: 'web', image: 'todo-frontend:bench', ports: [{containerPort: 3000}]}]},
		status: {phase: 'Running', conditions: [{type: 'Ready', status: 'True'}]},
	});
	cluster.servePort(namespace, name, 3000, localPort);
}

/** Milliseconds until url answers with this body. */
async function untilItSays(url: string, body: string, started: number): Promise<number> {
	for (;;) {
		const said = await fetch(url, {signal: AbortSignal.timeout(2000)}).then(
			async response => response.text(),
			() => '',
		);
		if (said === body) {
			return performance.now() - started;
		}

		await new Promise(resolve => setTimeout(resolve, 5));
	}
}

export async function benchForward(kubectl: string, runs: number): Promise<void> {
	const kubeconfig = path.join(tempDir('bench-forward'), 'kubeconfig');
	const cluster = await startSimulatedCluster({kubeconfigPath: kubeconfig});
	const env = {PATH: `${path.dirname(kubectl)}:/usr/bin:/bin`, KUBECONFIG: kubeconfig, HOME: tempDir('home')};
	const system = localSystem(env);
	const {cluster: connected, target} = await resolveAndConnect(system, {namespace});
	cluster.put({
		apiVersion: 'v1',
		kind: 'Service',
		metadata: {name: service, namespace},
		spec: {selector: {app: 'web'}, ports: [{name: 'http', port: 3000, targetPort: 3000}]},
	});
	const servers: Array<{close: () => void}> = [];
	const first = await podServer('pod-0');
	servers.push(first);
	readyPod(cluster, 'pod-0', first.port);
	const localPort = await freePort();
	const url = `http://127.0.0.1:${localPort}/`;
	const holding = await holdAddresses(system, connected, target, [{side: 'frontend', service, servicePort: 3000, localPort}], () => undefined);
	const held: number[] = [];
	const byHand: number[] = [];
	try {
		await untilItSays(url, 'pod-0', performance.now());
		for (let index = 1; index <= runs; index++) {
			// The pod is replaced: the old one goes, the new one is Ready at `ready`.
			const next = await podServer(`pod-${index}`);
			servers.push(next);
			cluster.remove('Pod', namespace, `pod-${index - 1}`);
			readyPod(cluster, `pod-${index}`, next.port);
			const ready = performance.now();
			// By hand, at once: kubectl port-forward to the new pod, on a port of its own.
			const handPort = await freePort();
			const forward = spawn(kubectl, ['port-forward', '-n', namespace, `pod/pod-${index}`, `${handPort}:3000`, '--address', '127.0.0.1'], {
				env,
				stdio: 'ignore',
			});
			const [ours, theirs] = await Promise.all([untilItSays(url, `pod-${index}`, ready), untilItSays(`http://127.0.0.1:${handPort}/`, `pod-${index}`, ready)]);
			forward.kill();
			held.push(ours);
			byHand.push(theirs);
		}
	} finally {
		await holding.stop();
		for (const server of servers) {
			server.close();
		}

		await cluster.close();
	}

	const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
	const worst = (values: number[]) => Math.max(...values);
	console.log(`\nA held address through ${runs} pod replacements: from the new pod Ready to the address answering from it (aim: under 2 s)`);
	console.log(`  ${'what'.padEnd(46)} ${'median'.padStart(8)} ${'worst'.padStart(8)}  vs baseline`);
	console.log(
		`  ${'kubectl port-forward started at once (baseline)'.padEnd(46)} ${`${median(byHand).toFixed(0)} ms`.padStart(8)} ${`${worst(byHand).toFixed(0)} ms`.padStart(8)}  1.00x`,
	);
	console.log(
		`  ${'todo-deploy, the same address held'.padEnd(46)} ${`${median(held).toFixed(0)} ms`.padStart(8)} ${`${worst(held).toFixed(0)} ms`.padStart(8)}  ${(median(held) / median(byHand)).toFixed(2)}x`,
	);
}
