// Rendering goes through the real helm: the values are helm's own merge (a null deletes a key, --set
// wins over every file), and one chart with one set of values is rendered once per run.
import assert from 'node:assert/strict';
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {load} from 'js-yaml';
import {parseDryRun, renderChart} from '../../source/adapters/helm.js';
import {createSystem} from '../../source/adapters/system.js';
import {tempDir} from '../helpers/cli.js';
import {realKubeTool} from '../helpers/kube-tools.js';

function smallChart(): string {
	const chart = tempDir('chart');
	mkdirSync(path.join(chart, 'templates'));
	writeFileSync(path.join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: small\nversion: 0.1.0\n');
	writeFileSync(path.join(chart, 'values.yaml'), 'greeting: hello\nextra:\n  kept: 1\n  dropped: 2\nreplicas: 1\n');
	writeFileSync(
		path.join(chart, 'templates', 'cm.yaml'),
		'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: {{ .Release.Name }}-cm}\ndata:\n  greeting: {{ .Values.greeting | quote }}\n  replicas: {{ .Values.replicas | quote }}\n',
	);
	writeFileSync(
		path.join(chart, 'templates', 'test.yaml'),
		'apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}-test\n  annotations: {"helm.sh/hook": test}\nspec: {containers: [{name: t, image: "busybox:1"}]}\n',
	);
	return chart;
}

test("the values are helm's merge: a null in a file deletes the chart's key, --set wins over the files; hooks are part of the manifest", async () => {
	const helm = realKubeTool('helm');
	const bin = tempDir('bin');
	writeFileSync(path.join(bin, 'helm'), `#!/bin/sh\nexec ${helm} "$@"\n`, {mode: 0o755});
	const chart = smallChart();
	const values = path.join(tempDir('values'), 'values.yaml');
	writeFileSync(values, 'extra:\n  dropped: null\nreplicas: 3\n');
	const rendered = await renderChart(
		createSystem({PATH: bin, HOME: tempDir('home')}),
		{chart, release: 'demo', namespace: 'x', values: {files: [values], sets: {replicas: '5', greeting: 'hi'}}, timeoutMs: 60_000},
		yaml => load(yaml),
	);
	assert.ok(rendered.ok, rendered.ok ? '' : rendered.error);
	assert.deepEqual(rendered.values, {greeting: 'hi', extra: {kept: 1}, replicas: 5});
	assert.match(rendered.manifest, /name: demo-cm[\s\S]*greeting: "hi"[\s\S]*replicas: "5"/);
	assert.match(rendered.manifest, /name: demo-test/, 'the test hook is rendered too');
});

test('the same chart and values are rendered once; other values render again', async () => {
	const helm = realKubeTool('helm');
	const bin = tempDir('bin');
	const calls = path.join(bin, 'calls');
	writeFileSync(path.join(bin, 'helm'), `#!/bin/sh\necho run >> ${calls}\nexec ${helm} "$@"\n`, {mode: 0o755});
	const system = createSystem({PATH: bin, HOME: tempDir('home')});
	const chart = smallChart();
	const request = {chart, release: 'demo', namespace: 'x', values: {files: [], sets: {replicas: '2'}}, timeoutMs: 60_000};
	const [first, second] = await Promise.all([renderChart(system, request, load), renderChart(system, request, load)]);
	assert.equal(first, second);
	await renderChart(system, request, load);
	assert.equal(readFileSync(calls, 'utf8').trim().split('\n').length, 1);
	await renderChart(system, {...request, values: {files: [], sets: {replicas: '3'}}}, load);
	assert.equal(readFileSync(calls, 'utf8').trim().split('\n').length, 2);
});

test('a chart that does not render says why in helm words, without its debug lines', async () => {
	const helm = realKubeTool('helm');
	const bin = tempDir('bin');
	writeFileSync(path.join(bin, 'helm'), `#!/bin/sh\nexec ${helm} "$@"\n`, {mode: 0o755});
	const chart = smallChart();
	writeFileSync(path.join(chart, 'templates', 'broken.yaml'), 'data: {{ .Values.nope.deeper }}\n');
	const rendered = await renderChart(
		createSystem({PATH: bin, HOME: tempDir('home')}),
		{chart, release: 'demo', namespace: 'x', values: {files: [], sets: {}}, timeoutMs: 60_000},
		load,
	);
	assert.equal(rendered.ok, false);
	assert.match(rendered.error, /nil pointer evaluating interface \{\}\.deeper/);
	assert.doesNotMatch(rendered.error, /level=DEBUG/);
});

test('parseDryRun reads the computed values, the hooks and the manifest; output without them is not a render', () => {
	const parsed = parseDryRun(
		'NAME: x\nUSER-SUPPLIED VALUES:\n{}\n\nCOMPUTED VALUES:\na: 1\n\nHOOKS:\n---\nkind: Pod\nMANIFEST:\n---\nkind: ConfigMap\n\nNOTES:\nhello\n',
	);
	assert.ok(parsed);
	assert.equal(parsed.values.trim(), 'a: 1');
	assert.match(parsed.manifest, /kind: Pod[\s\S]*kind: ConfigMap/);
	assert.doesNotMatch(parsed.manifest, /hello/);
	assert.equal(parseDryRun('Error: something'), undefined);
});
