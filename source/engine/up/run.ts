// The whole flow on one screen, as a list of stages (stage.ts): doctor and plan, install, cluster,
// build + load + scan, lint, deploy, verify; the report is always written last. Each stage is the same
// engine its own command runs; this file only walks the list, skips what is switched off, stops at
// the first failure, and on Ctrl-C starts nothing after the running stage.
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
import type {LintReport} from '../lint/run.js';
import {machine} from '../machine.js';
import type {FailureClass} from '../outcome.js';
import {recordSection} from '../report/run.js';
import type {StatusAction} from '../status/actions.js';
import type {StatusState} from '../status/reducer.js';
import {createStore, type Store} from '../store.js';
import type {VerifyResult} from '../verify/run.js';
import {chartStage} from './chart.js';
import {chosenCluster, clusterStage, doctorStage, installStage} from './prepare.js';
import {deployStage, imagesStage, lintStage, verifyStage} from './ship.js';
import type {Skippable} from './skips.js';
import type {UpContext, UpRequest, UpStage} from './stage.js';

export {skippableSteps, type Skippable} from './skips.js';
export type {UpRequest} from './stage.js';

/** The wizard, in order. A new step is one entry here plus the engine function it runs. */
export const upStages: readonly UpStage[] = [doctorStage, installStage, clusterStage, chartStage, imagesStage, lintStage, deployStage, verifyStage];

const reportRow = {id: 'report', title: 'Report'};

/** The rows of the flow screen; rows switched off from the command line start as skipped. */
export function upSteps(
	skip: ReadonlySet<Skippable>,
	stages: readonly UpStage[] = upStages,
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
	readonly lint: LintReport | undefined;
	readonly doctor: DoctorState;
	/** What watch mode ships later changes with; set once the deploy got every pod ready. */
	readonly dev?: DevBase | undefined;
};

/** After a Ctrl-C: the Helm release's state in words, read by a system the cancel did not stop. */
async function describeRelease(request: UpRequest, target: ClusterTarget | undefined): Promise<string | undefined> {
	const fresh = machine(request.env, {toolsDir: request.installDir});
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

export async function runUp(
	system: System,
	flow: Store<FlowState, FlowAction>,
	status: Store<StatusState, StatusAction>,
	request: UpRequest,
	stages: readonly UpStage[] = upStages,
): Promise<UpResult> {
	const rows = flowSteps(flow);
	const context: UpContext = {
		system,
		flow,
		status,
		request,
		rows,
		doctor: createStore<DoctorState, DoctorAction>(doctorReducer, initialDoctorState()),
		recommendation: undefined,
		skip: new Set(request.skip),
		chosen: chosenCluster(request.kind, request.minikube),
		missing: [],
		target: undefined,
		destination: undefined,
		cluster: undefined,
		images: undefined,
		values: {},
		chart: request.chart,
		fit: undefined,
		lint: undefined,
		deploy: undefined,
		verify: undefined,
	};
	const open = (status: {readonly type: string}) => status.type === 'pending' || status.type === 'running';
	const skipRows = (from: number, reason: string, only: (type: string) => boolean = type => type === 'pending') => {
		for (const row of flow.getState().steps.slice(from)) {
			if (row.id !== reportRow.id && only(row.status.type)) {
				rows.set(row.id, {type: 'skipped', reason});
			}
		}
	};

	const indexOf = (id: string) => flow.getState().steps.findIndex(row => row.id === id);
	let stopped: {row: string; failure: FailureClass} | undefined;
	for (const stage of stages) {
		if (request.signal?.aborted) {
			break;
		}

		const reason = stage.skip?.(context);
		if (reason) {
			for (const row of stage.rows) {
				rows.set(row.id, {type: 'skipped', reason});
			}

			continue;
		}

		const end = await stage.run(context);
		// A cancel is said as one, whatever the stage made of its stopped children.
		if (request.signal?.aborted) {
			break;
		}

		if (end.type === 'declined') {
			skipRows(1, 'not started: the plan was declined');
			return {
				failedStep: undefined,
				failure: undefined,
				declined: true,
				report: undefined,
				deploy: undefined,
				verify: undefined,
				lint: undefined,
				doctor: context.doctor.getState(),
			};
		}

		if (stage.id === 'doctor') {
			// The plan may have switched steps off.
			for (const row of stages.flatMap(item => item.rows).filter(item => item.off?.some(name => context.skip.has(name)))) {
				rows.set(row.id, {type: 'skipped', reason: 'switched off in the plan'});
			}
		}

		if (end.type === 'stop') {
			stopped = {row: end.row, failure: end.failure};
			skipRows(indexOf(end.row) + 1, end.reason);
			break;
		}
	}

	// Ctrl-C: the running stage's children were stopped by the signal; nothing after it started.
	if (request.signal?.aborted) {
		const first = flow.getState().steps.find(row => row.id !== reportRow.id && open(row.status));
		stopped = {row: first?.id ?? stopped?.row ?? reportRow.id, failure: 'cancelled'};
		skipRows(0, 'cancelled (Ctrl-C)', type => type === 'pending' || type === 'running');
		const release = await describeRelease(request, context.target);
		if (release) {
			flow.dispatch({type: 'flow/note', text: release});
		}
	}

	const reportStep = rows.begin(reportRow.id, '.todo-deploy/report.md');
	let report: string | undefined;
	try {
		const doctor = context.doctor.getState();
		report = await recordSection(request.root, 'environment', {status: 'verified', data: {recommendation: doctor.recommendation, checks: doctor.checks}});
		reportStep.done(`${path.relative(request.root, report) || report}: every step as observed, and the ones that did not run`);
	} catch (error) {
		reportStep.failed(`The report could not be written: ${error instanceof Error ? error.message : String(error)}`, undefined);
	}

	return {
		failedStep: stopped?.row,
		failure: stopped?.failure,
		declined: false,
		report,
		deploy: context.deploy,
		verify: context.verify,
		lint: context.lint,
		doctor: context.doctor.getState(),
		dev:
			context.cluster && context.target && context.deploy?.ready
				? {
						system,
						cluster: context.cluster,
						target: context.target,
						destination: context.destination,
						chart: context.chart,
						fit: context.fit,
						values: context.values,
					}
				: undefined,
	};
}
