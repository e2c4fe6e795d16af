// The whole flow on one screen: doctor, install what is missing, a cluster, build + load + scan,
// lint, deploy, verify, report. Each part is the same engine its own command runs; this file only
// orders them, maps their progress onto the flow's rows, and stops before deploying anything that
// did not build or did not pass the scan gate.
import {mkdir, writeFile} from 'node:fs/promises';
import path from 'node:path';
import type {Cluster} from '../../adapters/cluster.js';
import type {System} from '../../adapters/system.js';
import type {DoctorAction} from '../doctor/actions.js';
import {doctorReducer, initialDoctorState, type DoctorState} from '../doctor/reducer.js';
import {runDoctor} from '../doctor/run.js';
import {chartDigestOf, deploySteps, runDeploy, secretNameOf, type DeployRequest, type DeployResult} from '../deploy/run.js';
import type {FlowAction} from '../flow/actions.js';
import {flowSteps} from '../flow/steps.js';
import type {FlowState} from '../flow/reducer.js';
import {describeTarget, type ImagesAction, type LoadTarget} from '../images/actions.js';
import {imagesReducer, initialImagesState, type ImagesState} from '../images/reducer.js';
import {runImages, type ImagesRequest} from '../images/run.js';
import {resolveLoadTarget} from '../images/target.js';
import {clusterImages} from '../status/cluster-images.js';
import {loadKubeconfig} from '../../adapters/kube.js';
import {lintFailed, runLint, type LintReport} from '../lint/run.js';
import type {ImageSource} from '../project/discover.js';
import type {StatusAction} from '../status/actions.js';
import type {StatusState} from '../status/reducer.js';
import {createStore, type Store} from '../store.js';
import type {InstallAction} from '../tools/actions.js';
import {runInstall} from '../tools/install.js';
import {initialInstallState, installReducer, installSucceeded, type InstallState} from '../tools/reducer.js';
import {clusterFromCommand, readDeployMemory, readReportState, recordCreatedCluster, writeDeployMemory} from '../report/run.js';
import {runVerify, verifySteps, type VerifyRequest, type VerifyResult} from '../verify/run.js';
import type {LoadSummary} from '../verify/stats.js';

import {skippableSteps, type Skippable} from './skips.js';

export {skippableSteps, type Skippable} from './skips.js';

export function upSteps(skip: ReadonlySet<Skippable>) {
	const off = (name: Skippable) => (skip.has(name) ? `switched off (--skip ${name})` : undefined);
	return [
		{id: 'doctor', title: 'Check this machine'},
		{id: 'install', title: 'Install missing tools', skip: off('install')},
		{id: 'cluster', title: 'Local cluster'},
		{id: 'images', title: 'Build and load images'},
		{id: 'scan', title: 'Scan images (Trivy)', skip: off('scan')},
		{id: 'lint', title: 'Lint the chart', skip: off('lint')},
		...deploySteps,
		...verifySteps.map(step => ({...step, skip: off('verify') ?? (step.id === 'load' ? off('load-check') : undefined)})),
		{id: 'report', title: 'Report'},
	];
}

