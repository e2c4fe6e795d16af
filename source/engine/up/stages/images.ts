// Build, load and scan at once. Nothing is deployed that did not build, did not load, or fails the gate.
import path from 'node:path';
import {dockerignoreProposals, writeDockerignore} from '../../images/guard.js';
import {pullRegistryOf, type ImagesAction} from '../../images/actions.js';
import {imagesData, imagesReducer, initialImagesState, type ImagesState} from '../../images/reducer.js';
import {runImages} from '../../images/run.js';
import {chartImageValues} from '../../images/values.js';
import {recordSection} from '../../report/run.js';
import {createStore} from '../../store.js';
import {defineStage, next, stop, type StageBase} from '../stage.js';

declare module '../stage.js' {
	interface UpFacts {
		/** What was built, loaded and scanned. */
		readonly images: ImagesState;
		/** The chart values that name the images (never a secret). */
		readonly values: Readonly<Record<string, string>>;
	}
}

/** What does not belong in an image is left out either way; on a terminal, a .dockerignore keeps it out of every build. */
async function keepOut(base: StageBase): Promise<void> {
	const {request, flow} = base;
	if (request.questions && request.images.guards) {
		for (const proposal of await dockerignoreProposals(request.root, request.sources, request.images.guards)) {
			const where = path.relative(request.root, path.join(proposal.dir, '.dockerignore')) || '.dockerignore';
			if (await request.questions.confirm(`${where} would keep out what does not belong in an image: ${proposal.lines.join('  ')}. Add these lines?`)) {
				flow.dispatch({type: 'flow/note', text: `Wrote ${path.relative(request.root, await writeDockerignore(proposal.dir, proposal.lines))}.`});
			}
		}
	}

	for (const [side, guard] of Object.entries(request.images.guards ?? {})) {
		if (guard.items.length > 0) {
			flow.dispatch({
				type: 'flow/note',
				text: `Left out of the ${side} image (it does not belong there): ${guard.items.map(item => `${item.path}${item.secret ? ' (holds secrets)' : ''}`).join(', ')}.`,
			});
		}
	}
}

export const imagesStage = defineStage({
	id: 'images',
	rows: [
		{id: 'images', title: 'Build and load images'},
		{id: 'scan', title: 'Scan images (Trivy)', off: ['scan']},
	],
	reads: ['skip', 'destination'],
	adds: ['images', 'values'],
	async run({skip, destination}, base) {
		const {request} = base;
		const images = base.rows.begin('images', 'reading the sources');
		await keepOut(base);
		const scanOn = !skip.has('scan');
		const scan = scanOn ? base.rows.begin('scan', 'waiting for the builds') : undefined;
		const store = createStore<ImagesState, ImagesAction>(imagesReducer, initialImagesState());
		store.subscribe(state => {
			images.detail({kind: 'images', state});
			if (scan && state.images.some(entry => entry.scan.type === 'scanning')) {
				scan.detail({kind: 'scan', state});
			}
		});
		await runImages(base.system, store, {
			...request.images,
			root: request.root,
			sources: request.sources,
			steps: {build: true, load: true, scan: scanOn},
			target: destination,
			signal: request.signal,
		});
		const state = store.getState();
		const ok = state.error === undefined && state.images.length > 0 && state.images.every(entry => entry.build.type === 'done' && entry.load.type === 'done');
		await recordSection(request.root, 'images', {status: ok ? 'verified' : 'failed', data: imagesData(state)});
		if (!ok) {
			images.failed({kind: 'images', state});
			if (scan) {
				base.rows.set('scan', {type: 'skipped', reason: 'the images are not ready'});
			}

			const built = state.images.every(entry => entry.build.type !== 'failed');
			return stop('images', !built ? 'build' : state.error?.kind === 'input' ? 'fix-first' : 'environment', 'nothing is deployed that did not build');
		}

		images.done({kind: 'images', state});
		const values = chartImageValues(
			state.images.flatMap(entry => (entry.plan ? [entry.plan] : [])),
			pullRegistryOf(destination),
		);
		if (!scan) {
			return next({images: state, values});
		}

		const unscanned = state.images.some(entry => entry.scan.type !== 'done');
		const blocked = state.images.some(entry => entry.scan.type === 'done' && !entry.scan.summary.gate.passed);
		await recordSection(request.root, 'scan', {status: unscanned || blocked ? 'failed' : 'verified', data: imagesData(state)});
		if (unscanned || blocked) {
			scan.failed({kind: 'scan', state});
			return unscanned
				? stop('scan', 'environment', 'nothing is deployed that was not scanned')
				: stop('scan', 'scan-gate', 'nothing is deployed that fails the scan gate');
		}

		scan.done({kind: 'scan', state});
		return next({images: state, values});
	},
});
