// deploy as the report and --json keep it, and how deploy asks on a terminal.
import type {Questions} from '../flow/questions.js';
import {podSummary} from '../status/snapshot.js';
import type {DeployRequest, DeployResult, FailureChoice} from './run.js';

/** The deploy as the report and --json keep it (never a secret value). */
export function deployRecord(where: {readonly release: string; readonly namespace: string; readonly context: string}, result: DeployResult) {
	return {
		...where,
		ready: result.ready,
		revision: result.revision ?? null,
		kept: result.kept ?? null,
		secrets: result.secrets,
		pods: podSummary(result.snapshot),
	};
}

/** How deploy asks, on a terminal where it may: the missing secrets (masked), and what a failed rollout leaves. */
export function deployAnswers(questions: Questions | undefined, onFailure: FailureChoice | undefined): Pick<DeployRequest, 'prompt' | 'onFailure'> {
	return {
		prompt: questions ? async spec => questions.askSecret(`${spec.label} (${spec.why}):`) : undefined,
		onFailure: onFailure ?? (questions ? async question => ((await questions.confirm(question)) ? 'rollback' : 'keep') : 'keep'),
	};
}
