// Pure: the images' state from build, load and scan's actions; the run's outcome and its data for --json
// and the report.
import type {Outcome} from '../outcome.js';
import type {BuildStatus, ImageName, ImagePlan, ImagesAction, ImageSteps, LoadStatus, LoadTarget, ScanStatus} from './actions.js';
import {hasEnded, replaceWhere} from '../reduce.js';

export type ImageEntry = {
	readonly name: ImageName;
	readonly plan: ImagePlan | undefined;
	readonly build: BuildStatus;
	readonly load: LoadStatus;
	readonly scan: ScanStatus;
};

export type ImagesState = {
	readonly steps: ImageSteps;
	readonly target: LoadTarget | undefined;
	readonly images: readonly ImageEntry[];
	/** A failure before any image could start (no Docker, no project). */
	/** The run could not start: bad input (no Dockerfile), or Docker or the cluster is not there. */
	readonly error: {readonly message: string; readonly fix: string | undefined; readonly kind: 'input' | 'environment'} | undefined;
	readonly phase: {readonly type: 'idle'} | {readonly type: 'running'} | {readonly type: 'done'; readonly durationMs: number; readonly cancelled: boolean};
};

export function initialImagesState(): ImagesState {
	return {steps: {build: true, load: false, scan: false}, target: undefined, images: [], error: undefined, phase: {type: 'idle'}};
}

function update(state: ImagesState, name: ImageName, change: (entry: ImageEntry) => ImageEntry): ImagesState {
	const images = replaceWhere(state.images, entry => entry.name === name, change);
	return images === state.images ? state : {...state, images};
}

export function imagesReducer(state: ImagesState, action: ImagesAction): ImagesState {
	switch (action.type) {
		case 'images/started': {
			return {
				steps: action.steps,
				target: action.target,
				images: action.names.map(name => ({
					name,
					plan: undefined,
					build: {type: 'pending'},
					load: action.steps.load ? {type: 'pending'} : {type: 'skipped', reason: 'not asked for'},
					scan: action.steps.scan ? {type: 'pending'} : {type: 'skipped', reason: 'not asked for'},
				})),
				error: undefined,
				phase: {type: 'running'},
			};
		}

		case 'images/planned': {
			return update(state, action.plan.name, entry => ({...entry, plan: action.plan}));
		}

		// A step that ended stays ended: a late progress message must not revive it.
		case 'images/build': {
			return update(state, action.name, entry => (hasEnded(entry.build) ? entry : {...entry, build: action.status}));
		}

		case 'images/load': {
			return update(state, action.name, entry => (hasEnded(entry.load) ? entry : {...entry, load: action.status}));
		}

		case 'images/scan': {
			return update(state, action.name, entry => (hasEnded(entry.scan) ? entry : {...entry, scan: action.status}));
		}

		case 'images/failed': {
			return {...state, error: {message: action.message, fix: action.fix, kind: action.kind}};
		}

		case 'images/finished': {
			return {...state, phase: {type: 'done', durationMs: action.durationMs, cancelled: action.cancelled}};
		}
	}
}

/** Every asked-for step of every image ended well, and no scan gate failed. */
export function imagesSucceeded(state: ImagesState): boolean {
	return (
		state.error === undefined &&
		state.images.length > 0 &&
		state.images.every(
			entry =>
				entry.build.type === 'done' &&
				(entry.load.type === 'done' || entry.load.type === 'skipped') &&
				(entry.scan.type === 'skipped' || (entry.scan.type === 'done' && entry.scan.summary.gate.passed)),
		)
	);
}

/** How build, load and scan ended, as an outcome class. */
export function imagesOutcome(state: ImagesState, cancelled: boolean): Outcome {
	if (cancelled) {
		return {failure: 'cancelled'};
	}

	if (imagesSucceeded(state)) {
		return {failure: undefined};
	}

	if (state.error) {
		return {failure: state.error.kind === 'input' ? 'fix-first' : 'environment'};
	}

	if (state.images.some(entry => entry.build.type === 'failed')) {
		return {failure: 'build'};
	}

	// A cluster, a registry, Trivy or its database that is not there or does not answer.
	if (state.images.some(entry => entry.load.type === 'failed' || entry.scan.type === 'failed')) {
		return {failure: 'environment'};
	}

	return {failure: state.images.some(entry => entry.scan.type === 'done' && !entry.scan.summary.gate.passed) ? 'scan-gate' : 'fix-first'};
}

/** The run as data: for --json and for the report. */
export function imagesData(state: ImagesState) {
	return {
		target: state.target ?? null,
		error: state.error ?? null,
		durationMs: state.phase.type === 'done' ? Math.round(state.phase.durationMs) : null,
		images: state.images.map(entry => ({
			name: entry.name,
			ref: entry.plan?.ref ?? null,
			commit: entry.plan?.commit ?? null,
			build: entry.build.type === 'building' ? {type: 'building'} : entry.build,
			load: entry.load,
			scan: entry.scan,
		})),
	};
}
