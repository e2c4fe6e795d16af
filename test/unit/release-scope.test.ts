// A release's own pods, from its manifest: each workload's selector (matchLabels and
// matchExpressions), whatever labels the chart uses; the labels they all share go to the server.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {gzipSync} from 'node:zlib';
import {decodeHelmRelease} from '../../source/adapters/cluster.js';
import {instanceScope, podScopeOf, scopeOfManifest, selects} from '../../source/engine/deploy/release-scope.js';

// As `helm get manifest` prints a project's own chart: pods labelled app: backend, no instance label.
const manifest = `---
# Source: todo-app/templates/secret.yaml
apiVersion: v1
kind: Secret
metadata:
  name: shop-secrets
---
# Source: todo-app/templates/service.yaml
apiVersion: v1
kind: Service
metadata:
  name: shop-backend
spec:
  selector: {app: backend, release: shop}
---
# Source: todo-app/templates/backend.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop-backend
spec:
  selector:
    matchLabels: {app: backend, release: shop}
---
# Source: todo-app/templates/db.yaml
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: shop-db
spec:
  selector:
    matchLabels: {release: shop}
    matchExpressions:
      - {key: app, operator: In, values: [db, postgres]}
      - {key: canary, operator: DoesNotExist}
`;

const pod = (labels: Record<string, string>) => ({metadata: {name: 'p', labels}});

test("the manifest's workloads, Services and everything it made", () => {
	const scope = scopeOfManifest('shop', manifest);
	assert.deepEqual(
		scope.workloads.map(workload => `${workload.kind}/${workload.name}`),
		['Deployment/shop-backend', 'StatefulSet/shop-db'],
	);
	assert.deepEqual(scope.services, ['shop-backend']);
	assert.deepEqual(scope.made, ['Secret/shop-secrets', 'Service/shop-backend', 'Deployment/shop-backend', 'StatefulSet/shop-db']);
});

test("a pod is the release's when one workload's selector selects it, matchExpressions included", () => {
	const {owns, selector} = podScopeOf(scopeOfManifest('shop', manifest));
	assert.equal(selector, 'release=shop');
	assert.ok(owns);
	assert.equal(owns('pods', pod({app: 'backend', release: 'shop', 'pod-template-hash': 'abc'})), true);
	assert.equal(owns('pods', pod({app: 'postgres', release: 'shop'})), true);
	assert.equal(owns('pods', pod({app: 'postgres', release: 'shop', canary: 'yes'})), false);
	assert.equal(owns('pods', pod({app: 'backend', release: 'billing'})), false);
	assert.equal(owns('pods', pod({release: 'shop'})), false);
	assert.equal(owns('deployments', {metadata: {name: 'shop-backend'}}), true);
	assert.equal(owns('deployments', {metadata: {name: 'shop-db'}}), false);
	assert.equal(owns('statefulsets', {metadata: {name: 'shop-db'}}), true);
});

test('no label every workload shares: nothing goes to the server, each pod is tested here', () => {
	const scope = scopeOfManifest(
		'r',
		'kind: Deployment\nmetadata: {name: a}\nspec: {selector: {matchLabels: {app: a}}}\n---\nkind: Deployment\nmetadata: {name: b}\nspec: {selector: {matchLabels: {app: b}}}\n',
	);
	assert.equal(podScopeOf(scope).selector, undefined);
	assert.equal(instanceScope('r').selector, 'app.kubernetes.io/instance=r');
});

test('an empty selector selects nothing; an unknown operator selects nothing', () => {
	assert.equal(selects({}, {app: 'x'}), false);
	assert.equal(selects({matchExpressions: [{key: 'app', operator: 'Gt', values: ['1']}]}, {app: '2'}), false);
	assert.equal(selects({matchExpressions: [{key: 'tier', operator: 'NotIn', values: ['web']}]}, {app: '2'}), true);
	assert.equal(selects({matchExpressions: [{key: 'tier', operator: 'Exists'}]}, {tier: 'web'}), true);
});

test("Helm's stored release: base64 of gzipped JSON, base64 again in the Secret; the manifest is read back", () => {
	const stored = Buffer.from(gzipSync(Buffer.from(JSON.stringify({name: 'shop', version: 3, manifest})))).toString('base64');
	assert.equal(decodeHelmRelease(Buffer.from(stored).toString('base64')).manifest, manifest);
});

test('a manifest past the limit is refused, not parsed', () => {
	assert.throws(() => scopeOfManifest('r', 'x'.repeat(9 * 1024 * 1024)), /over 8 MiB/);
});
