// What deploy asks the API before it writes: each verb on the Secrets, the pods and every kind the
// chart makes (its real plural and API group; cluster-wide kinds asked cluster-wide), and the words
// and Role rules for what is refused.
import assert from 'node:assert/strict';
import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import type {AccessAsk} from '../../source/adapters/cluster.js';
import {accessNeeded, checkAccess, deniedAccess, ownChartKinds, ownChartNeeds, resourceOfKind, rulesAllow} from '../../source/engine/deploy/access.js';
import {repoRoot} from '../helpers/paths.js';

const manifest = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: reader}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
`;

test('each kind by its plural and group; a cluster-wide kind asked without a namespace; each asked once', () => {
	assert.deepEqual(resourceOfKind('networking.k8s.io/v1', 'Ingress'), {group: 'networking.k8s.io', resource: 'ingresses'});
	assert.deepEqual(resourceOfKind('v1', 'ServiceAccount'), {group: '', resource: 'serviceaccounts'});
	const asks = accessNeeded(manifest, 'dev', {createNamespace: true});
	const key = (ask: AccessAsk) => `${ask.verb} ${ask.group}/${ask.resource}${ask.namespace ? ` in ${ask.namespace}` : ''}`;
	const keys = asks.map(ask => key(ask));
	assert.ok(keys.includes('create /secrets in dev'));
	assert.ok(keys.includes('watch /pods in dev'));
	assert.ok(keys.includes('create /namespaces'));
	assert.ok(keys.includes('patch networking.k8s.io/ingresses in dev'));
	assert.ok(keys.includes('create rbac.authorization.k8s.io/clusterroles'));
	assert.equal(keys.filter(entry => entry === 'create apps/deployments in dev').length, 1);
	assert.equal(new Set(keys).size, keys.length);
	assert.ok(!accessNeeded(manifest, 'dev', {createNamespace: false}).some(ask => ask.resource === 'namespaces'));
});

test('what is refused, a resource each with its verbs, and one rule per API group; cluster-wide refusals are said', async () => {
	const asks = accessNeeded(manifest, 'dev', {createNamespace: false});
	const allowed = (ask: AccessAsk) => ask.group === '' || (ask.resource === 'deployments' && ask.verb === 'get');
	const check = await checkAccess({mayI: async given => given.map(ask => allowed(ask))}, asks);
	assert.ok(check);
	assert.deepEqual(check.missing, [
		'ingresses.networking.k8s.io (get, create, patch, delete)',
		'clusterroles.rbac.authorization.k8s.io (get, create, patch, delete)',
		'deployments.apps (create, patch, delete)',
	]);
	assert.deepEqual(check.rules, [
		'rule: {apiGroups: ["networking.k8s.io"], resources: ["ingresses"], verbs: ["get", "create", "patch", "delete"]}',
		'rule: {apiGroups: ["rbac.authorization.k8s.io"], resources: ["clusterroles"], verbs: ["get", "create", "patch", "delete"]}',
		'rule: {apiGroups: ["apps"], resources: ["deployments"], verbs: ["create", "patch", "delete"]}',
	]);
	assert.equal(check.clusterWide, true);
	// A server with no authorization API to ask: nothing is claimed.
	assert.equal(await checkAccess({mayI: async given => given.map(() => undefined)}, asks), undefined);
});

test("the doctor's list of what todo-deploy's chart makes is every kind its templates write", () => {
	const templates = path.join(repoRoot, 'charts/todo-app/templates');
	const written = new Set<string>();
	for (const file of readdirSync(templates, {recursive: true, encoding: 'utf8'}).filter(name => name.endsWith('.yaml'))) {
		const text = readFileSync(path.join(templates, file), 'utf8');
		for (const match of text.matchAll(/^apiVersion: (\S+)\nkind: (\w+)$/gm)) {
			written.add(`${match[1] ?? ''} ${match[2] ?? ''}`);
		}
	}

	assert.ok(written.size >= 8, [...written].join(', '));
	assert.deepEqual([...written].sort(), ownChartKinds.map(({apiVersion, kind}) => `${apiVersion} ${kind}`).sort());
});

test('rules as a SelfSubjectRulesReview gives them: wildcards grant, a rule limited to names does not', () => {
	const rules = [
		{verbs: ['*'], apiGroups: ['apps'], resources: ['*']},
		{verbs: ['get', 'list'], apiGroups: [''], resources: ['pods']},
		{verbs: ['get', 'update'], apiGroups: [''], resources: ['secrets'], resourceNames: ['todo-app-secrets']},
	];
	assert.ok(rulesAllow(rules, {verb: 'create', group: 'apps', resource: 'statefulsets'}));
	assert.ok(rulesAllow(rules, {verb: 'list', group: '', resource: 'pods'}));
	assert.ok(!rulesAllow(rules, {verb: 'watch', group: '', resource: 'pods'}));
	assert.ok(!rulesAllow(rules, {verb: 'get', group: '', resource: 'secrets'}));
	assert.ok(!rulesAllow(rules, {verb: 'create', group: 'batch', resource: 'jobs'}));
	const needs = ownChartNeeds('todo');
	assert.ok(needs.every(ask => ask.namespace === 'todo'));
	assert.deepEqual(
		deniedAccess(
			needs,
			needs.map(ask => rulesAllow([{verbs: ['*'], apiGroups: ['*'], resources: ['*']}], ask)),
		).missing,
		[],
	);
});
