// Watch mode (up --watch, dev): after the first deploy, a save in the backend or frontend folder is
// built, sent and rolled out for that side alone, with the time from the save to the new pod Ready
// split into build, transfer and rollout. A failed build or rollout is shown and the next save tries
// again; the release that ran before a failed rollout is the one left running.
import path from 'node:path';
import {readDockerignore} from '../../adapters/build-context.js';
import type {Cluster} from '../../adapters/cluster.js';
import type {ClusterTarget} from '../cluster-target.js';
import type {System} from '../../adapters/system.js';
import {watchTree, type TreeWatch} from '../../adapters/watch-tree.js';
import {deploySteps, runDeploy} from '../deploy/run.js';
import type {FittedChart} from '../deploy/fit.js';
import type {FlowAction} from '../flow/actions.js';
import {flowReducer, initialFlowState, type FlowState} from '../flow/reducer.js';
import {pullRegistryOf, type ImageName, type ImagesAction, type LoadTarget} from '../images/actions.js';
import {imagesReducer, initialImagesState, type ImagesState} from '../images/reducer.js';
import {minikubeBuildEngine, type InPlaceChoice} from '../images/in-place.js';
import {runImages} from '../images/run.js';
import {chartImageValues} from '../images/values.js';
import {messageOf} from '../errors.js';
import {clusterImages} from '../status/cluster-images.js';
import {initialStatusState, statusReducer} from '../status/reducer.js';
import {createStore, type Store} from '../store.js';
import type {UpRequest} from '../up/stage.js';
import type {DevAction, DevCycle, DevState} from './state.js';

/** What the first deploy settled: where the images go, the chart and the values it was deployed with. */
export type DevBase = {
	readonly system: System;
	readonly cluster: Cluster;
	/** The cluster and namespace the first deploy resolved. */
	readonly target: ClusterTarget;
	/** Where the images go (the nodes of kind or minikube, a registry). */
	readonly destination: LoadTarget | undefined;
	readonly chart: string;
	readonly fit: FittedChart | undefined;
	readonly values: Readonly<Record<string, string>>;
	/** Where the images are built, asked once for the whole session (minikube's docker-env takes about a second). */
	readonly buildEngine?: Promise<InPlaceChoice> | undefined;
};

export type DevSession = {close(): void; readonly idle: () => Promise<void>};

const settleMs = 300;

/** One change, shipped: build (and send) the sides that changed, then deploy with their new tags. */
export async function shipChange(
	base: DevBase,
	request: UpRequest,
	change: {readonly sides: readonly ImageName[]; readonly savedAt: number; readonly files: readonly string[]},
	dispatch: (action: DevAction) => void,
	signal?: AbortSignal,
): Promise<DevBase> {
	let cycle: DevCycle = {...change, phase: 'building'};
	const say = (patch: Partial<DevCycle>) => {
		cycle = {...cycle, ...patch};
		dispatch({type: 'dev/cycle', cycle});
	};

	say({});
	const images = createStore<ImagesState, ImagesAction>(imagesReducer, initialImagesState());
	images.subscribe(state => {
		const sending = state.images.some(entry => entry.load.type === 'loading' || entry.load.type === 'checking');
		if (sending && cycle.phase === 'building') {
			say({phase: 'sending'});
		}
	});
	const sources = Object.fromEntries(change.sides.flatMap(side => (request.sources[side] ? [[side, request.sources[side]]] : [])));
	// No scan on each save: the image was scanned by up, and Trivy takes longer than the change. No labels
	// either: a save is not a commit, and the builder's extra metadata step costs a tenth of a second a save.
	await runImages(base.system, images, {
		...request.images,
		root: request.root,
		sources,
		steps: {build: true, load: base.destination !== undefined, scan: false},
		target: base.destination,
		buildEngine: base.buildEngine,
		labels: false,
		signal,
	});
	const state = images.getState();
	const failed = state.images.find(entry => entry.build.type === 'failed' || entry.load.type === 'failed');
	if (state.error || failed || state.images.length === 0) {
		say({phase: 'failed', failure: {kind: 'images', state}, totalMs: Date.now() - change.savedAt});
		return base;
	}

	const plans = state.images.flatMap(entry => (entry.plan ? [entry.plan] : []));
	const values = {...base.values, ...chartImageValues(plans, pullRegistryOf(base.destination))};
	const tags = Object.fromEntries(plans.map(plan => [plan.name, plan.tag]));
	const done = state.images.flatMap(entry => (entry.load.type === 'done' ? [entry.load] : []));
	say({
		buildMs: Math.max(0, ...state.images.map(entry => (entry.build.type === 'done' ? entry.build.durationMs : 0))),
		transferMs: Math.max(0, ...done.map(load => (load.outcome === 'built-in-place' ? 0 : load.durationMs))),
		bytes: done.reduce((sum, load) => sum + (load.bytes ?? 0), 0),
		loads: done,
		tags,
	});
	if (plans.every(plan => base.values[`${plan.name}.image.tag`] === plan.tag)) {
		// The save touched nothing the image sees (a .gitignore'd file, the same content again).
		say({phase: 'unchanged', totalMs: Date.now() - change.savedAt});
		return base;
	}

	say({phase: 'rolling-out'});
	const rolloutStarted = performance.now();
	const flow = createStore<FlowState, FlowAction>(flowReducer, initialFlowState());
	flow.dispatch({type: 'flow/planned', title: 'deploy', steps: deploySteps.map(step => ({id: step.id, title: step.title}))});
	const {sets, ...deploy} = request.deploy;
	try {
		const deployed = await runDeploy(base.system, base.cluster, flow, createStore(statusReducer, initialStatusState()), {
			...deploy,
			root: request.root,
			target: base.target,
			chart: base.chart,
			fit: base.fit,
			values: {...values, ...sets},
			prompt: undefined,
			// The release that ran before stays running when the new pods do not get ready.
			onFailure: 'rollback',
			signal,
			clusterImages: clusterImages(base.system, base.destination),
		});
		const rolloutMs = performance.now() - rolloutStarted;
		if (!deployed.ready) {
			const status = flow.getState().steps.find(item => item.status.type === 'failed')?.status;
			say({phase: 'failed', rolloutMs, totalMs: Date.now() - change.savedAt, failure: {kind: 'rollout', status, rolledBack: deployed.kept === 'rolled-back'}});
			return base;
		}

		say({phase: 'ready', rolloutMs, totalMs: Date.now() - change.savedAt});
		return {...base, values};
	} catch (error) {
		say({phase: 'failed', failure: {kind: 'error', message: messageOf(error)}, totalMs: Date.now() - change.savedAt});
		return base;
	}
}

