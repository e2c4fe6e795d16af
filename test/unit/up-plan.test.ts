// The wizard as data: its rows, what --skip and the plan switch off, where it stops on a failure, and a
// Ctrl-C at each stage: nothing after it starts, the rows say so, the report is still written.
import assert from 'node:assert/strict';
import {fitChart} from '../../source/engine/deploy/fit.js';
import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import type {FlowAction} from '../../source/engine/flow/actions.js';
import {flowQuestions} from '../../source/engine/flow/questions.js';
import {flowReducer, initialFlowState, type FlowState} from '../../source/engine/flow/reducer.js';
import {initialStatusState, statusReducer} from '../../source/engine/status/reducer.js';
import {createStore} from '../../source/engine/store.js';
import {runUp, upStages, upSteps} from '../../source/engine/up/run.js';
import {
	defineStage,
	next,
	stop,
	type AnyStage,
	type FactName,
	type StageBase,
	type StageEnd,
	type UpFacts,
	type UpRequest,
} from '../../source/engine/up/stage.js';
import {tempDir} from '../helpers/cli.js';
import {createFakeSystem} from '../helpers/fake-system.js';

test("the rows are the stages' rows in order, then the report; --skip starts rows as switched off", () => {
	const rows = upSteps(new Set(['scan', 'load-check']));
	assert.deepEqual(
		rows.map(row => row.id),
		[
			'doctor',
			'install',
			'cluster',
			'chart',
			'images',
			'scan',
			'lint',
			'secrets',
			'release',
			'helm',
			'rollout',
			'reach',
			'api',
			'health',
			'smoke',
			'frontend',
			'chatbot',
			'load',
			'report',
		],
	);
	assert.deepEqual(
		rows.filter(row => row.skip).map(row => [row.id, row.skip]),
		[
			['scan', 'switched off (--skip scan)'],
			['load', 'switched off (--skip load-check)'],
		],
	);
	assert.deepEqual(
		upSteps(new Set(['verify']))
			.filter(row => row.skip)
			.map(row => row.id),
		['reach', 'api', 'health', 'smoke', 'frontend', 'chatbot', 'load'],
	);
	assert.equal(upStages.length, 8);
});

/** A stand-in for each fact a stage adds, for stages whose work the test decides. */
const placeholder: Partial<Record<FactName, unknown>> = {
	recommendation: {target: 'existing-context'},
	missing: ['helm'],
	skip: new Set(),
	chart: '/nowhere',
	fit: undefined,
	values: {},
};

type Work = (id: string, facts: UpFacts, base: StageBase) => Promise<StageEnd<Partial<UpFacts>> | 'next'>;

/** Stages with the real rows and the real reads and adds, whose work the test decides: each records that it ran. */
function fakeStages(work: Work): {stages: AnyStage[]; ran: string[]} {
	const ran: string[] = [];
	const stages = upStages.map((stage): AnyStage => ({
		...stage,
		async run(facts, base) {
			ran.push(stage.id);
			for (const row of stage.rows) {
				base.rows.begin(row.id, 'working');
			}

			const end = await work(stage.id, facts, base);
			if (end !== 'next') {
				return end;
			}

			for (const row of stage.rows) {
				base.rows.set(row.id, {type: 'done', summary: 'done', durationMs: 1});
			}

			const adds = Object.fromEntries(stage.adds.map(name => [name, name in placeholder ? placeholder[name] : {name}]));
			return next(stage.id === 'doctor' ? {...adds, skip: facts.skip} : adds) as StageEnd<Partial<UpFacts>>;
		},
	}));
	return {stages, ran};
}

function upWorld(options: {skip?: ReadonlyArray<'install' | 'scan' | 'lint' | 'verify' | 'load-check'>; asking?: boolean} = {}) {
	const root = tempDir('up-plan');
	const flow = createStore<FlowState, FlowAction>(flowReducer, initialFlowState());
	const status = createStore(statusReducer, initialStatusState());
	const controller = new AbortController();
	const questions = flowQuestions(flow);
	const skip = new Set(options.skip ?? []);
	const request = {
		root,
		env: {PATH: '/nonexistent'},
		sources: {},
		chart: '/nowhere',
		skip,
		installDir: path.join(root, 'bin'),
		mirror: undefined,
		kind: undefined,
		minikube: undefined,
		registry: undefined,
		contract: {credentials: []},
		fitted: fitChart({contract: {credentials: []}, release: 'todo'}),
		addresses: {frontend: 3000},
		images: {} as UpRequest['images'],
		clusterChoice: {namespace: 'todo'},
		deploy: {release: 'todo'} as UpRequest['deploy'],
		verify: {users: 10, durationMs: 1000, targetP95Ms: 500} as UpRequest['verify'],
		questions: options.asking ? questions : undefined,
		signal: controller.signal,
	} satisfies UpRequest;
	return {root, flow, status, controller, questions, request, system: createFakeSystem(), skip};
}

