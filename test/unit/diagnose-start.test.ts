// An app that cannot start in the chart's strict pod (a non-root UID, a read-only root filesystem, no
// capabilities), or whose image lacks what it runs, diagnosed from what real apps print (captured from
// public threads), in a pod the real helm rendered from todo-deploy's chart, and in another chart's pod.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import type {V1Pod} from '@kubernetes/client-node';
import {diagnosePod} from '../../source/diagnose/pod.js';
import {startCause, startPod} from '../../source/diagnose/start.js';
import {renderObjects} from '../helpers/helm.js';
import {capturedPod} from '../helpers/k8s-fixtures.js';
import {capturedFixture, repoRoot} from '../helpers/paths.js';
import path from 'node:path';

const lines = (name: string) => readFileSync(capturedFixture('app-logs', name), 'utf8').split('\n');
const now = new Date('2026-08-20T23:15:00Z');

/** The side's pod as the chart makes it, crash-looping as the captured crashloop pod does. */
async function chartPod(side: 'backend' | 'frontend', sets: string[] = []): Promise<V1Pod> {
	const objects = await renderObjects(path.join(repoRoot, 'charts/todo-app'), ['secrets.databasePassword=x', 'secrets.authSecret=y', ...sets]);
	const deployment = objects.find(object => object.kind === 'Deployment' && object.metadata?.name?.endsWith(`-${side}`));
	const template = (deployment as unknown as {spec: {template: {metadata: V1Pod['metadata']; spec: V1Pod['spec']}}}).spec.template;
	const crashing = capturedPod('crashloop');
	const status = crashing.status?.containerStatuses?.[0];
	assert.ok(status);
	return {
		metadata: {...template.metadata, name: `demo-${side}-abc`},
		spec: template.spec,
		status: {...crashing.status, containerStatuses: [{...status, name: side}]},
	};
}

test("each captured start failure is read as its cause, with the chart's own values in the fix", async () => {
	const pod = startPod(await chartPod('frontend'), 'frontend');
	assert.deepEqual(pod, {side: 'frontend', uid: 10001, readOnlyRoot: true, writable: ['/tmp', '/app/.next/cache']});
	const cases: Array<[string, string]> = [
		['npm-erofs-cache-read-only-root.txt', 'npm-cache'],
		['python-errno-30-read-only-log-file-EXCERPT.txt', 'read-only'],
		['node-eacces-mkdir-data-upload.txt', 'not-writable'],
		['node-listen-eacces-port-80.txt', 'low-port'],
		['uvicorn-bind-port-80-permission-denied.txt', 'low-port'],
		['uvicorn-could-not-import-module-main.txt', 'asgi-import'],
		['nextjs-no-production-build.txt', 'next-build'],
		['postgres-database-files-incompatible.txt', 'database-version'],
	];
	assert.deepEqual(
		cases.map(([file]) => [file, startCause(lines(file), pod)?.kind]),
		cases,
	);
	const readOnly = startCause(lines('python-errno-30-read-only-log-file-EXCERPT.txt'), pod);
	assert.equal(readOnly?.title, 'it cannot write /app/services/admin-backend/log/logfile.log: the root filesystem is read-only');
	// The folder, not the file, with the folders the pod already has writable.
	assert.match(readOnly.fix, /--set 'frontend\.writablePaths=\{\/tmp,\/app\/\.next\/cache,\/app\/services\/admin-backend\/log\}'/);
	assert.match(startCause(lines('npm-erofs-cache-read-only-root.txt'), pod)?.fix ?? '', /--set frontend\.env\.npm_config_cache=\/tmp\/\.npm/);
	assert.match(startCause(lines('uvicorn-bind-port-80-permission-denied.txt'), pod)?.fix ?? '', /--set frontend\.unprivilegedPortStart=80/);
	const upload = startCause(lines('node-eacces-mkdir-data-upload.txt'), pod);
	assert.ok(upload);
	assert.match(upload.explanation, /UID 10001/);
	assert.match(upload.fix, /chown -R 10001 \.\/data\/upload/);
	const version = startCause(lines('postgres-database-files-incompatible.txt'), pod);
	assert.ok(version);
	assert.equal(version.title, 'PostgreSQL 15.2 will not start on data made by PostgreSQL 11');
	assert.match(version.fix, /postgresql\.image\.tag=11-alpine/);
	assert.match(version.fix, /pg_dumpall/);
	assert.match(version.fix, /never deletes the data/);
	// A port from 1024 up refused is not the low-port cause; lines of a healthy start say nothing.
	assert.equal(startCause(['Error: listen EACCES: permission denied 0.0.0.0:3000'], pod), undefined);
	assert.equal(startCause(['INFO:     Uvicorn running on http://0.0.0.0:8000'], pod), undefined);
});

test('the crash loop of a strict pod says what was refused, not "exited with code N"', async () => {
	const pod = await chartPod('backend', ['backend.uid=1001']);
	const diagnosis = diagnosePod({pod, now, logs: {backend: lines('python-errno-30-read-only-log-file-EXCERPT.txt')}});
	assert.match(diagnosis.title, /^backend keeps crashing: it cannot write \/app\/services\/admin-backend\/log\/logfile\.log: the root filesystem is read-only/);
	assert.doesNotMatch(`${diagnosis.explanation} ${diagnosis.fix}`, /exited with code/);
	assert.match(diagnosis.fix, /backend\.writablePaths=\{\/tmp,\/app\/services\/admin-backend\/log\}/);
	const denied = diagnosePod({pod, now, logs: {backend: lines('node-eacces-mkdir-data-upload.txt')}});
	assert.match(denied.explanation, /UID 1001\b/);
});

test("another chart's pod gets the fix in Kubernetes' words, without todo-deploy's values", () => {
	const pod = capturedPod('crashloop');
	const name = pod.status?.containerStatuses?.[0]?.name ?? '';
	assert.equal(startPod(pod, name).side, undefined);
	const diagnosis = diagnosePod({pod, now, logs: {[name]: lines('npm-erofs-cache-read-only-root.txt')}});
	assert.match(diagnosis.title, /npm cannot write its cache in \/home\/qryn\/\.npm/);
	assert.match(diagnosis.fix, /npm_config_cache=\/tmp\/\.npm with an emptyDir mounted at \/tmp/);
	assert.doesNotMatch(diagnosis.fix, /--set/);
	const port = diagnosePod({pod, now, logs: {[name]: lines('node-listen-eacces-port-80.txt')}});
	assert.match(port.fix, /net\.ipv4\.ip_unprivileged_port_start=80/);
	assert.doesNotMatch(port.fix, /--set/);
});
