// The whole flow on one screen, as a list of stages (stage.ts), each in a file of its own (stages/):
// doctor and plan, install, cluster, chart, build + load + scan, lint, deploy, verify; the report is
// always written last. This file only walks the list: it runs a stage once the facts it reads are
// there, skips what is switched off, stops at the first failure, and on Ctrl-C starts nothing after
// the running stage.
import path from 'node:path';
import {releaseHistory, releaseState, isPending} from '../../adapters/helm.js';
import type {System} from '../../adapters/system.js';
import type {ClusterTarget} from '../cluster-target.js';
import type {DeployResult} from '../deploy/run.js';
import type {DevBase} from '../dev/run.js';
import type {DoctorAction} from '../doctor/actions.js';
import {doctorReducer, initialDoctorState, type DoctorState} from '../doctor/reducer.js';
import type {FlowAction} from '../flow/actions.js';
import type {FlowState} from '../flow/reducer.js';
import {flowSteps} from '../flow/steps.js';
import type {LintResult} from '../lint/run.js';
import {localSystem} from '../system.js';
import type {FailureClass} from '../outcome.js';
import {recordSection} from '../report/run.js';
import type {StatusAction} from '../status/actions.js';
import type {StatusState} from '../status/reducer.js';
import {createStore, type Store} from '../store.js';
import type {VerifyResult, verifySteps} from '../verify/run.js';
import type {Skippable} from './skips.js';
import {addressReach, type AddressReach} from '../browser/kind-mapping.js';
import type {AnyStage, StageBase, UpFacts, UpRequest} from './stage.js';
import {chartStage} from './stages/chart.js';
import {clusterStage} from './stages/cluster.js';
import {deployStage} from './stages/deploy.js';
import {doctorStage} from './stages/doctor.js';
import {imagesStage} from './stages/images.js';
import {installStage} from './stages/install.js';
import {lintStage} from './stages/lint.js';
import {verifyStage} from './stages/verify.js';

export {skippableSteps, type Skippable} from './skips.js';
export type {UpRequest} from './stage.js';

/** The wizard, in order. A new step is its file in stages/ and one entry here. */
export const upStages: readonly AnyStage[] = [doctorStage, installStage, clusterStage, chartStage, imagesStage, lintStage, deployStage, verifyStage];

const reportRow = {id: 'report', title: 'Report'};

/** The rows of the flow screen; rows switched off from the command line start as skipped. */
export function upSteps(
	skip: ReadonlySet<Skippable>,
	stages: readonly AnyStage[] = upStages,
): Array<{readonly id: string; readonly title: string; readonly skip?: string | undefined}> {
	return [
		...stages.flatMap(stage =>
			stage.rows.map(row => {
				const off = row.off?.find(name => skip.has(name));
				return {id: row.id, title: row.title, skip: off ? `switched off (--skip ${off})` : undefined};
			}),
		),
		reportRow,
	];
}

export type UpResult = {
	/** The row it stopped at (failed, or running when cancelled); undefined when it went through or was declined. */
	readonly failedStep: string | undefined;
	readonly failure: FailureClass | undefined;
	readonly declined: boolean;
	readonly report: string | undefined;
	readonly deploy: DeployResult | undefined;
	readonly verify: VerifyResult | undefined;
	readonly lint: LintResult | undefined;
	readonly doctor: DoctorState;
	/** What watch mode ships later changes with; set once the deploy got every pod ready. */
	readonly dev?: DevBase | undefined;
	/** What keeps the browser's address answering once the run ends; set once something is deployed. */
	readonly reach?: AddressReach | undefined;
};

/** Only the load target was missed: the app works for its user (the end gives its address, --open holds it), while the run still fails. */
export function onlyLoadMissed(result: Pick<UpResult, 'failedStep' | 'deploy' | 'failure'>): boolean {
	return result.failedStep === ('load' satisfies (typeof verifySteps)[number]['id']) && result.deploy !== undefined && result.failure === 'verify';
}

/** After a Ctrl-C: the Helm release's state in words, read by a system the cancel did not stop. */
async function describeRelease(request: UpRequest, target: ClusterTarget | undefined): Promise<string | undefined> {
	const fresh = localSystem(request.env, {toolsDir: request.installDir});
	const {release} = request.deploy;
	const {namespace} = request.clusterChoice;
	const helm = await fresh.which('helm');
	const history = helm && target ? await releaseHistory(fresh, helm, release, target).catch(() => undefined) : undefined;
	const state = history ? releaseState(history) : undefined;
	if (!state) {
		return `Release ${release}: not installed in ${namespace}.`;
	}

	return isPending(state.status)
		? `Release ${release}: revision ${state.revision} is ${state.status} (helm was stopped mid-way). todo-deploy deploy --recover rolls it back and deploys again.`
		: `Release ${release}: revision ${state.revision} is ${state.status}; the pods may still be starting (todo-deploy status -n ${namespace}).`;
}

/** A stage's facts as it declared them, or the names no earlier stage added (a mistake in the list, said plainly). */
function factsFor(stage: AnyStage, facts: Partial<UpFacts>): UpFacts {
	const missing = stage.reads.filter(name => !(name in facts));
	if (missing.length > 0) {
		throw new Error(`the stage "${stage.id}" reads ${missing.join(', ')}, which no stage before it adds`);
	}

	return facts as UpFacts;
}