export type UpRequest = {
	readonly root: string;
	readonly sources: Readonly<Partial<Record<'backend' | 'frontend', ImageSource>>>;
	readonly chart: string;
	readonly skip: ReadonlySet<Skippable>;
	readonly installDir: string;
	readonly mirror: string | undefined;
	readonly kind: string | undefined;
	readonly minikube: string | undefined;
	readonly images: Omit<ImagesRequest, 'root' | 'sources' | 'steps' | 'target' | 'signal'>;
	readonly deploy: Omit<DeployRequest, 'chart' | 'values' | 'signal'> & {readonly sets: Readonly<Record<string, string>>};
	readonly verify: Omit<VerifyRequest, 'namespace' | 'release' | 'context' | 'minikubeProfile' | 'load' | 'signal'>;
	readonly connect: (context: string | undefined) => Promise<Cluster>;
	/** After a Ctrl-C: the Helm release's state in words, read without the cancelled signal. */
	readonly describeRelease?: (() => Promise<string | undefined>) | undefined;
	/** Shows the plan after the checks; undefined (no terminal, or --yes) goes ahead as planned. */
	readonly confirmPlan: ((plan: {readonly summary: string; readonly skippable: ReadonlyArray<{readonly id: Skippable; readonly label: string; readonly on: boolean}>}) => Promise<{readonly go: boolean; readonly off: ReadonlySet<Skippable>}>) | undefined;
	readonly record: (name: 'environment' | 'images' | 'scan' | 'lint' | 'deploy' | 'verify', status: 'verified' | 'failed', data: unknown) => Promise<string>;
	readonly signal?: AbortSignal | undefined;
};

export type UpResult = {
	readonly failedStep: string | undefined;
	readonly report: string | undefined;
	readonly deploy: DeployResult | undefined;
	readonly verify: VerifyResult | undefined;
	readonly lint: LintReport | undefined;
	readonly doctor: DoctorState;
};

const imageLine = (state: ImagesState): string => state.images.map(entry => {
	const name = entry.name;
	switch (entry.build.type) {
		case 'building': {
			return entry.build.progress.steps > 0 ? `${name} step ${entry.build.progress.step}/${entry.build.progress.steps}` : `${name} sending context`;
		}

		case 'done': {
			return entry.load.type === 'loading' || entry.load.type === 'checking' ? `${name} loading` : `${name} ${entry.build.outcome === 'up-to-date' ? 'up to date' : 'built'}${entry.load.type === 'done' ? `, ${entry.load.outcome}` : ''}`;
		}

		case 'failed': {
			return `${name} failed`;
		}

		default: {
			return `${name} preparing`;
		}
	}
}).join('; ');

