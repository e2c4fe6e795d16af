import assert from 'node:assert/strict';
import {test} from 'node:test';
import {podDetail, podEventRows} from '../../source/diagnose/detail.js';
import {capturedPod, describedEvents} from '../helpers/k8s-fixtures.js';

const now = new Date('2026-08-20T23:12:00Z');
const text = (lines: ReadonlyArray<{text: string}>) => lines.map(line => line.text).join('\n');

test('describe-like detail of a crash-looping pod: where it runs, failing conditions, the waiting state and the last exit', () => {
	const lines = podDetail(capturedPod('crashloop'), now);
	const all = text(lines);
	assert.match(all, /^node k8rs-worker · IP REDACTED-IP · started \S+ ago · QoS BestEffort/);
	assert.match(all, /^labels demo=broken$/m);
	assert.match(all, /^conditions PodReadyToStartContainers ✔ · Initialized ✔ · Ready ✖ · ContainersReady ✖ · PodScheduled ✔$/m);
	assert.equal(lines.find(line => line.text.startsWith('conditions'))?.tone, 'bad');
	assert.match(all, /^container quitter: busybox$/m);
	assert.match(all, /^ {2}Waiting \(CrashLoopBackOff\) · ready ✖ · restarts 10 · last Terminated \(Error, exit 1, 2m22s ago\)$/m);
});

test('describe-like detail names limits, probes and init containers as the pod declares them', () => {
	assert.match(
		text(podDetail(capturedPod('oom'), now)),
		/^ {2}Terminated \(OOMKilled, exit 137, 2m26s ago\) · ready ✖ · restarts 10 · last Terminated \(OOMKilled, exit 137, 7m28s ago\)\n {2}requests memory 64Mi · limits memory 64Mi$/m,
	);
	assert.match(text(podDetail(capturedPod('readiness'), now)), /^ {2}readiness exec sh -c exit 1 every 5s \(fails after 3\)$/m);
	const init = text(podDetail(capturedPod('init'), now));
	assert.ok(init.indexOf('init container migrate') < init.indexOf('container app'), 'init containers come first, as they run');
});

test("a pod's events fold as describe folds them, newest first, with counts", () => {
	const events = describedEvents('describe-events-readiness-503-gravity.txt').map((event, index) => ({
		...event,
		lastTimestamp: new Date(now.getTime() - (index + 1) * 60_000),
	}));
	const rows = podEventRows([...events, ...events], now);
	assert.equal(rows.length, 1);
	assert.deepEqual(
		{...rows[0], last: undefined, first: undefined},
		{
			type: 'Warning',
			reason: 'Unhealthy',
			count: 51_420,
			message: 'Readiness probe failed: HTTP probe failed with statuscode: 503',
			last: undefined,
			first: undefined,
		},
	);
	const mixed = podEventRows(
		[
			{
				type: 'Normal',
				reason: 'Pulled',
				message: 'Container image "todo-backend:git-1" already present on machine',
				lastTimestamp: new Date(now.getTime() - 300_000),
			},
			{type: 'Warning', reason: 'BackOff', message: 'Back-off restarting failed container', lastTimestamp: new Date(now.getTime() - 10_000), count: 4},
		],
		now,
	);
	assert.deepEqual(
		mixed.map(row => [row.reason, row.last, row.count]),
		[
			['BackOff', '10s', 4],
			['Pulled', '5m', 1],
		],
	);
});