/** What went on as far as a stop: the facts, the row and class it stopped at, or a declined plan. */
type Walked = {readonly facts: Partial<UpFacts>; readonly stopped: {row: string; failure: FailureClass} | undefined; readonly declined: boolean};

async function walkStages(base: StageBase, stages: readonly AnyStage[]): Promise<Walked> {
	const {request, flow, rows} = base;
	let facts: Partial<UpFacts> = {skip: request.skip};
	const skipRows = (from: number, reason: string) => {
		for (const row of flow.getState().steps.slice(from)) {
			if (row.id !== reportRow.id && row.status.type === 'pending') {
				rows.set(row.id, {type: 'skipped', reason});
			}
		}
	};

	for (const stage of stages) {
		if (request.signal?.aborted) {
			break;
		}

		const reason = stage.skip?.(factsFor(stage, facts), base);
		if (reason) {
			for (const row of stage.rows) {
				rows.set(row.id, {type: 'skipped', reason});
			}

			continue;
		}

		const end = await stage.run(factsFor(stage, facts), base);
		// A cancel is said as one, whatever the stage made of its stopped children.
		if (request.signal?.aborted) {
			break;
		}

		if (end.type === 'declined') {
			skipRows(1, 'not started: the plan was declined');
			return {facts, stopped: undefined, declined: true};
		}

		if (end.type === 'stop') {
			skipRows(flow.getState().steps.findIndex(row => row.id === end.row) + 1, end.reason);
			return {facts: {...facts, ...end.found}, stopped: {row: end.row, failure: end.failure}, declined: false};
		}

		const before = facts.skip;
		facts = {...facts, ...end.adds};
		// Steps the plan switched off (any stage that changes what is switched off, the doctor's plan first).
		if (facts.skip !== before) {
			for (const row of stages.flatMap(item => item.rows).filter(item => item.off?.some(name => facts.skip?.has(name)))) {
				if (flow.getState().steps.find(step => step.id === row.id)?.status.type === 'pending') {
					rows.set(row.id, {type: 'skipped', reason: 'switched off in the plan'});
				}
			}
		}
	}

	return {facts, stopped: undefined, declined: false};
}

export async function runUp(
	system: System,
	flow: Store<FlowState, FlowAction>,
	status: Store<StatusState, StatusAction>,
	request: UpRequest,
	stages: readonly AnyStage[] = upStages,
): Promise<UpResult> {
	const rows = flowSteps(flow);
	const doctor = createStore<DoctorState, DoctorAction>(doctorReducer, initialDoctorState());
	const base: StageBase = {system, flow, status, request, rows, doctor};
	const walked = await walkStages(base, stages);
	const {facts} = walked;
	if (walked.declined) {
		return {
			failedStep: undefined,
			failure: undefined,
			declined: true,
			report: undefined,
			deploy: undefined,
			verify: undefined,
			lint: undefined,
			doctor: doctor.getState(),
		};
	}

	let {stopped} = walked;
	// Ctrl-C: the running stage's children were stopped by the signal; nothing after it started.
	if (request.signal?.aborted) {
		const open = (type: string) => type === 'pending' || type === 'running';
		const first = flow.getState().steps.find(row => row.id !== reportRow.id && open(row.status.type));
		stopped = {row: first?.id ?? stopped?.row ?? reportRow.id, failure: 'cancelled'};
		for (const row of flow.getState().steps) {
			if (row.id !== reportRow.id && open(row.status.type)) {
				rows.set(row.id, {type: 'skipped', reason: 'cancelled (Ctrl-C)'});
			}
		}

		const release = await describeRelease(request, facts.target);
		if (release) {
			flow.dispatch({type: 'flow/note', text: release});
		}
	}

	const report = await writeReport(base);
	const {cluster, target, deploy, chart, values} = facts;
	const reach = deploy && target ? await addressReach(request.env, target.local, request.addresses) : undefined;
	return {
		failedStep: stopped?.row,
		failure: stopped?.failure,
		declined: false,
		report,
		deploy,
		verify: facts.verify,
		lint: facts.lint,
		doctor: doctor.getState(),
		dev:
			cluster && target && deploy?.ready && chart !== undefined && values
				? {system, cluster, target, destination: facts.destination, chart, fit: facts.fit, values}
				: undefined,
		reach,
	};
}

/** The report, always: every step as observed, and the ones that did not run. */
async function writeReport(base: StageBase): Promise<string | undefined> {
	const reportStep = base.rows.begin(reportRow.id, '.todo-deploy/report.md');
	try {
		const doctor = base.doctor.getState();
		const report = await recordSection(base.request.root, 'environment', {
			status: 'verified',
			data: {recommendation: doctor.recommendation, checks: doctor.checks},
		});
		reportStep.done(`${path.relative(base.request.root, report) || report}: every step as observed, and the ones that did not run`);
		return report;
	} catch (error) {
		reportStep.failed(`The report could not be written: ${error instanceof Error ? error.message : String(error)}`, undefined);
		return undefined;
	}
}
