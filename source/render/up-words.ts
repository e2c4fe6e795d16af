// The wizard's own rows in words.
import type {UpStepSummary} from '../engine/up/step-summary.js';
import {describeTarget} from './images-words.js';

/** 'kind cluster "todo" (context kind-todo), started with kind create cluster … Note: …'. */
export function clusterWords(summary: UpStepSummary): string {
	return [
		`${describeTarget(summary.destination)} (context ${summary.context})${summary.started ? `, started with ${summary.started}` : ''}`,
		...summary.notes,
	].join(' Note: ');
}
