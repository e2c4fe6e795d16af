// A flow step's words, said once for the screen, the plain lines and JSON: a summary (what the step
// saw, as data) is worded by its domain's renderer; a line already in words is shown as it is.
import type {StepSummary, StepStatus, StepText} from '../engine/flow/actions.js';
import type {FlowStep} from '../engine/flow/reducer.js';
import {deployWords} from './deploy-words.js';
import {imagesFailure, imagesProgress, imagesSummary, scanFailure, scanProgress, scanSummary, type Failure} from './images-words.js';
import {clusterWords} from './up-words.js';
import {verifyWords} from './verify-words.js';

function reportWords(summary: StepSummary, phase: 'running' | 'done' | 'failed'): Failure {
	const plain = (text: string): Failure => ({text, fix: undefined, evidence: []});
	switch (summary.kind) {
		case 'images': {
			return phase === 'failed' ? imagesFailure(summary.state) : plain(phase === 'done' ? imagesSummary(summary.state) : imagesProgress(summary.state));
		}

		case 'scan': {
			return phase === 'failed' ? scanFailure(summary.state) : plain(phase === 'done' ? scanSummary(summary.state) : scanProgress(summary.state));
		}

		case 'cluster': {
			return plain(clusterWords(summary));
		}

		default: {
			return summary.kind.startsWith('deploy/')
				? deployWords(summary as Extract<StepSummary, {kind: `deploy/${string}`}>)
				: verifyWords(summary as Extract<StepSummary, {kind: `verify/${string}`}>, phase === 'failed');
		}
	}
}

const textOf = (text: StepText, phase: 'running' | 'done' | 'failed'): Failure =>
	typeof text === 'string' ? {text, fix: undefined, evidence: []} : reportWords(text, phase);

/** The words of a step's status: its text, and for a failure the fix and the evidence under it. */
export function statusWords(status: StepStatus): Failure {
	switch (status.type) {
		case 'pending': {
			return {text: '', fix: undefined, evidence: []};
		}

		case 'running': {
			return textOf(status.detail, 'running');
		}

		case 'done': {
			return textOf(status.summary, 'done');
		}

		case 'failed': {
			const words = textOf(status.message, 'failed');
			return {text: words.text, fix: status.fix ?? words.fix, evidence: [...words.evidence, ...status.evidence]};
		}

		case 'skipped': {
			return {text: status.reason, fix: undefined, evidence: []};
		}
	}
}

/** The steps as --json prints them: each status with its fields in words (summary, message, fix, evidence, reason, detail). */
export function stepsJson(steps: readonly FlowStep[]) {
	return steps.map(step => {
		const {status} = step;
		const words = statusWords(status);
		switch (status.type) {
			case 'done': {
				return {id: step.id, title: step.title, status: {type: status.type, summary: words.text, durationMs: Math.round(status.durationMs)}};
			}

			case 'failed': {
				return {
					id: step.id,
					title: step.title,
					status: {type: status.type, message: words.text, fix: words.fix, evidence: words.evidence, durationMs: Math.round(status.durationMs)},
				};
			}

			case 'running': {
				return {id: step.id, title: step.title, status: {type: status.type, detail: words.text, startedAt: status.startedAt}};
			}

			default: {
				return {id: step.id, title: step.title, status};
			}
		}
	});
}
