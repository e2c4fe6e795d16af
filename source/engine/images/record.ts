// What build, load and scan observed, into the report.
import {recordSection} from '../report/run.js';
import type {ImageSteps} from './actions.js';
import {imagesData, type ImagesState} from './reducer.js';

export async function recordImages(root: string, state: ImagesState, steps: ImageSteps): Promise<string> {
	const data = imagesData(state);
	const built =
		state.images.length > 0 && state.images.every(entry => entry.build.type === 'done' && (entry.load.type === 'done' || entry.load.type === 'skipped'));
	let report = await recordSection(root, 'images', {status: built ? 'verified' : 'failed', data});
	if (steps.scan) {
		const scanned = state.images.length > 0 && state.images.every(entry => entry.scan.type === 'done' && entry.scan.summary.gate.passed);
		report = await recordSection(root, 'scan', {status: scanned ? 'verified' : 'failed', data});
	}

	return report;
}