const rowStates = (flow: {getState(): FlowState}) =>
	Object.fromEntries(flow.getState().steps.map(step => [step.id, step.status.type === 'skipped' ? `skipped: ${step.status.reason}` : step.status.type]));

test('every stage runs in order; the report is written last', async () => {
	const world = upWorld();
	world.flow.dispatch({type: 'flow/planned', title: 'up', steps: upSteps(world.skip)});
	const {stages, ran} = fakeStages(async () => 'next');
	const result = await runUp(world.system, world.flow, world.status, world.request, stages);
	assert.deepEqual(ran, ['doctor', 'install', 'cluster', 'chart', 'images', 'lint', 'deploy', 'verify']);
	assert.equal(result.failure, undefined);
	assert.ok(
		Object.values(rowStates(world.flow)).every(state => state === 'done'),
		JSON.stringify(rowStates(world.flow)),
	);
	assert.ok(existsSync(path.join(world.root, '.todo-deploy', 'report.md')));
});

test('a stage that fails stops the flow with its class; later rows say why they did not run', async () => {
	const world = upWorld();
	world.flow.dispatch({type: 'flow/planned', title: 'up', steps: upSteps(world.skip)});
	const {stages, ran} = fakeStages(async (id, _facts, base) => {
		if (id === 'images') {
			base.rows.set('images', {type: 'failed', message: 'build failed', fix: undefined, evidence: [], durationMs: 1});
			return stop('images', 'build', 'nothing is deployed that did not build');
		}

		return 'next';
	});
	const result = await runUp(world.system, world.flow, world.status, world.request, stages);
	assert.deepEqual(ran, ['doctor', 'install', 'cluster', 'chart', 'images']);
	assert.deepEqual([result.failedStep, result.failure], ['images', 'build']);
	const states = rowStates(world.flow);
	assert.equal(states['images'], 'failed');
	assert.equal(states['lint'], 'skipped: nothing is deployed that did not build');
	assert.equal(states['rollout'], 'skipped: nothing is deployed that did not build');
	assert.equal(states['report'], 'done');
});

test('switched-off stages do not run; the plan may switch more off; a declined plan changes nothing', async () => {
	const world = upWorld({skip: ['lint'], asking: true});
	world.flow.dispatch({type: 'flow/planned', title: 'up', steps: upSteps(world.skip)});
	const {stages, ran} = fakeStages(async () => 'next');
	// The plan is shown after the doctor: switch scan and verify off too.
	const unsubscribe = world.flow.subscribe(state => {
		if (state.question?.kind === 'plan') {
			world.questions.onAnswer(['install', 'load-check']);
		}
	});
	// The fake doctor stage asks as the real one does.
	stages[0] = {
		...stages[0]!,
		async run(_facts, base) {
			const answer = (await base.request.questions?.ask({kind: 'plan', text: 'Go?', options: []})) as string[];
			const skip = new Set((['install', 'scan', 'lint', 'verify', 'load-check'] as const).filter(name => !answer.includes(name)));
			return next({recommendation: placeholder['recommendation'], missing: ['helm'], skip}) as StageEnd<Partial<UpFacts>>;
		},
	};
	await runUp(world.system, world.flow, world.status, world.request, stages);
	unsubscribe();
	assert.deepEqual(ran, ['install', 'cluster', 'chart', 'images', 'deploy']);
	const states = rowStates(world.flow);
	assert.equal(states['lint'], 'skipped: switched off (--skip lint)');
	assert.equal(states['health'], 'skipped: switched off in the plan');

	const declined = upWorld();
	declined.flow.dispatch({type: 'flow/planned', title: 'up', steps: upSteps(declined.skip)});
	const fakes = fakeStages(async id => (id === 'doctor' ? {type: 'declined'} : 'next'));
	const result = await runUp(declined.system, declined.flow, declined.status, declined.request, fakes.stages);
	assert.equal(result.declined, true);
	assert.deepEqual(fakes.ran, ['doctor']);
	assert.equal(rowStates(declined.flow)['cluster'], 'skipped: not started: the plan was declined');
	assert.ok(!existsSync(path.join(declined.root, '.todo-deploy', 'report.md')), 'nothing was changed, not even the report');
});

