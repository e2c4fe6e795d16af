// The wizard as data: each stage names the rows it drives on the flow screen, the facts it reads, and
// returns the facts it adds (a typed result, never a shared bag to write into). A stage's own file
// declares its facts in UpFacts, so a new stage is its file and one entry in the list (run.ts).
import type {Env, System} from '../../adapters/system.js';
import type {Addresses} from '../browser/addresses.js';
import type {ClusterChoice} from '../cluster-target.js';
import type {DeployRequest} from '../deploy/run.js';
import type {FittedChart} from '../deploy/fit.js';
import type {AppContract} from '../project/read-contract.js';
import type {DoctorAction} from '../doctor/actions.js';
import type {DoctorState} from '../doctor/reducer.js';
import type {StartCommand} from '../doctor/types.js';
import type {FlowAction} from '../flow/actions.js';
import type {Questions} from '../flow/questions.js';
import type {FlowState} from '../flow/reducer.js';
import type {flowSteps} from '../flow/steps.js';
import type {ImagesRequest} from '../images/run.js';
import type {FailureClass} from '../outcome.js';
import type {ImageSource} from '../project/discover.js';
import type {StatusAction} from '../status/actions.js';
import type {StatusState} from '../status/reducer.js';
import type {Store} from '../store.js';
import type {VerifyRequest} from '../verify/run.js';
import type {Skippable} from './skips.js';

export type UpRequest = {
	readonly root: string;
	readonly env: Env;
	readonly sources: Readonly<Partial<Record<'backend' | 'frontend', ImageSource>>>;
	readonly chart: string;
	/** What the app reads: todo-deploy's chart is fitted to it, a project's chart linted against it. */
	readonly contract: AppContract;
	/** The contract fitted once for the run (fitChart): the builds' arguments, and todo-deploy's chart's values. */
	readonly fitted: FittedChart;
	/** The local ports the browser reaches each side at (chosen before the build): a kind cluster the run creates maps them. */
	readonly addresses: Addresses;
	readonly skip: ReadonlySet<Skippable>;
	readonly installDir: string;
	readonly mirror: string | undefined;
	readonly kind: string | undefined;
	readonly minikube: string | undefined;
	/** Push to this registry (a remote cluster pulls from it) instead of loading into kind or minikube. */
	readonly registry: string | undefined;
	/** kind: true sets up a local registry when the cluster has none; false never uses one (kind load); undefined uses one that is there. */
	readonly localRegistry?: boolean | undefined;
	readonly images: Omit<ImagesRequest, 'root' | 'sources' | 'steps' | 'target' | 'signal'>;
	/** The cluster-scoped flags and the namespace: resolved once the cluster is there. */
	readonly clusterChoice: ClusterChoice;
	readonly deploy: Omit<DeployRequest, 'root' | 'chart' | 'values' | 'signal' | 'fit' | 'target'> & {readonly sets: Readonly<Record<string, string>>};
	readonly verify: Omit<VerifyRequest, 'namespace' | 'release' | 'cluster' | 'load' | 'signal'>;
	/** Shows the plan and asks before going on; undefined (no terminal, or --yes) goes ahead as planned. */
	readonly questions: Questions | undefined;
	readonly signal?: AbortSignal | undefined;
};

/** The cluster --kind or --minikube named: its context, and how to create it when it is not there. */
export type ChosenCluster = {readonly type: 'kind' | 'minikube'; readonly context: string; readonly create: StartCommand};

/**
 * What the stages learn on the way, a field per fact. Each stage's file adds the facts it returns
 * (declare module './stage.js' { interface UpFacts { … } }); the run starts with the steps switched off.
 */
export interface UpFacts {
	/** The steps switched off: from the command line, then the plan. */
	readonly skip: ReadonlySet<Skippable>;
}

export type FactName = keyof UpFacts;

/** What every stage is given besides the facts: where to run, the stores it drives, the request. */
export type StageBase = {
	readonly system: System;
	readonly flow: Store<FlowState, FlowAction>;
	readonly status: Store<StatusState, StatusAction>;
	readonly request: UpRequest;
	readonly rows: ReturnType<typeof flowSteps>;
	readonly doctor: Store<DoctorState, DoctorAction>;
};

export type StageEnd<Adds> =
	| {readonly type: 'next'; readonly adds: Adds}
	/** The flow stops at this row; later rows are skipped with the reason. */
	| {readonly type: 'stop'; readonly row: string; readonly failure: FailureClass; readonly reason: string; readonly found?: Partial<UpFacts> | undefined}
	/** The person said no to the plan: nothing was changed. */
	| {readonly type: 'declined'};

export const next = <Adds>(adds: Adds): StageEnd<Adds> => ({type: 'next', adds});
/** found: what the stage learnt before it stopped (a verify that failed still measured), for the end's words. */
export const stop = (row: string, failure: FailureClass, reason: string, found?: Partial<UpFacts>): StageEnd<never> => ({
	type: 'stop',
	row,
	failure,
	reason,
	found,
});

export type StageRow = {readonly id: string; readonly title: string; readonly off?: readonly Skippable[]};

/** A stage: it runs once every fact it reads is there, and returns the facts it adds. */
export type UpStage<Reads extends FactName, Adds extends FactName> = {
	readonly id: string;
	readonly rows: readonly StageRow[];
	readonly reads: readonly Reads[];
	/** The facts it returns when it goes on (checked by the runner). */
	readonly adds: readonly Adds[];
	/** Why the stage does not run now (its switches are off, or nothing is to do), else undefined. */
	readonly skip?: (facts: Pick<UpFacts, Reads>, base: StageBase) => string | undefined;
	readonly run: (facts: Pick<UpFacts, Reads>, base: StageBase) => Promise<StageEnd<Pick<UpFacts, Adds>>>;
};

/** A stage in the list: what the runner sees of any stage. */
export type AnyStage = {
	readonly id: string;
	readonly rows: readonly StageRow[];
	readonly reads: readonly FactName[];
	readonly adds: readonly FactName[];
	readonly skip?: (facts: UpFacts, base: StageBase) => string | undefined;
	readonly run: (facts: UpFacts, base: StageBase) => Promise<StageEnd<Partial<UpFacts>>>;
};

/** Keeps a stage's types where it is written, and lets it stand in the list beside the others. */
export function defineStage<Reads extends FactName, Adds extends FactName>(stage: UpStage<Reads, Adds>): AnyStage {
	return stage as unknown as AnyStage;
}
