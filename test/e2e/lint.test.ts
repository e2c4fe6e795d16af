import assert from 'node:assert/strict';
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import type {LintResult} from '../../source/engine/lint/run.js';
import {emptyHome, makeBin, runCli, tempDir} from '../helpers/cli.js';
import {realKubeTool} from '../helpers/kube-tools.js';
import {localFixtures, repoRoot} from '../helpers/paths.js';

const withHelm = () => {
	const bin = makeBin({});
	writeFileSync(path.join(bin, 'helm'), `#!/bin/sh\nexec '${realKubeTool('helm')}' "$@"\n`, {mode: 0o755});
	return {PATH: bin, HOME: emptyHome()};
};

async function lint(args: string[]) {
	const result = await runCli(['lint', ...args, '--json'], {env: withHelm(), timeoutMs: 60_000});
	return {code: result.code, report: JSON.parse(result.stdout) as LintResult, stderr: result.stderr};
}

const fixture = (name: string) => path.join(localFixtures, 'charts', name);

test('our chart and the correct fixture lint clean (exit 0)', async () => {
	for (const chart of [path.join(repoRoot, 'charts/todo-app'), fixture('correct')]) {
		const {code, report} = await lint([chart]);
		assert.deepEqual(report.findings, [], chart);
		assert.equal(report.renderError, undefined);
		assert.equal(report.sentinelSkipped, undefined);
		assert.equal(code, 0);
	}
});

test('each broken chart is caught, with what will happen at deploy time and the fix', async () => {
	const cases: Array<{chart: string; rule: string; severity: 'error' | 'warning'; object: string; message: RegExp}> = [
		{
			chart: 'configmap-name-mismatch',
			rule: 'reference',
			severity: 'error',
			object: 'Deployment/todo-backend',
			message: /^ConfigMap "todo-configmap" is not created by this release: the pod will stay in CreateContainerConfigError$/,
		},
		{
			chart: 'db-url-password-mismatch',
			rule: 'secrets',
			severity: 'error',
			object: 'Deployment/todo-backend',
			message: /password in DATABASE_URL differs from POSTGRES_PASSWORD of StatefulSet\/todo-db: the app fails with "password authentication failed"/,
		},
		{
			chart: 'probes-not-wired',
			rule: 'probes',
			severity: 'error',
			object: 'Deployment/todo-backend',
			message: /^no readinessProbe: Kubernetes sends traffic before the app can answer/,
		},
		{chart: 'probes-not-wired', rule: 'values', severity: 'warning', object: 'values probes.liveness.timeoutSeconds', message: /no template uses this value/},
		{
			chart: 'probe-timeout-ignored',
			rule: 'values',
			severity: 'warning',
			object: 'values probes.readiness.timeoutSeconds',
			message: /the probe keeps Kubernetes' default \(timeoutSeconds 1/,
		},
		{
			chart: 'b64enc-in-stringdata',
			rule: 'secrets',
			severity: 'error',
			object: 'Secret/todo-secrets',
			message: /^stringData DATABASE_PASSWORD holds base64 text/,
		},
		{
			chart: 'hardcoded-password',
			rule: 'secrets',
			severity: 'error',
			object: 'Secret/todo-secrets',
			message: /^DATABASE_PASSWORD is hard-coded in the template: values and --set cannot change it/,
		},
		{
			chart: 'placeholder-api-key',
			rule: 'secrets',
			severity: 'error',
			object: 'Secret/todo-secrets',
			message: /^GEMINI_API_KEY is a "your-…-here" placeholder/,
		},
		{
			chart: 'elided-api-key',
			rule: 'secrets',
			severity: 'error',
			object: 'Secret/todo-secrets',
			message: /^GEMINI_API_KEY is a Google API key cut short \(22 of its 39 characters\)/,
		},
		{
			chart: 'release-named-ref',
			rule: 'reference',
			severity: 'error',
			object: 'Deployment/todo-backend',
			message:
				/^ConfigMap "todo-config" is not created by this release when the release has another name than "todo": a name is written out in one template and made from \.Release\.Name in another$/,
		},
		{
			chart: 'latest-tag',
			rule: 'image',
			severity: 'error',
			object: 'Deployment/todo-backend',
			message: /^image todo-backend:latest has the tag latest: a rebuilt image never rolls out/,
		},
		{chart: 'pull-always-local', rule: 'image', severity: 'error', object: 'Deployment/todo-backend', message: /ErrImagePull/},
		{
			chart: 'service-selector-mismatch',
			rule: 'service',
			severity: 'error',
			object: 'Service/todo-backend',
			message: /matches no pod template: the Service has no endpoints/,
		},
		{
			chart: 'service-targetport-mismatch',
			rule: 'service',
			severity: 'error',
			object: 'Service/todo-backend',
			message: /^targetPort 8080 is not a port of Deployment\/todo-backend: connections are refused$/,
		},
		{
			chart: 'secret-in-configmap',
			rule: 'secrets',
			severity: 'error',
			object: 'ConfigMap/todo-config',
			message: /^AUTH_SECRET looks like a secret in a ConfigMap/,
		},
		{
			chart: 'runs-as-root',
			rule: 'restricted',
			severity: 'warning',
			object: 'Deployment/todo-backend',
			message: /it may run as root.*restricted" Pod Security Standard rejects the pod/,
		},
	];
	for (const item of cases) {
		const {code, report} = await lint([fixture(item.chart)]);
		const found = report.findings.find(finding => finding.rule === item.rule && finding.object === item.object && item.message.test(finding.message));
		assert.ok(found, `${item.chart}: no ${item.rule} finding matching ${String(item.message)} in\n${JSON.stringify(report.findings, null, 1)}`);
		assert.equal(found.severity, item.severity, item.chart);
		assert.ok(found.fix.length > 10, `${item.chart}: a fix is given`);
		assert.equal(code, report.findings.some(finding => finding.severity === 'error') ? 1 : 0, item.chart);
	}
});