for (const cancelAt of upStages.map(stage => stage.id)) {
	test(`Ctrl-C during the ${cancelAt} stage: nothing after it starts, the rows say cancelled, the report is written, the class is cancelled`, async () => {
		const world = upWorld();
		world.flow.dispatch({type: 'flow/planned', title: 'up', steps: upSteps(world.skip)});
		const {stages, ran} = fakeStages(async id => {
			if (id === cancelAt) {
				// As a real stage does: its children are stopped by the signal, and it returns.
				world.controller.abort();
				return stop(id === 'deploy' ? 'rollout' : (upStages.find(stage => stage.id === id)?.rows[0]?.id ?? id), 'cancelled', 'cancelled');
			}

			return 'next';
		});
		const result = await runUp(world.system, world.flow, world.status, world.request, stages);
		const order = upStages.map(stage => stage.id);
		assert.deepEqual(ran, order.slice(0, order.indexOf(cancelAt) + 1));
		assert.equal(result.failure, 'cancelled');
		const states = rowStates(world.flow);
		const later = upStages.slice(order.indexOf(cancelAt) + 1).flatMap(stage => stage.rows.map(row => row.id));
		for (const row of later) {
			assert.equal(states[row], 'skipped: cancelled (Ctrl-C)', row);
		}

		assert.equal(states['report'], 'done');
		assert.match(readFileSync(path.join(world.root, '.todo-deploy', 'report.md'), 'utf8'), /not run/);
		// What helm left is said: here there is no helm, so no release.
		assert.ok(
			world.flow.getState().notes.some(note => /^Release todo: not installed in todo\./.test(note)),
			world.flow.getState().notes.join('\n'),
		);
	});
}

test('a new stage is its own file and one entry in the list: its row shows, it gets the facts it reads, and its stop ends the flow there', async () => {
	// As a new file would declare it: a stage between lint and deploy that reads what lint found.
	const seen: unknown[] = [];
	const gate = defineStage({
		id: 'policy',
		rows: [{id: 'policy', title: 'Company policy'}],
		reads: ['lint', 'values'],
		adds: [],
		async run({lint, values}, base) {
			seen.push(lint, values);
			base.rows.begin('policy', 'checking');
			base.rows.set('policy', {type: 'failed', message: 'the policy says no', fix: 'ask', evidence: [], durationMs: 1});
			return stop('policy', 'fix-first', 'the policy stopped it');
		},
	});
	const {stages, ran} = fakeStages(async () => 'next');
	const withPolicy = [...stages.slice(0, 6), gate, ...stages.slice(6)];
	const world = upWorld();
	const rows = upSteps(world.skip, withPolicy).map(row => row.id);
	assert.deepEqual(rows.slice(rows.indexOf('lint'), rows.indexOf('lint') + 3), ['lint', 'policy', 'secrets']);
	world.flow.dispatch({type: 'flow/planned', title: 'up', steps: upSteps(world.skip, withPolicy)});
	const result = await runUp(world.system, world.flow, world.status, world.request, withPolicy);
	assert.deepEqual(ran, ['doctor', 'install', 'cluster', 'chart', 'images', 'lint']);
	assert.deepEqual(seen, [{name: 'lint'}, {}], 'the facts lint and images added');
	assert.deepEqual([result.failedStep, result.failure], ['policy', 'fix-first']);
	assert.equal(rowStates(world.flow)['secrets'], 'skipped: the policy stopped it');
});

test('a stage that reads a fact no earlier stage adds is a mistake the runner names', async () => {
	const early = defineStage({id: 'early', rows: [{id: 'early', title: 'Too early'}], reads: ['deploy'], adds: [], run: async () => next({})});
	const world = upWorld();
	world.flow.dispatch({type: 'flow/planned', title: 'up', steps: upSteps(world.skip, [early])});
	await assert.rejects(runUp(world.system, world.flow, world.status, world.request, [early]), /the stage "early" reads deploy, which no stage before it adds/);
});
