// The wizard as data: each stage names the rows it drives on the flow screen, when it does not run,
// and what it runs. The request and the context every stage reads and adds to.
import type {Cluster} from '../../adapters/cluster.js';
import type {ClusterChoice, ClusterTarget} from '../cluster-target.js';
import type {Env, System} from '../../adapters/system.js';
import type {DeployRequest, DeployResult} from '../deploy/run.js';
import type {FittedChart} from '../deploy/fit.js';
import type {AppContract} from '../project/read-contract.js';
import type {DoctorAction} from '../doctor/actions.js';
import type {DoctorState} from '../doctor/reducer.js';
import type {Recommendation, StartCommand, ToolName} from '../doctor/types.js';
import type {FlowAction} from '../flow/actions.js';
import type {Questions} from '../flow/questions.js';
import type {FlowState} from '../flow/reducer.js';
import type {flowSteps} from '../flow/steps.js';
import type {ImagesRequest} from '../images/run.js';
import type {LoadTarget} from '../images/actions.js';
import type {ImagesState} from '../images/reducer.js';
import type {LintReport} from '../lint/run.js';
import type {FailureClass} from '../outcome.js';
import type {ImageSource} from '../project/discover.js';
import type {StatusAction} from '../status/actions.js';
import type {StatusState} from '../status/reducer.js';
import type {Store} from '../store.js';
import type {VerifyRequest, VerifyResult} from '../verify/run.js';
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

/** What the stages learn on the way; each reads what the earlier ones found. */
export type UpContext = {
	readonly system: System;
	readonly flow: Store<FlowState, FlowAction>;
	readonly status: Store<StatusState, StatusAction>;
	readonly request: UpRequest;
	readonly rows: ReturnType<typeof flowSteps>;
	readonly doctor: Store<DoctorState, DoctorAction>;
	recommendation: Recommendation | undefined;
	skip: Set<Skippable>;
	chosen: ChosenCluster | undefined;
	/** Tools the path needs that are not installed. */
	missing: readonly ToolName[];
	/** The cluster and namespace, resolved once the cluster is there. */
	target: ClusterTarget | undefined;
	/** Where the images go. */
	destination: LoadTarget | undefined;
	cluster: Cluster | undefined;
	images: ImagesState | undefined;
	/** The chart values that name the images (never a secret). */
	values: Record<string, string>;
	/** The chart deployed: the request's, or todo-deploy's when the project's would fail. */
	chart: string;
	/** todo-deploy's chart fitted to the app; undefined for a project's own chart. */
	fit: FittedChart | undefined;
	lint: LintReport | undefined;
	deploy: DeployResult | undefined;
	verify: VerifyResult | undefined;
};

export type StageEnd =
	| {readonly type: 'next'}
	/** The flow stops at this row; later rows are skipped with the reason. */
	| {readonly type: 'stop'; readonly row: string; readonly failure: FailureClass; readonly reason: string}
	/** The person said no to the plan: nothing was changed. */
	| {readonly type: 'declined'};

export const next: StageEnd = {type: 'next'};
export const stop = (row: string, failure: FailureClass, reason: string): StageEnd => ({type: 'stop', row, failure, reason});

export type StageRow = {readonly id: string; readonly title: string; readonly off?: readonly Skippable[]};

export type UpStage = {
	readonly id: string;
	readonly rows: readonly StageRow[];
	/** Why the stage does not run now (its switches are off, or nothing is to do), else undefined. */
	readonly skip?: (context: UpContext) => string | undefined;
	readonly run: (context: UpContext) => Promise<StageEnd>;
};
