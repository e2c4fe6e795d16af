// A flow is a list of steps shown on one screen: deploy's four, or the whole wizard's.
import type {DeployStepSummary} from '../deploy/step-summary.js';
import type {ImagesStepSummary} from '../images/step-summary.js';
import type {UpStepSummary} from '../up/step-summary.js';
import type {VerifyStepSummary} from '../verify/step-summary.js';

/** What a step saw, as data: render/step-words.ts words it once for the screen, the plain lines and JSON. */
export type StepSummary = UpStepSummary | ImagesStepSummary | DeployStepSummary | VerifyStepSummary;

/** A step's text: a line already in words (a tool's own message), or a report to word. */
export type StepText = string | StepSummary;

export type StepStatus =
	| {readonly type: 'pending'}
	| {readonly type: 'running'; readonly detail: StepText; readonly startedAt: number}
	| {readonly type: 'done'; readonly summary: StepText; readonly durationMs: number}
	/** A report's words bring their own fix and evidence; these are added to them. */
	| {readonly type: 'failed'; readonly message: StepText; readonly fix: string | undefined; readonly evidence: readonly string[]; readonly durationMs: number}
	| {readonly type: 'skipped'; readonly reason: string};

export type FlowQuestion =
	| {readonly kind: 'confirm' | 'secret'; readonly text: string}
	/** Steps that may be switched off; the answer lists the ones left on, comma-separated ("" for none). */
	| {readonly kind: 'plan'; readonly text: string; readonly options: ReadonlyArray<{readonly id: string; readonly label: string; readonly on: boolean}>};

export type FlowOutcome = {readonly type: 'succeeded' | 'failed' | 'cancelled'; readonly message: string; readonly durationMs: number};

export type FlowAction =
	| {
			readonly type: 'flow/planned';
			readonly title: string;
			readonly steps: ReadonlyArray<{readonly id: string; readonly title: string; readonly skip?: string | undefined}>;
	  }
	| {readonly type: 'flow/step'; readonly id: string; readonly status: StepStatus}
	| {readonly type: 'flow/note'; readonly text: string}
	/** A question for the person (yes/no, or a secret typed masked); shown until it is answered. */
	| {readonly type: 'flow/ask'; readonly question: FlowQuestion | undefined}
	| {readonly type: 'flow/finished'; readonly outcome: FlowOutcome};
