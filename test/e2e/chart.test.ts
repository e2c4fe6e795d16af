import assert from 'node:assert/strict';
import {cpSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {lintObjects} from '../../source/engine/lint/checks.js';
import {configMapValues, secretValues, workloadsOf, type K8sObject} from '../../source/engine/lint/objects.js';
import {parseManifest} from '../../source/engine/lint/run.js';
import {fitChart} from '../../source/engine/deploy/fit.js';
import {resolveProject} from '../../source/engine/project/resolve.js';
import {tempDir} from '../helpers/cli.js';
import {helm, renderObjects} from '../helpers/helm.js';
import {localFixtures, repoRoot} from '../helpers/paths.js';

const chart = path.join(repoRoot, 'charts/todo-app');
const variants: Record<string, string[]> = {
	defaults: [],
	'external database': ['postgresql.enabled=false', 'externalDatabase.url=postgresql://todo:pw@ep-cool-name.eu-central-1.aws.neon.tech/todo'],
	'ingress on': ['ingress.enabled=true', 'ingress.className=nginx'],
	'HPA on': ['autoscaling.enabled=true'],
	existingSecret: ['secrets.existingSecret=todo-credentials'],
};

const named = (objects: K8sObject[], kind: string, name: string) => objects.find(object => object.kind === kind && object.metadata?.name === name);

test('helm lint --strict passes for the defaults and every variant', async () => {
	for (const [name, sets] of Object.entries(variants)) {
		const result = await helm(['lint', '--strict', chart, ...sets.flatMap(set => ['--set', set])]);
		assert.equal(result.code, 0, `${name}: ${result.stdout}${result.stderr}`);
		assert.match(result.stdout, /1 chart\(s\) linted, 0 chart\(s\) failed/);
	}
});

test('every rendered object of every variant is valid against the Kubernetes OpenAPI schemas', async () => {
	for (const [name, sets] of Object.entries(variants)) {
		const objects = await renderObjects(chart, sets);
		assert.ok(objects.length >= 10, name);
		for (const object of objects) {
			const module = (await import(`kubernetes-models/${object.apiVersion ?? ''}/${object.kind ?? ''}`)) as Record<
				string,
				new (data: unknown) => {validate(): void}
			>;
			const Model = module[object.kind ?? ''];
			assert.ok(Model, `no model for ${object.apiVersion ?? ''}/${object.kind ?? ''}`);
			assert.doesNotThrow(() => new Model(object).validate(), `${name}: ${object.kind ?? ''}/${object.metadata?.name ?? ''}`);
		}
	}
});

test('todo-deploy lint finds nothing in our own chart, in any variant', async () => {
	for (const [name, sets] of Object.entries(variants)) {
		const findings = lintObjects(await renderObjects(chart, sets), {target: 'local', external: new Set(['todo-credentials'])});
		const unexpected =
			name === 'existingSecret' ? findings.filter(finding => !/must exist in the namespace before the deploy/.test(finding.message)) : findings;
		assert.deepEqual(unexpected, [], name);
	}
});

test('the pods pass the restricted Pod Security Standard and have probes, limits and writable scratch space', async () => {
	const objects = await renderObjects(chart);
	const workloads = workloadsOf(objects).filter(workload => !workload.hook);
	assert.deepEqual(workloads.map(workload => workload.ref).sort(), [
		'Deployment/demo-todo-app-backend',
		'Deployment/demo-todo-app-frontend',
		'StatefulSet/demo-todo-app-postgresql',
	]);
	for (const workload of workloads) {
		assert.equal(workload.spec.securityContext?.runAsNonRoot, true, workload.ref);
		assert.equal(workload.spec.securityContext.seccompProfile?.type, 'RuntimeDefault', workload.ref);
		for (const container of workload.spec.containers ?? []) {
			assert.equal(container.securityContext?.readOnlyRootFilesystem, true);
			assert.deepEqual(container.securityContext.capabilities?.drop, ['ALL']);
			assert.ok(container.readinessProbe && container.livenessProbe && container.startupProbe, `${workload.ref} probes`);
			assert.ok(container.resources?.limits?.['memory'] && container.resources.limits['cpu']);
			assert.match(container.imagePullPolicy ?? '', /^IfNotPresent$/);
			assert.doesNotMatch(container.image ?? '', /:latest$|^[^:]+$/);
		}
	}

	const backend = workloads.find(workload => workload.ref.endsWith('-backend'));
	const container = backend?.spec.containers?.[0];
	assert.deepEqual(container?.readinessProbe, {httpGet: {path: '/ready', port: 'http'}, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 3});
	assert.equal(container.startupProbe?.httpGet?.path, '/health');
	assert.ok((backend?.spec.volumes ?? []).some(volume => volume.name === 'tmp'));
});

test('secrets come from values or are generated, never from the templates, and one password feeds both sides', async () => {
	const given = await renderObjects(chart, [
		'secrets.databasePassword=p@ss w0rd+1',
		'secrets.authSecret=auth-given',
		'secrets.geminiApiKey=AIzaSyDexampleexampleexampleexample12',
	]);
	const values = secretValues(named(given, 'Secret', 'demo-todo-app-secrets') as K8sObject);
	assert.equal(values.get('DATABASE_PASSWORD'), 'p@ss w0rd+1');
	assert.equal(values.get('DATABASE_URL'), 'postgresql://todo:p%40ss%20w0rd%2B1@demo-todo-app-postgresql:5432/todo');
	// What a PostgreSQL client reads back from the URL is the password itself.
	assert.equal(decodeURIComponent(new URL(values.get('DATABASE_URL') ?? '').password), 'p@ss w0rd+1');
	assert.equal(values.get('AUTH_SECRET'), 'auth-given');
	const generated = secretValues(named(await renderObjects(chart), 'Secret', 'demo-todo-app-secrets') as K8sObject);
	assert.match(generated.get('DATABASE_PASSWORD') ?? '', /^[A-Za-z\d]{32}$/);
	assert.equal(generated.has('GEMINI_API_KEY'), false);
	// A changed secret rolls the pods through the checksum annotation.
	const annotation = (objects: K8sObject[]) =>
		(named(objects, 'Deployment', 'demo-todo-app-backend')?.['spec'] as {template: {metadata: {annotations: Record<string, string>}}}).template.metadata
			.annotations['checksum/secret'];
	assert.notEqual(annotation(given), annotation(await renderObjects(chart, ['secrets.databasePassword=other', 'secrets.authSecret=auth-given'])));
});

test('existingSecret: no Secret is rendered and every reference points at the named one', async () => {
	const objects = await renderObjects(chart, variants['existingSecret'] ?? []);
	assert.equal(objects.filter(object => object.kind === 'Secret').length, 0);
	const references = JSON.stringify(objects).match(/"secretKeyRef":\{"name":"[^"]+"/g) ?? [];
	assert.ok(references.length >= 4);
	assert.ok(references.every(reference => reference.endsWith('"todo-credentials"')));
});

test('network policies: default deny, then only the paths the app needs', async () => {
	const names = (await renderObjects(chart)).filter(object => object.kind === 'NetworkPolicy').map(object => object.metadata?.name);
	assert.deepEqual(names, [
		'demo-todo-app-default-deny',
		'demo-todo-app-allow-dns',
		'demo-todo-app-frontend',
		'demo-todo-app-backend',
		'demo-todo-app-postgresql',
		'demo-todo-app-test',
	]);
	const external = (await renderObjects(chart, variants['external database'] ?? []))
		.filter(object => object.kind === 'NetworkPolicy')
		.map(object => object.metadata?.name);
	assert.ok(!external.includes('demo-todo-app-postgresql'));
});

test('HPA at 70% CPU replaces fixed replicas; the frontend is reachable as a NodePort; a helm test checks the health endpoints', async () => {
	const objects = await renderObjects(chart, variants['HPA on'] ?? []);
	const hpas = objects.filter(object => object.kind === 'HorizontalPodAutoscaler');
	assert.equal(hpas.length, 2);
	assert.match(JSON.stringify(hpas[0]), /"averageUtilization":70/);
	assert.equal((named(objects, 'Deployment', 'demo-todo-app-backend')?.['spec'] as {replicas?: number}).replicas, undefined);
	const service = named(objects, 'Service', 'demo-todo-app-frontend')?.['spec'] as {type: string; ports: Array<{nodePort: number}>};
	assert.equal(service.type, 'NodePort');
	assert.equal(service.ports[0]?.nodePort, 30080);
	const hook = objects.find(object => object.metadata?.annotations?.['helm.sh/hook'] === 'test');
	assert.match(JSON.stringify(hook), /demo-todo-app-backend:8000\/health.*demo-todo-app-backend:8000\/ready.*demo-todo-app-frontend:80\/api\/health/);
});

test('wrong values fail at install time with a message that names them', async () => {
	const cases: Array<[string[], RegExp]> = [
		[['backend.image.tag=latest'], /at '\/backend\/image\/tag': 'not' failed/],
		[['backend.imag.tag=1'], /at '\/backend': additional properties 'imag' not allowed/],
		[['frontend.image.pullPolicy=Sometimes'], /at '\/frontend\/image\/pullPolicy': value must be one of 'IfNotPresent', 'Always', 'Never'/],
		[['externalDatabase.url=mysql://x'], /at '\/externalDatabase\/url'/],
		[['postgresql.enabled=false'], /externalDatabase\.url is required when postgresql\.enabled=false/],
	];
	for (const [sets, message] of cases) {
		const result = await helm(['template', 'demo', chart, ...sets.flatMap(set => ['--set', set])]);
		assert.notEqual(result.code, 0, sets.join(' '));
		assert.match(result.stderr, message, sets.join(' '));
	}
});

test('NOTES.txt tells how to reach the app on minikube and kind', async () => {
	const result = await helm(['install', 'demo', chart, '--dry-run=client', '--namespace', 'todo']);
	assert.equal(result.code, 0, result.stderr);
	assert.match(result.stdout, /minikube service demo-todo-app-frontend -n todo --url/);
	assert.match(result.stdout, /kubectl -n todo port-forward svc\/demo-todo-app-frontend 8080:80/);
	assert.match(result.stdout, /The chatbot is off/);
});

test("fitted to the team's app: the pods get the names its code reads, on its port and health path, and lint against the app is clean", async () => {
	const root = path.join(tempDir('real-app'), 'todo');
	cpSync(path.join(localFixtures, 'real-app'), root, {recursive: true});
	const project = await resolveProject(root, {});
	const fit = fitChart({contract: project.contract, release: 'demo'});
	const valuesFile = path.join(tempDir('fitted'), 'values.yaml');
	writeFileSync(valuesFile, JSON.stringify(fit.values));
	const result = await helm(['template', 'demo', chart, '--namespace', 'todo', '--values', valuesFile]);
	assert.equal(result.code, 0, result.stderr);
	const objects = parseManifest(result.stdout);
	const backend = workloadsOf(objects).find(workload => workload.ref === 'Deployment/demo-todo-app-backend');
	const container = backend?.spec.containers?.[0];
	assert.deepEqual(
		(container?.env ?? []).map(variable => [variable.name, variable.valueFrom?.secretKeyRef?.key, variable.valueFrom?.secretKeyRef?.name]),
		[
			['DATABASE_URL', 'DATABASE_URL', 'demo-todo-app-app-secrets'],
			['GEMINI_API_KEY', 'GEMINI_API_KEY', 'demo-todo-app-app-secrets'],
			['JWT_SECRET_KEY', 'JWT_SECRET_KEY', 'demo-todo-app-app-secrets'],
		],
	);
	assert.deepEqual(container?.ports, [{name: 'http', containerPort: 8080, protocol: 'TCP'}]);
	assert.equal(container.readinessProbe?.httpGet?.path, '/healthz');
	const service = named(objects, 'Service', 'demo-todo-app-backend') as {spec?: {ports?: Array<{port: number}>}} | undefined;
	assert.equal(service?.spec?.ports?.[0]?.port, 8080);
	const config = configMapValues(named(objects, 'ConfigMap', 'demo-todo-app-config') ?? {});
	// What the browser's code reads is the backend's address on this machine, not the in-cluster Service's.
	assert.match(config.get('NEXT_PUBLIC_API_BASE_URL') ?? '', /^http:\/\/localhost:\d+$/);
	// The Secret is todo-deploy's to write: the chart makes none.
	assert.equal(named(objects, 'Secret', 'demo-todo-app-secrets'), undefined);
	const findings = lintObjects(objects, {
		target: 'local',
		external: new Set(['demo-todo-app-app-secrets']),
		contract: project.contract,
		madeByDeploy: 'demo-todo-app-app-secrets',
	});
	assert.deepEqual(findings, []);

	// The team's own chart hands the backend a name its code does not read: said, with the fallback it runs on.
	const own = lintObjects(await renderObjects(path.join(root, 'Phase-IV/charts/todo-app')), {target: 'local', contract: project.contract});
	const contract = own.filter(finding => finding.rule === 'contract');
	assert.ok(
		contract.some(finding => finding.severity === 'error' && /reads JWT_SECRET_KEY .* development fallback/.test(finding.message)),
		JSON.stringify(contract),
	);
});
