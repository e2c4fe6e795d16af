// The wizard's own rows in words.
import type {UpStepReport} from '../engine/up/step-report.js';
import {describeTarget} from './images-report.js';

/** 'kind cluster "todo" (context kind-todo), started with kind create cluster … Note: …'. */
export function clusterWords(report: UpStepReport): string {
	return [`${describeTarget(report.destination)} (context ${report.context})${report.started ? `, started with ${report.started}` : ''}`, ...report.notes].join(
		' Note: ',
	);
}
