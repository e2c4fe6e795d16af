// A flow step's words, said once for the screen, the plain lines and JSON: a report (what the step
// saw, as data) is worded by its domain's renderer; a line already in words is shown as it is.
import type {StepReport, StepStatus, StepText} from '../engine/flow/actions.js';
import type {FlowStep} from '../engine/flow/reducer.js';
import {deployWords} from './deploy-report.js';
import {imagesFailure, imagesProgress, imagesSummary, scanFailure, scanProgress, scanSummary, type Failure} from './images-report.js';
import {clusterWords} from './up-report.js';
import {verifyWords} from './verify-report.js';

function reportWords(report: StepReport, phase: 'running' | 'done' | 'failed'): Failure {
	const plain = (text: string): Failure => ({text, fix: undefined, evidence: []});
	switch (report.kind) {
		case 'images': {
			return phase === 'failed' ? imagesFailure(report.state) : plain(phase === 'done' ? imagesSummary(report.state) : imagesProgress(report.state));
		}

		case 'scan': {
			return phase === 'failed' ? scanFailure(report.state) : plain(phase === 'done' ? scanSummary(report.state) : scanProgress(report.state));
		}

		case 'cluster': {
			return plain(clusterWords(report));
		}

		default: {
			return report.kind.startsWith('deploy/')
				? deployWords(report as Extract<StepReport, {kind: `deploy/${string}`}>)
				: verifyWords(report as Extract<StepReport, {kind: `verify/${string}`}>, phase === 'failed');
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