/** Watches both sides' folders and ships each change; one change at a time, saves made meanwhile go next. */
export async function startDev(base: DevBase, request: UpRequest, store: Store<DevState, DevAction>, signal?: AbortSignal): Promise<DevSession> {
	const watches: TreeWatch[] = [];
	const pending = new Map<ImageName, {savedAt: number; files: string[]}>();
	let timer: NodeJS.Timeout | undefined;
	let running: Promise<void> | undefined;
	let current: DevBase = {
		...base,
		buildEngine:
			base.destination?.type === 'minikube'
				? minikubeBuildEngine(base.system, base.destination.profile).catch((error: unknown) => ({type: 'copy' as const, why: messageOf(error)}))
				: undefined,
	};
	let closed = false;

	const run = () => {
		timer = undefined;
		if (running || pending.size === 0 || closed) {
			return;
		}

		const sides = [...pending.keys()];
		const savedAt = Math.min(...[...pending.values()].map(item => item.savedAt));
		const files = [...pending.values()].flatMap(item => item.files).slice(0, 3);
		pending.clear();
		running = shipChange(current, request, {sides, savedAt, files}, action => store.dispatch(action), signal).then(
			next => {
				current = next;
				running = undefined;
				run();
			},
			(error: unknown) => {
				running = undefined;
				store.dispatch({type: 'dev/problem', message: messageOf(error)});
			},
		);
	};

	const folders: string[] = [];
	for (const side of ['backend', 'frontend'] as const) {
		const source = request.sources[side];
		if (!source) {
			continue;
		}

		const dir = path.resolve(request.root, source.context);

		const matcher = await readDockerignore(dir, source.dockerfile, request.images.guards?.[side]?.leaveOut ?? []);

		const watched = await watchTree(dir, {
			skip: relative => matcher.ignores(relative),
			onChange(relative) {
				const entry = pending.get(side) ?? {savedAt: Date.now(), files: []};
				if (!entry.files.includes(relative)) {
					entry.files.push(relative);
				}

				pending.set(side, entry);
				clearTimeout(timer);
				timer = setTimeout(run, settleMs);
			},
			onError: error => store.dispatch({type: 'dev/problem', message: `watching ${path.relative(request.root, dir) || '.'}: ${messageOf(error)}`}),
		});
		watches.push(watched);
		folders.push(path.relative(request.root, dir) || '.');
	}

	store.dispatch({type: 'dev/watching', folders});
	return {
		close() {
			closed = true;
			clearTimeout(timer);
			for (const watch of watches) {
				watch.close();
			}
		},
		idle: async () => {
			while (running) {
				await running;
			}
		},
	};
}