test('a values file is applied (-f), and --target registry changes what the pull policy means', async () => {
	const values = path.join(tempDir('values'), 'broken.yaml');
	writeFileSync(values, 'image:\n  tag: latest\n  pullPolicy: Never\n');
	const local = await lint([fixture('correct'), '-f', values]);
	assert.equal(local.code, 1);
	assert.ok(local.report.findings.some(finding => /tag latest/.test(finding.message)));
	assert.ok(!local.report.findings.some(finding => /ErrImageNeverPull/.test(finding.message)));
	const registry = await lint([fixture('correct'), '-f', values, '--target', 'registry']);
	assert.ok(registry.report.findings.some(finding => /ErrImageNeverPull/.test(finding.message)));
});

test('a chart that does not render says why, exit 1; a folder that is no chart is a usage error, exit 2', async () => {
	const {code, report} = await lint([path.join(repoRoot, 'charts/todo-app'), '-f', writeValues('backend:\n  image:\n    tag: latest\n')]);
	assert.equal(code, 1);
	assert.match(report.renderError ?? '', /at '\/backend\/image\/tag': 'not' failed/);
	const notAChart = await runCli(['lint', tempDir('empty')], {env: withHelm()});
	assert.equal(notAChart.code, 2);
	assert.match(notAChart.stderr, /is not a Helm chart \(no Chart\.yaml\)/);
	const plain = await runCli(['lint', fixture('latest-tag')], {env: withHelm()});
	assert.match(plain.stdout, /^error {3}Deployment\/todo-backend \(container backend\) \[image\]\n {8}image todo-backend:latest has the tag latest/m);
	assert.match(plain.stdout, /5 objects rendered, 1 error, 0 warnings\.\n$/);
});

function writeValues(text: string): string {
	const file = path.join(tempDir('values'), 'values.yaml');
	writeFileSync(file, text);
	return file;
}
