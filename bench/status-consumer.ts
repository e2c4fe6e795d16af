// The status screen's engine as a separate process for the benchmark: the cluster adapter, the store
// and the rows of every pod, fed by the same watch stream kubectl gets. Modes: "json" (no screen) and
// "screen" (Ink drawing into a 120x50 terminal-like stream), which also measures event-to-screen latency.
import {Readable, Writable} from 'node:stream';
import {preferSmallHeap} from '../source/adapters/heap.js';
import {createSystem} from '../source/adapters/system.js';
import {resolveAndConnect} from '../source/engine/cluster.js';
import type {StatusAction} from '../source/engine/status/actions.js';
import {initialStatusState, statusReducer, type StatusState} from '../source/engine/status/reducer.js';
import {followCluster, loadSnapshot} from '../source/engine/status/run.js';
import {statusSnapshot} from '../source/engine/status/select.js';
import {createStore} from '../source/engine/store.js';

const [mode = 'json', expectedText = '0', heap = 'small'] = process.argv.slice(2);
const expected = Number(expectedText);
// As the status command does; "default" leaves V8's settings alone, for comparison.
if (heap !== 'default') {
	preferSmallHeap();
}

const startMiB = Math.round(process.memoryUsage().rss / 1048576);
const {cluster} = await resolveAndConnect(createSystem(process.env), {namespace: 'bench'});
const store = createStore<StatusState, StatusAction>(statusReducer, initialStatusState());
const connectedMiB = Math.round(process.memoryUsage().rss / 1048576);
await loadSnapshot(cluster, store);
const afterSnapshotMiB = Math.round(process.memoryUsage().rss / 1048576);

let seen = 0;
const visibleBelow = `pod-${String(50 - 18).padStart(4, '0')}`;
const pending: number[] = [];
const latencies: number[] = [];
const arrivals: number[] = [];
const fromArrival: number[] = [];
// From the simulator sending a change to it landing in the store (every pod, drawn or not).
const lags: number[] = [];
store.subscribe((_state, action) => {
	const changes = action.type === 'status/batch' ? action.changes : [];
	for (const change of changes) {
		const sentAt = Number(change.object.metadata?.labels?.['bench-sent-at'] ?? 0);
		if (change.kind === 'pods' && sentAt > 0) {
			seen++;
			lags.push(Date.now() - sentAt);
			// Only a pod on screen can show its change: the first rows (50 lines minus the panels) are drawn.
			if ((change.object.metadata?.name ?? '') < visibleBelow) {
				pending.push(sentAt);
				arrivals.push(Date.now());
			}
		}
	}
});

if (mode === 'screen') {
	const {render} = await import('ink');
	const react = await import('react');
	// React is CommonJS: bundled, its functions sit on the default export.
	const {createElement} = (react as unknown as {default?: typeof react}).default ?? react;
	const {StatusApp} = await import('../source/views/status-app.js');
	// A terminal-like stream: every write is a frame reaching the screen.
	const screen = Object.assign(
		new Writable({
			write(_chunk, _encoding, callback) {
				const now = Date.now();
				for (const sentAt of pending.splice(0)) {
					latencies.push(now - sentAt);
				}

				for (const arrivedAt of arrivals.splice(0)) {
					fromArrival.push(now - arrivedAt);
				}

				callback();
			},
		}),
		{columns: 120, rows: 50, isTTY: true},
	);
	// The keys need a terminal-like stdin in raw mode; nobody types here.
	const keyboard = Object.assign(new Readable({read() {}}), {isTTY: true, setRawMode: () => keyboard, ref: () => keyboard, unref: () => keyboard});
	render(createElement(StatusApp, {store, context: cluster.context, namespace: 'bench', onLogs() {}, onRestart() {}}), {
		stdout: screen as unknown as NodeJS.WriteStream,
		stdin: keyboard as unknown as NodeJS.ReadStream,
		patchConsole: false,
		exitOnCtrlC: false,
		interactive: true,
	});
}

// Ready once every watch is open: the figures are for a live screen, not for its start.
const stop = followCluster(cluster, store);
await new Promise<void>(resolve => {
	const timer = setInterval(() => {
		if (store.getState().connection.type === 'live') {
			clearInterval(timer);
			resolve();
		}
	}, 5);
});
process.stdout.write('ready\n');
await new Promise<void>(resolve => {
	const timer = setInterval(() => {
		if (seen >= expected) {
			clearInterval(timer);
			resolve();
		}
	}, 20);
});
// --json-style: the whole report once at the end.
const report = statusSnapshot(store.getState(), {context: cluster.context, namespace: 'bench'});
stop();
// The value at a share of the sorted values (null when there are none).
const at = (values: readonly number[], share: number) => [...values].sort((a, b) => a - b)[Math.floor(values.length * share)] ?? null;
const usage = process.resourceUsage();
// With --expose-gc (BENCH_NODE_FLAGS), what is still held after a full collection.
(globalThis as {gc?: () => void}).gc?.();
const memory = process.memoryUsage();
process.stdout.write(
	`${JSON.stringify({startMiB, connectedMiB, afterSnapshotMiB, heapUsedMiB: Math.round(memory.heapUsed / 1048576), heapTotalMiB: Math.round(memory.heapTotal / 1048576), externalMiB: Math.round(memory.external / 1048576), arrayBuffersMiB: Math.round(memory.arrayBuffers / 1048576), pods: report.pods.length, seen, cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6, maxRssMiB: usage.maxRSS / 1024, p50: at(latencies, 0.5), p95: at(latencies, 0.95), arrivalP95: at(fromArrival, 0.95), frames: latencies.length, lagP50: at(lags, 0.5), lagP95: at(lags, 0.95)})}\n`,
);
process.exit(0);
