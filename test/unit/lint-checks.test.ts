import assert from 'node:assert/strict';
import {test} from 'node:test';
import {lintObjects, looksDoubleEncoded, passwordInUrl, placeholderReason} from '../../source/engine/lint/checks.js';
import {planSentinels} from '../../source/engine/lint/sentinels.js';

test('placeholders the team shipped are recognised; real-looking values are not', () => {
	for (const value of ['changeme', 'CHANGE_ME', 'your-key-here', 'your-gemini-api-key-here', '<your-api-key>', 'AIzaSy...', '${GEMINI_API_KEY}', 'xxxx']) {
		assert.ok(placeholderReason(value), value);
	}

	for (const value of ['', 'Zq7t9XvL2mWp4RsK8nBd3FhJ6cYg1AeU', 'AIzaSyDexampleexampleexampleexample1234', 'postgresql://todo:Zq7t9X@db:5432/todo']) {
		assert.equal(placeholderReason(value), undefined, value);
	}
});

test('double base64 and passwords inside database URLs', () => {
	assert.ok(looksDoubleEncoded(Buffer.from('s3cret-password').toString('base64')));
	assert.ok(!looksDoubleEncoded('s3cret-password'));
	assert.ok(!looksDoubleEncoded('Zq7t9XvL2mWp4RsK8nBd3FhJ6cYg1AeU'), 'a random alphanumeric secret is not base64 of text');
	assert.equal(passwordInUrl('postgresql://todo:p%40ss%20w0rd@db:5432/todo'), 'p@ss w0rd');
	assert.equal(passwordInUrl('postgres://todo@db/todo'), undefined);
	assert.equal(passwordInUrl('https://user:pw@example.com'), undefined);
});

test('a Secret referenced by an existingSecret is a warning to create it first, not an error', () => {
	const pod = {
		apiVersion: 'v1',
		kind: 'Pod',
		metadata: {name: 'p'},
		spec: {
			containers: [{name: 'c', image: 'app:1.0', imagePullPolicy: 'IfNotPresent', env: [{name: 'X', valueFrom: {secretKeyRef: {name: 'mine', key: 'X'}}}]}],
		},
	};
	const asError = lintObjects([pod], {target: 'local'}).filter(finding => finding.rule === 'reference');
	assert.equal(asError[0]?.severity, 'error');
	const asWarning = lintObjects([pod], {target: 'local', external: new Set(['mine'])}).filter(finding => finding.rule === 'reference');
	assert.equal(asWarning[0]?.severity, 'warning');
	assert.match(asWarning[0].message, /must exist in the namespace before the deploy/);
});

test('markers go into probe numbers and secret values only, not into names of secrets', () => {
	const plan = planSentinels({
		secrets: {existingSecret: '', databasePassword: '', authSecret: 'x'},
		backend: {probes: {readiness: {path: '/ready', timeoutSeconds: 3}}, port: 8000},
	});
	assert.deepEqual(
		plan.probes.map(probe => probe.path),
		['backend.probes.readiness.timeoutSeconds'],
	);
	assert.deepEqual(
		plan.secrets.map(secret => secret.path),
		['secrets.databasePassword', 'secrets.authSecret'],
	);
	assert.deepEqual(plan.overrides, {
		secrets: {databasePassword: 'tdlint0q7Xv9mW2', authSecret: 'tdlint1q7Xv9mW2'},
		backend: {probes: {readiness: {timeoutSeconds: 7301}}},
	});
});

test('a DATABASE_URL the frontend gets but its code never reads: a warning that the password is there, not a password mismatch the frontend would never hit', () => {
	const deployment = (name: string, component: string) => ({
		apiVersion: 'apps/v1',
		kind: 'Deployment',
		metadata: {name},
		spec: {
			selector: {matchLabels: {app: name}},
			template: {
				metadata: {labels: {app: name, 'app.kubernetes.io/component': component}},
				spec: {containers: [{name: component, image: `${name}:1.0`, imagePullPolicy: 'IfNotPresent', envFrom: [{secretRef: {name: 'shared'}}]}]},
			},
		},
	});
	const database = {
		apiVersion: 'apps/v1',
		kind: 'StatefulSet',
		metadata: {name: 'db'},
		spec: {
			selector: {matchLabels: {app: 'db'}},
			template: {
				metadata: {labels: {app: 'db'}},
				spec: {
					containers: [{name: 'postgres', image: 'postgres:16', imagePullPolicy: 'IfNotPresent', env: [{name: 'POSTGRES_PASSWORD', value: 'one-password'}]}],
				},
			},
		},
	};
	const secret = {apiVersion: 'v1', kind: 'Secret', metadata: {name: 'shared'}, stringData: {DATABASE_URL: 'postgresql://todo:another-password@db:5432/todo'}};
	const side = (reads: string[]) => ({
		port: 3000,
		portFrom: undefined,
		health: [],
		unwanted: [],
		env: reads.map(name => ({name, kind: 'setting' as const, required: true, from: ['app/settings.ts']})),
	});
	const objects = [deployment('web', 'frontend'), deployment('api', 'backend'), database, secret];
	const contract = {backend: {...side(['DATABASE_URL']), port: 8000}, frontend: side(['NEXT_PUBLIC_API_BASE_URL'])};
	const findings = lintObjects(objects, {target: 'local', contract: contract as never}).filter(finding => /DATABASE_URL/.test(finding.message));
	assert.deepEqual(
		findings.map(finding => [finding.object, finding.severity]),
		[
			['Deployment/web', 'warning'],
			['Deployment/api', 'error'],
		],
	);
	assert.match(findings[0]?.message ?? '', /the frontend's code never reads it/);
	assert.match(findings[1]?.message ?? '', /differs from POSTGRES_PASSWORD of StatefulSet\/db/);
	// Without the app's code to go by, every pod's DATABASE_URL is checked as before.
	assert.equal(lintObjects(objects, {target: 'local'}).filter(finding => /differs from POSTGRES_PASSWORD/.test(finding.message)).length, 2);
});
