import assert from 'node:assert/strict';
import {test} from 'node:test';
import {renderReport, type ReportState} from '../../source/engine/report/markdown.js';
import {summarizeLoad} from '../../source/engine/verify/stats.js';

test('the report claims only what a section recorded; the rest says "not run"', () => {
	const samples = Float64Array.from([40, 42, 45, 50, 61]);
	const state: ReportState = {
		version: 1,
		project: '/p',
		sections: {
			environment: {
				status: 'verified',
				at: '2026-11-26T12:00:00Z',
				data: {
					recommendation: {target: 'kind', why: 'kind answers'},
					checks: {docker: {type: 'done', outcome: {status: 'ok', summary: 'Docker Engine 28.2.2 answers'}}},
				},
			},
			lint: {
				status: 'failed',
				at: '2026-11-26T12:01:00Z',
				data: {
					chart: 'charts/todo-app',
					objects: 18,
					findings: [{severity: 'error', rule: 'reference', object: 'Deployment/todo-backend', message: 'Secret "x" is missing | so the pod waits'}],
				},
			},
			verify: {
				status: 'verified',
				at: '2026-11-26T12:02:00Z',
				data: {
					url: 'http://127.0.0.1:8000',
					via: '--url',
					health: [{method: 'GET', path: '/ready', status: 200, body: '{"status":"ready"}', ms: 4, error: undefined}],
					smoke: [],
					load: summarizeLoad(samples, samples.length, {users: 5, durationMs: 1000, errors: 0, errorKinds: {}, targetP95Ms: 500}),
				},
			},
		},
	};
	const report = renderReport(state, new Date('2026-11-26T12:03:00Z'));
	assert.match(report, /\| Environment and tools \| ✅ verified \| 2026-11-26T12:00:00Z \|/);
	assert.match(report, /\| docker \| ok \| Docker Engine 28\.2\.2 answers \|/);
	assert.match(report, /\| Chart lint \| ❌ failed \|/);
	// A | in a message does not break the table.
	assert.match(report, /\| error \| reference \| Deployment\/todo-backend \| Secret "x" is missing \\\| so the pod waits \|/);
	assert.match(report, /## Deployment: ⏸ not run\n\nNot run, so nothing is claimed\./);
	assert.match(report, /Load check: 5 concurrent users for 1 s, target p95 < 500 ms: \*\*met\*\*/);
	assert.match(report, /\| GET \/ready \| 200 \| 4 ms \| \{"status":"ready"\} \|/);
});