export async function runUp(system: System, flow: Store<FlowState, FlowAction>, status: Store<StatusState, StatusAction>, request: UpRequest): Promise<UpResult> {
	const {set: dispatch, begin} = flowSteps(flow);

	const skipAfter = (id: string, reason: string) => {
		const steps = flow.getState().steps;
		const index = steps.findIndex(step => step.id === id);
		for (const later of steps.slice(index + 1)) {
			if (later.id !== 'report') {
				dispatch(later.id, {type: 'skipped', reason});
			}
		}
	};

	const result: {failedStep: string | undefined; report: string | undefined; deploy: DeployResult | undefined; verify: VerifyResult | undefined; lint: LintReport | undefined} = {failedStep: undefined, report: undefined, deploy: undefined, verify: undefined, lint: undefined};
	const doctorStore = createStore<DoctorState, DoctorAction>(doctorReducer, initialDoctorState());
	const finish = async (): Promise<UpResult> => {
		const reportStep = begin('report', '.todo-deploy/report.md');
		try {
			result.report = await request.record('environment', 'verified', {recommendation: doctorStore.getState().recommendation, checks: doctorStore.getState().checks});
			reportStep.done(`${path.relative(request.root, result.report) || result.report}: every step as observed, and the ones that did not run`);
		} catch (error) {
			reportStep.failed(`The report could not be written: ${error instanceof Error ? error.message : String(error)}`, undefined);
		}

		return {...result, doctor: doctorStore.getState()};
	};

	const stop = async (id: string, reason: string) => {
		result.failedStep = id;
		skipAfter(id, reason);
		return finish();
	};

	// Ctrl-C: the running step's children were stopped by the signal; nothing after it starts.
	const cancelledBefore = async (id: string): Promise<UpResult | undefined> => {
		if (!request.signal?.aborted) {
			return undefined;
		}

		const steps = flow.getState().steps;
		const index = steps.findIndex(step => step.id === id);
		for (const step of steps.slice(Math.max(0, index))) {
			if (step.id !== 'report' && (step.status.type === 'pending' || step.status.type === 'running')) {
				dispatch(step.id, {type: 'skipped', reason: 'cancelled (Ctrl-C)'});
			}
		}

		result.failedStep = id;
		const release = await request.describeRelease?.();
		if (release) {
			flow.dispatch({type: 'flow/note', text: release});
		}

		return finish();
	};

	// 1. doctor
	const doctor = begin('doctor', 'Docker, minikube, kind, kubectl, Helm, Trivy, kube contexts');
	const recommendation = await runDoctor(system, doctorStore);
	if (!recommendation.target) {
		doctor.failed(`No path to a cluster from here yet: ${recommendation.why}`, recommendation.fixes[0], recommendation.fixes.slice(1));
		return stop('doctor', 'the machine needs a fix first');
	}

	doctor.done(`${recommendation.why}`);
	let skip = new Set(request.skip);
	if (request.confirmPlan) {
		const tools = recommendation.install.map(step => `${step.tool} ${step.version}`);
		const labels: Readonly<Record<Skippable, string>> = {
			install: tools.length > 0 ? `install ${tools.join(', ')} (no sudo, checksum-verified)` : 'install missing tools (none missing)',
			scan: 'scan the images with Trivy and stop on fixable CRITICAL findings',
			lint: 'lint the chart before deploying',
			verify: 'verify: health endpoints and a smoke test of the todo API',
			'load-check': `load check: ${request.verify.users} users for ${Math.round(request.verify.durationMs / 1000)} s against p95 < ${request.verify.targetP95Ms} ms`,
		};
		const answer = await request.confirmPlan({
			summary: `${request.kind ? `Use the kind cluster "${request.kind}" (created if there is none)` : request.minikube ? `Use the minikube profile "${request.minikube}" (started if there is none)` : recommendation.target === 'existing-context' ? 'Use the cluster that runs now' : `Start a cluster (${recommendation.command ?? ''})`}, build and load both images, deploy release ${request.deploy.release} into ${request.deploy.namespace}.`,
			skippable: skippableSteps.map(id => ({id, label: labels[id], on: !skip.has(id)})),
		});
		if (!answer.go) {
			result.failedStep = undefined;
			for (const step of flow.getState().steps.slice(1)) {
				dispatch(step.id, {type: 'skipped', reason: 'not started: the plan was declined'});
			}

			return {...result, doctor: doctorStore.getState()};
		}

		skip = new Set(answer.off);
		for (const [id, stepIds] of [['install', ['install']], ['scan', ['scan']], ['lint', ['lint']], ['verify', verifySteps.map(step => step.id)], ['load-check', ['load']]] as const) {
			if (skip.has(id)) {
				for (const stepId of stepIds) {
					dispatch(stepId, {type: 'skipped', reason: 'switched off in the plan'});
				}
			}
		}
	}

	const cancelledAtInstall = await cancelledBefore('install');
	if (cancelledAtInstall) {
		return cancelledAtInstall;
	}

	// 2. install what the recommendation needs
	// --kind or --minikube choose the path: the other cluster tool is not needed, this one is.
	const chosen = request.kind
		? {type: 'kind' as const, context: `kind-${request.kind}`, create: `kind create cluster --name ${request.kind}`}
		: request.minikube ? {type: 'minikube' as const, context: request.minikube, create: `minikube start -p ${request.minikube} --driver=docker`} : undefined;
	const needed = recommendation.install.map(step => step.tool).filter(tool => !(skip.has('scan') && tool === 'trivy') && !(chosen && (tool === 'kind' || tool === 'minikube') && tool !== chosen.type));
	const missing = chosen && !needed.includes(chosen.type) && !(await system.which(chosen.type)) ? [...needed, chosen.type] : needed;
	if (!skip.has('install')) {
		if (missing.length === 0) {
			dispatch('install', {type: 'skipped', reason: 'every tool is there'});
		} else {
			const install = begin('install', `${missing.join(', ')} into ${request.installDir}`);
			const installStore = createStore<InstallState, InstallAction>(installReducer, initialInstallState());
			installStore.subscribe(state => {
				install.detail(state.tools.map(entry => `${entry.tool} ${entry.status.type === 'downloading' && entry.status.total ? `${Math.round((entry.status.received / entry.status.total) * 100)}%` : entry.status.type}`).join(', '));
			});
			await runInstall(system, installStore, {tools: missing, dir: request.installDir, mirror: request.mirror, force: false, idleTimeoutMs: 30_000, attempts: 3, signal: request.signal});
			if (!installSucceeded(installStore.getState())) {
				const failed = installStore.getState().tools.find(entry => entry.status.type === 'failed');
				install.failed(`${failed?.tool ?? 'a tool'} could not be installed${failed?.status.type === 'failed' ? `: ${failed.status.message}` : ''}`, failed?.status.type === 'failed' ? failed.status.fix : undefined);
				return stop('install', 'a tool is missing');
			}

			install.done(`${missing.join(', ')} installed (checksums verified)`);
		}
	} else if (missing.some(tool => tool !== 'trivy')) {
		flow.dispatch({type: 'flow/note', text: `Install is switched off, and ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing: the steps that need ${missing.length === 1 ? 'it' : 'them'} will say so.`});
	}

	const cancelledAtCluster = await cancelledBefore('cluster');
	if (cancelledAtCluster) {
		return cancelledAtCluster;
	}

	// 3. the cluster: the one named by --kind/--minikube (made when it does not exist), the one that
	// runs, or the one the doctor recommends, started now
	const context = request.deploy.context ?? chosen?.context;
	const loaded = await loadKubeconfig(system);
	const chosenExists = chosen !== undefined && loaded.type === 'loaded' && loaded.config.getContextObject(chosen.context) !== null;
	const startCommand = chosen ? (chosenExists ? undefined : chosen.create) : recommendation.target === 'existing-context' ? undefined : recommendation.command ?? undefined;
	const clusterStep = begin('cluster', startCommand ?? `the context ${context ?? 'in use'}`);
	if (startCommand) {
		const [program = '', ...args] = startCommand.split(' ');
		const tool = await system.which(program);
		if (!tool) {
			clusterStep.failed(`${program} is not installed, so the cluster cannot be started.`, `npx todo-deploy install ${program}`);
			return stop('cluster', 'no cluster');
		}

		clusterStep.detail(`${startCommand} (a few minutes the first time)`);
		const started = await system.run(tool, args, {timeoutMs: 15 * 60_000});
		if (started.exitCode !== 0) {
			const output = `${started.stderr}\n${started.stdout}`.trim().split('\n');
			clusterStep.failed(`${startCommand} failed: ${output.at(-1) ?? ''}`, 'todo-deploy doctor explains what the machine lacks; the lines below are the tool\'s own.', output.slice(-8));
			return stop('cluster', 'no cluster');
		}

		const created = clusterFromCommand(startCommand);
		if (created) {
			await recordCreatedCluster(request.root, created);
		}
	}

	const resolved = await resolveLoadTarget(system, {kind: request.kind, minikube: request.minikube, context});
	const target: LoadTarget | undefined = resolved.target;
	if (!target) {
		clusterStep.failed(`No local cluster to deploy to: ${resolved.why}.`, 'Start one: minikube start --driver=docker, or kind create cluster --name todo (or let todo-deploy: --kind todo)');
		return stop('cluster', 'no cluster');
	}

	let cluster: Cluster;
	try {
		cluster = await request.connect(context);
	} catch (error) {
		clusterStep.failed(`The cluster does not answer: ${error instanceof Error ? error.message : String(error)}`, 'todo-deploy doctor checks the kube context.');
		return stop('cluster', 'no cluster');
	}

	clusterStep.done(`${describeTarget(target)} (context ${cluster.context})${startCommand ? `, started with ${startCommand}` : ''}`);

	const cancelledAtImages = await cancelledBefore('images');
	if (cancelledAtImages) {
		return cancelledAtImages;
	}

	// 4. build, load and scan at once
	const images = begin('images', 'reading the sources');
	const scanOn = !skip.has('scan');
	const scan = scanOn ? begin('scan', 'waiting for the builds') : undefined;
	const imagesStore = createStore<ImagesState, ImagesAction>(imagesReducer, initialImagesState());
	imagesStore.subscribe(state => {
		images.detail(imageLine(state));
		const scanning = state.images.filter(entry => entry.scan.type === 'scanning').map(entry => entry.name);
		if (scan && scanning.length > 0) {
			scan.detail(`scanning ${scanning.join(', ')}`);
		}
	});
	await runImages(system, imagesStore, {...request.images, root: request.root, sources: request.sources, steps: {build: true, load: true, scan: scanOn}, target, signal: request.signal});
	const imagesState = imagesStore.getState();
	const imagesOk = imagesState.error === undefined && imagesState.images.length > 0 && imagesState.images.every(entry => entry.build.type === 'done' && entry.load.type === 'done');
	await request.record('images', imagesOk ? 'verified' : 'failed', {images: imagesState.images.map(entry => ({name: entry.name, ref: entry.plan?.ref ?? null, commit: entry.plan?.commit ?? null, build: entry.build.type === 'building' ? {type: 'building'} : entry.build, load: entry.load}))});
	if (!imagesOk) {
		const failed = imagesState.images.find(entry => entry.build.type === 'failed' || entry.load.type === 'failed');
		const message = imagesState.error?.message ?? (failed?.build.type === 'failed' ? `${failed.plan?.ref ?? failed.name}: build failed: ${failed.build.message}` : failed?.load.type === 'failed' ? `${failed.plan?.ref ?? failed.name}: ${failed.load.message}` : 'the images are not ready');
		const fix = imagesState.error?.fix ?? (failed?.build.type === 'failed' ? failed.build.fix : failed?.load.type === 'failed' ? failed.load.fix : undefined);
		images.failed(message, fix, failed?.build.type === 'failed' ? [...(failed.build.step ? [`at ${failed.build.step}`] : []), ...failed.build.output.slice(-6).map(line => `| ${line}`)] : []);
		if (scan) {
			dispatch('scan', {type: 'skipped', reason: 'the images are not ready'});
		}

		return stop('images', 'nothing is deployed that did not build');
	}

	images.done(imagesState.images.map(entry => `${entry.plan?.ref ?? entry.name} ${entry.build.type === 'done' && entry.build.outcome === 'up-to-date' ? 'up to date' : 'built'}, ${entry.load.type === 'done' ? (entry.load.outcome === 'already-present' ? 'already loaded' : entry.load.outcome) : ''}`).join('; '));
	if (scan) {
		const scanned = imagesState.images.map(entry => ({entry, scan: entry.scan}));
		const failedScan = scanned.find(item => item.scan.type !== 'done');
		const blocked = scanned.filter(item => item.scan.type === 'done' && !item.scan.summary.gate.passed);
		await request.record('scan', failedScan || blocked.length > 0 ? 'failed' : 'verified', {images: imagesState.images.map(entry => ({ref: entry.plan?.ref ?? null, scan: entry.scan}))});
		if (failedScan) {
			scan.failed(`${failedScan.entry.plan?.ref ?? failedScan.entry.name} was not scanned: ${failedScan.scan.type === 'failed' ? failedScan.scan.message : failedScan.scan.type}`, failedScan.scan.type === 'failed' ? failedScan.scan.fix ?? 'Or switch the scan off: --skip scan' : undefined);
			return stop('scan', 'nothing is deployed that was not scanned');
		}

		if (blocked.length > 0) {
			scan.failed(
				`${blocked.map(item => item.entry.plan?.ref ?? item.entry.name).join(', ')} ${blocked.length === 1 ? 'fails' : 'fail'} the gate (${blocked[0]?.scan.type === 'done' ? blocked[0].scan.summary.gate.rule : ''})`,
				'Update the packages named below (a newer base image usually does it), or accept a finding in .trivyignore with a reason.',
				blocked.flatMap(item => (item.scan.type === 'done' ? item.scan.summary.worst.slice(0, 4).map(finding => `${item.entry.name}: ${finding.severity} ${finding.id} ${finding.pkg} ${finding.installed}${finding.fixed ? ` -> ${finding.fixed}` : ''}`) : [])),
			);
			return stop('scan', 'nothing is deployed that fails the scan gate');
		}

		scan.done(scanned.map(item => (item.scan.type === 'done' ? `${item.entry.name}: ${Object.entries(item.scan.summary.counts).filter(([, count]) => count > 0).map(([severity, count]) => `${count} ${severity}`).join(', ') || 'no known vulnerabilities'}` : '')).join('; '));
	}

	// The values the chart gets: the content tags and the Secret; never a secret itself.
	const values: Record<string, string> = {imageSource: target.type === 'registry' ? 'registry' : 'local'};
	for (const entry of imagesState.images) {
		if (entry.plan) {
			values[`${entry.name}.image.repository`] = target.type === 'registry' ? `${target.registry}/${entry.plan.repository}` : entry.plan.repository;
			values[`${entry.name}.image.tag`] = entry.plan.tag;
		}
	}

	const cancelledAtLint = await cancelledBefore('lint');
	if (cancelledAtLint) {
		return cancelledAtLint;
	}

	// 5. lint the chart with those values
	if (!skip.has('lint')) {
		const lint = begin('lint', `rendering ${request.chart}`);
		const valuesDir = path.join(request.root, '.todo-deploy');
		await mkdir(valuesDir, {recursive: true});
		const valuesFile = path.join(valuesDir, 'values.todo-deploy.yaml');
		await writeFile(valuesFile, `# Written by todo-deploy for lint: image tags and the Secret's name (no secret values).\n${JSON.stringify(nest({...values, ...request.deploy.sets, 'secrets.existingSecret': secretNameOf(request.deploy.release)}), null, 2)}\n`);
		const report = await runLint(system, {chart: request.chart, valuesFiles: [valuesFile, ...request.deploy.valuesFiles], target: target.type === 'registry' ? 'registry' : 'local', release: request.deploy.release, namespace: request.deploy.namespace});
		result.lint = report;
		await request.record('lint', lintFailed(report) ? 'failed' : 'verified', report);
		if (lintFailed(report)) {
			const errors = report.findings.filter(finding => finding.severity === 'error');
			lint.failed(report.renderError ?? `${errors.length} error${errors.length === 1 ? '' : 's'} in the chart: ${errors[0]?.message ?? ''}`, errors[0]?.fix ?? 'todo-deploy lint shows every finding', errors.slice(1, 6).map(finding => `${finding.object}: ${finding.message}`));
			return stop('lint', 'the chart would not deploy cleanly');
		}

		const warnings = report.findings.filter(finding => finding.severity !== 'error' && !/must exist in the namespace before the deploy/.test(finding.message));
		lint.done(`${report.objects} objects, no errors${warnings.length > 0 ? `, ${warnings.length} warning${warnings.length === 1 ? '' : 's'} (todo-deploy lint lists them)` : ''}`);
	}

	const cancelledAtSecrets = await cancelledBefore('secrets');
	if (cancelledAtSecrets) {
		return cancelledAtSecrets;
	}

	// 6. deploy (helm is not run again for the same chart, images, values and secrets)
	const {sets, ...deployRequest} = request.deploy;
	const memoryKey = `${cluster.context}/${request.deploy.namespace}/${request.deploy.release}`;
	const chartDigest = await chartDigestOf(request.chart, request.deploy.valuesFiles);
	const deployed = await runDeploy(system, cluster, flow, status, {...deployRequest, context, chart: request.chart, values: {...values, ...sets}, chartDigest, previous: await readDeployMemory(request.root, memoryKey), signal: request.signal, clusterImages: clusterImages(system, target)});
	result.deploy = deployed;
	if (deployed.ready && deployed.fingerprint && deployed.revision !== undefined && !Number.isNaN(deployed.revision)) {
		await writeDeployMemory(request.root, memoryKey, {fingerprint: deployed.fingerprint, revision: deployed.revision});
	}

	await request.record('deploy', deployed.ready ? 'verified' : 'failed', {release: request.deploy.release, namespace: request.deploy.namespace, context: cluster.context, ready: deployed.ready, revision: deployed.revision ?? null, kept: deployed.kept ?? null, secrets: deployed.secrets, pods: deployed.report?.pods.map(row => ({name: row.name, ready: row.ready, status: row.status, probes: row.probes, diagnosis: row.diagnosis})) ?? []});
	if (!deployed.ready) {
		const release = request.signal?.aborted ? await request.describeRelease?.() : undefined;
		if (release) {
			flow.dispatch({type: 'flow/note', text: release});
		}

		const failed = flow.getState().steps.find(step => step.status.type === 'failed');
		result.failedStep = failed?.id ?? 'rollout';
		skipAfter('rollout', 'the deploy did not finish');
		return finish();
	}

	const cancelledAtReach = await cancelledBefore('reach');
	if (cancelledAtReach) {
		return cancelledAtReach;
	}

	// 7. verify
	if (skip.has('verify')) {
		return finish();
	}

	// A passing load check of exactly this deployment is not measured again.
	const loadSettings = {users: request.verify.users, durationMs: request.verify.durationMs, targetP95Ms: request.verify.targetP95Ms, path: request.verify.loadPath, url: request.verify.url ?? null};
	const earlier = (await readReportState(request.root)).sections.verify;
	const earlierData = earlier?.data as {fingerprint?: string; loadSettings?: unknown; load?: LoadSummary; passed?: boolean} | undefined;
	const reuseLoad = earlier && earlierData?.load && deployed.unchanged && earlier.status === 'verified' && earlierData.fingerprint === deployed.fingerprint && earlierData.load.passed && JSON.stringify(earlierData.loadSettings) === JSON.stringify(loadSettings)
		? {summary: earlierData.load, at: earlier.at}
		: undefined;
	const verified = await runVerify(system, flow, {...request.verify, namespace: request.deploy.namespace, release: request.deploy.release, context, minikubeProfile: target.type === 'minikube' ? target.profile : undefined, load: !skip.has('load-check'), reuseLoad, signal: request.signal});
	result.verify = verified;
	await request.record('verify', verified.passed ? 'verified' : 'failed', {...verified, fingerprint: deployed.fingerprint, loadSettings, loadMeasuredAt: reuseLoad?.at ?? new Date().toISOString()});
	if (!verified.passed) {
		result.failedStep = flow.getState().steps.find(step => step.status.type === 'failed')?.id ?? 'verify';
	}

	return (await cancelledBefore('report')) ?? finish();
}

/** {"backend.image.tag": "x"} -> {backend: {image: {tag: "x"}}}, for a values file. */
export function nest(flat: Readonly<Record<string, string>>): Record<string, unknown> {
	const root: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(flat)) {
		const parts = key.split('.');
		let node = root;
		for (const part of parts.slice(0, -1)) {
			node[part] ??= {};
			node = node[part] as Record<string, unknown>;
		}

		node[parts.at(-1) ?? key] = /^\d+$/.test(value) ? Number(value) : value === 'true' ? true : value === 'false' ? false : value;
	}

	return root;
}
