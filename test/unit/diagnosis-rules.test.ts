// Every diagnosis rule has a captured real output that fires it, and no earlier, less exact rule of
// its table fires on that output first. The tables go from the most exact cause to the least.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import {explainClusterStart, kindRules, minikubeRules} from '../../source/diagnose/cluster-start.js';
import {chatRules} from '../../source/diagnose/chat.js';
import {databaseRules} from '../../source/diagnose/database.js';
import {execRules} from '../../source/diagnose/exec.js';
import {podFacts, podRules} from '../../source/diagnose/pod.js';
import {pullRules} from '../../source/diagnose/pull.js';
import {startRules} from '../../source/diagnose/start.js';
import {firstRule, type Rule} from '../../source/diagnose/rules.js';
import {describedEvents, podFromFixture} from '../helpers/k8s-fixtures.js';
import {capturedFixture} from '../helpers/paths.js';

const now = new Date('2026-08-20T23:15:00Z');
const text = (file: string) => readFileSync(capturedFixture(file), 'utf8');
const lines = (file: string) => text(file).split('\n');

/** Which rule of the table a log fires: the newest line that any rule knows, as the diagnosis reads it. */
function lineRule<Said>(rules: ReadonlyArray<Rule<string, RegExpExecArray, Said>>, file: string): string | undefined {
	for (const line of lines(file).reverse()) {
		const matched = firstRule(rules, line);
		if (matched) {
			return matched.id;
		}
	}

	return undefined;
}

function assertTable(name: string, rules: ReadonlyArray<{readonly id: string; readonly fixture: string}>, fired: (fixture: string) => string | undefined) {
	assert.equal(new Set(rules.map(rule => rule.id)).size, rules.length, `${name}: each rule has its own id`);
	for (const rule of rules) {
		assert.ok(rule.fixture, `${name}/${rule.id} names the captured output that fires it`);
		assert.equal(fired(rule.fixture), rule.id, `${name}/${rule.id}: its fixture ${rule.fixture} fires it, and no earlier rule`);
	}
}

test('the pull rules: each kubelet message fires its own cause', () => {
	assertTable('pull', pullRules, fixture => {
		const file = fixture.split(' ')[0] ?? '';
		const message = /\.(json|yaml)$/.test(file) ? (podFromFixture(file, now).status?.containerStatuses?.[0]?.state?.waiting?.message ?? '') : text(file).trim();
		const image = /image "([^"]+)"/.exec(message)?.[1] ?? '';
		return firstRule(pullRules, {message, image, imageHost: image.split('/')[0] ?? '', preload: 'docker pull X'})?.id;
	});
});

test("the database rules: each captured log's cause", () => {
	assertTable('database', databaseRules, fixture => lineRule(databaseRules, fixture));
});

test("the exec rules: each captured log's cause", () => {
	assertTable('exec', execRules, fixture => lineRule(execRules, fixture));
});

test("the start rules: each captured log's cause, in todo-deploy's chart and in another", () => {
	for (const side of ['backend', undefined] as const) {
		const pod = {side, uid: 10001, readOnlyRoot: true, writable: ['/tmp']};
		assertTable('start', startRules, fixture => {
			for (const line of lines(fixture).reverse()) {
				const matched = firstRule(startRules, {line, pod});
				if (matched) {
					return matched.id;
				}
			}

			return undefined;
		});
	}
});

test("the cluster-start rules: minikube's Exiting lines and kind's ERROR lines", () => {
	assertTable('minikube', minikubeRules, fixture => explainClusterStart({program: 'minikube', args: ['start']}, text(fixture)).rule);
	assertTable('kind', kindRules, fixture => explainClusterStart({program: 'kind', args: ['create', 'cluster', '--name', 'todo']}, text(fixture)).rule);
});

test('the pod rules: each captured pod (with its events, where the rule reads them) fires its own cause', () => {
	assertTable('pod', podRules, fixture => {
		const [pod = '', , events] = fixture.split(' ');
		return firstRule(podRules, podFacts({pod: podFromFixture(pod, now), events: events ? describedEvents(events.replace(/^k8s\/events\//, '')) : [], now}))?.id;
	});
});

test('the walk fails when a general rule stands before a more exact one', () => {
	const general = pullRules.find(rule => rule.id === 'registry-unreachable');
	assert.ok(general);
	const misordered = [general, ...pullRules.filter(rule => rule !== general)];
	const fired = (fixture: string) => {
		const message = text(fixture).trim();
		const image = /image "([^"]+)"/.exec(message)?.[1] ?? '';
		return firstRule(misordered, {message, image, imageHost: image.split('/')[0] ?? '', preload: ''})?.id;
	};

	// The localhost registry's refusal is a refused connection too: behind the general rule, its own never fires.
	assert.throws(
		() =>
			assertTable(
				'misordered pull',
				misordered.filter(rule => rule.id === 'registry-unreachable' || rule.id === 'localhost-registry-is-the-node'),
				fired,
			),
		/localhost-registry-is-the-node: its fixture .* fires it, and no earlier rule/,
	);
});

test("the chat rules: what the chatbot's backend passes on from its provider", () => {
	assertTable('chat', chatRules, fixture => firstRule(chatRules, text(fixture))?.id);
});
