// The wizard's later stages: build, load and scan at once; lint the chart with the values about to be
// deployed; deploy; verify. Nothing is deployed that did not build, did not load, or fails the gate.
import path from 'node:path';
import {deploySteps, deployRecord, runDeploy, secretNameOf} from '../deploy/run.js';
import {releaseValues} from '../deploy/values.js';
import {loadOutcomeWords, pullRegistryOf, type ImagesAction} from '../images/actions.js';
import {imagesData, imagesReducer, initialImagesState, type ImagesState} from '../images/reducer.js';
import {runImages} from '../images/run.js';
import {dockerignoreProposals, writeDockerignore} from '../images/guard.js';
import {chartImageValues} from '../images/values.js';
import {lintFailed, runLint} from '../lint/run.js';
import {readReportState, recordSection} from '../report/run.js';
import {clusterImages} from '../status/cluster-images.js';
import {createStore} from '../store.js';
import {runVerify, verifySteps} from '../verify/run.js';
import type {LoadSummary} from '../verify/stats.js';
import {next, stop, type UpStage} from './stage.js';

const progressOf = (state: ImagesState): string =>
	state.images
		.map(entry => {
			const {name} = entry;
			switch (entry.build.type) {
				case 'building': {
					return entry.build.progress.steps > 0 ? `${name} step ${entry.build.progress.step}/${entry.build.progress.steps}` : `${name} sending context`;
				}

				case 'done': {
					return entry.load.type === 'loading' || entry.load.type === 'checking'
						? `${name} loading`
						: `${name} ${entry.build.outcome === 'up-to-date' ? 'up to date' : 'built'}${entry.load.type === 'done' ? `, ${loadOutcomeWords(entry.load)}` : ''}`;
				}

				case 'failed': {
					return `${name} failed`;
				}

				default: {
					return `${name} preparing`;
				}
			}
		})
		.join('; ');

const severityCounts = (counts: Readonly<Record<string, number>>) =>
	Object.entries(counts)
		.filter(([, count]) => count > 0)
		.map(([severity, count]) => `${count} ${severity}`)
		.join(', ') || 'no known vulnerabilities';

export const imagesStage: UpStage = {
	id: 'images',
	rows: [
		{id: 'images', title: 'Build and load images'},
		{id: 'scan', title: 'Scan images (Trivy)', off: ['scan']},
	],
	async run(context) {
		const {request} = context;
		const images = context.rows.begin('images', 'reading the sources');
		// What does not belong in an image is left out either way; on a terminal, a .dockerignore keeps it out of every build.
		if (request.questions && request.images.guards) {
			for (const proposal of await dockerignoreProposals(request.root, request.sources, request.images.guards)) {
				const where = path.relative(request.root, path.join(proposal.dir, '.dockerignore')) || '.dockerignore';
				if (await request.questions.confirm(`${where} would keep out what does not belong in an image: ${proposal.lines.join('  ')}. Add these lines?`)) {
					context.flow.dispatch({type: 'flow/note', text: `Wrote ${path.relative(request.root, await writeDockerignore(proposal.dir, proposal.lines))}.`});
				}
			}
		}

		for (const [side, guard] of Object.entries(request.images.guards ?? {})) {
			if (guard.items.length > 0) {
				context.flow.dispatch({
					type: 'flow/note',
					text: `Left out of the ${side} image (it does not belong there): ${guard.items.map(item => `${item.path}${item.secret ? ' (holds secrets)' : ''}`).join(', ')}.`,
				});
			}
		}

		const scanOn = !context.skip.has('scan');
		const scan = scanOn ? context.rows.begin('scan', 'waiting for the builds') : undefined;
		const store = createStore<ImagesState, ImagesAction>(imagesReducer, initialImagesState());
		store.subscribe(state => {
			images.detail(progressOf(state));
			const scanning = state.images.filter(entry => entry.scan.type === 'scanning').map(entry => entry.name);
			if (scan && scanning.length > 0) {
				scan.detail(`scanning ${scanning.join(', ')}`);
			}
		});
		await runImages(context.system, store, {
			...request.images,
			root: request.root,
			sources: request.sources,
			steps: {build: true, load: true, scan: scanOn},
			target: context.destination,
			signal: request.signal,
		});
		const state = store.getState();
		context.images = state;
		const ok = state.error === undefined && state.images.length > 0 && state.images.every(entry => entry.build.type === 'done' && entry.load.type === 'done');
		await recordSection(request.root, 'images', {status: ok ? 'verified' : 'failed', data: imagesData(state)});
		if (!ok) {
			const failed = state.images.find(entry => entry.build.type === 'failed' || entry.load.type === 'failed');
			const build = failed?.build.type === 'failed' ? failed.build : undefined;
			const load = failed?.load.type === 'failed' ? failed.load : undefined;
			const name = failed?.plan?.ref ?? failed?.name;
			images.failed(
				state.error?.message ??
					(build ? `${name ?? ''}: build failed: ${build.message}` : load ? `${name ?? ''}: ${load.message}` : 'the images are not ready'),
				state.error?.fix ?? build?.fix ?? load?.fix,
				build ? [...(build.step ? [`at ${build.step}`] : []), ...build.output.slice(-6).map(line => `| ${line}`)] : [],
			);
			if (scan) {
				context.rows.set('scan', {type: 'skipped', reason: 'the images are not ready'});
			}

			return stop('images', build ? 'build' : state.error?.kind === 'input' ? 'fix-first' : 'environment', 'nothing is deployed that did not build');
		}

		images.done(
			state.images
				.map(
					entry =>
						`${entry.plan?.ref ?? entry.name} ${entry.build.type === 'done' && entry.build.outcome === 'up-to-date' ? 'up to date' : 'built'}, ${entry.load.type === 'done' ? loadOutcomeWords(entry.load) : ''}`,
				)
				.join('; '),
		);
		context.values = chartImageValues(
			state.images.flatMap(entry => (entry.plan ? [entry.plan] : [])),
			pullRegistryOf(context.destination),
		);
		if (!scan) {
			return next;
		}

		const unscanned = state.images.find(entry => entry.scan.type !== 'done');
		const blocked = state.images.filter(entry => entry.scan.type === 'done' && !entry.scan.summary.gate.passed);
		await recordSection(request.root, 'scan', {status: unscanned || blocked.length > 0 ? 'failed' : 'verified', data: imagesData(state)});
		if (unscanned) {
			const failure = unscanned.scan.type === 'failed' ? unscanned.scan : undefined;
			scan.failed(
				`${unscanned.plan?.ref ?? unscanned.name} was not scanned: ${failure ? failure.message : unscanned.scan.type}`,
				failure ? (failure.fix ?? 'Or switch the scan off: --skip scan') : undefined,
			);
			return stop('scan', 'environment', 'nothing is deployed that was not scanned');
		}

		if (blocked.length > 0) {
			const first = blocked[0]?.scan;
			scan.failed(
				`${blocked.map(entry => entry.plan?.ref ?? entry.name).join(', ')} ${blocked.length === 1 ? 'fails' : 'fail'} the gate (${first?.type === 'done' ? first.summary.gate.rule : ''})`,
				blocked.some(entry => entry.scan.type === 'done' && entry.scan.summary.secrets.length > 0)
					? 'A secret is in the image: rotate it, and keep its file out of the build (.dockerignore, or no --allow-secrets-in-image).'
					: 'Update the packages named below (a newer base image usually does it), or accept a finding in .trivyignore with a reason.',
				blocked.flatMap(entry =>
					entry.scan.type === 'done'
						? [
								...entry.scan.summary.secrets.map(secret => `${entry.name}: SECRET ${secret.title} in ${secret.target}${secret.line ? `:${secret.line}` : ''}`),
								...entry.scan.summary.worst
									.slice(0, 4)
									.map(
										finding =>
											`${entry.name}: ${finding.severity} ${finding.id} ${finding.pkg} ${finding.installed}${finding.fixed ? ` -> ${finding.fixed}` : ''}`,
									),
							]
						: [],
				),
			);
			return stop('scan', 'scan-gate', 'nothing is deployed that fails the scan gate');
		}

		scan.done(state.images.map(entry => (entry.scan.type === 'done' ? `${entry.name}: ${severityCounts(entry.scan.summary.counts)}` : '')).join('; '));
		return next;
	},
};

export const lintStage: UpStage = {
	id: 'lint',
	rows: [{id: 'lint', title: 'Lint the chart', off: ['lint']}],
	skip: context => (context.skip.has('lint') ? 'switched off' : undefined),
	async run(context) {
		const {request} = context;
		const lint = context.rows.begin('lint', `rendering ${context.chart}`);
		// Exactly what deploy gives helm next: the same values files and --set pairs.
		const values = await releaseValues(request.root, {
			fit: context.fit,
			sets: {...context.values, ...request.deploy.sets},
			files: request.deploy.valuesFiles,
			release: request.deploy.release,
		});
		const report = await runLint(context.system, {
			chart: context.chart,
			contract: request.contract,
			madeByDeploy: secretNameOf(request.deploy.release),
			values,
			target: pullRegistryOf(context.destination) ? 'registry' : 'local',
			release: request.deploy.release,
			namespace: request.clusterChoice.namespace,
		});
		context.lint = report;
		await recordSection(request.root, 'lint', {status: lintFailed(report) ? 'failed' : 'verified', data: report});
		if (lintFailed(report)) {
			const errors = report.findings.filter(finding => finding.severity === 'error');
			lint.failed(
				report.renderError ?? `${errors.length} error${errors.length === 1 ? '' : 's'} in the chart: ${errors[0]?.message ?? ''}`,
				errors[0]?.fix ?? 'todo-deploy lint shows every finding',
				errors.slice(1, 6).map(finding => `${finding.object}: ${finding.message}`),
			);
			return stop('lint', 'fix-first', 'the chart would not deploy cleanly');
		}

		const warnings = report.findings.filter(finding => finding.severity !== 'error');
		lint.done(
			`${report.objects} objects, no errors${warnings.length > 0 ? `, ${warnings.length} warning${warnings.length === 1 ? '' : 's'} (todo-deploy lint lists them)` : ''}`,
		);
		return next;
	},
};

export const deployStage: UpStage = {
	id: 'deploy',
	rows: deploySteps,
	async run(context) {
		const {request, cluster, target} = context;
		if (!cluster || !target) {
			return stop('secrets', 'environment', 'no cluster');
		}

		// helm is not run again for the same chart, images, values and secrets.
		const {sets, ...deploy} = request.deploy;
		const deployed = await runDeploy(context.system, cluster, context.flow, context.status, {
			...deploy,
			root: request.root,
			target,
			chart: context.chart,
			fit: context.fit,
			values: {...context.values, ...sets},
			signal: request.signal,
			clusterImages: clusterImages(context.system, context.destination),
		});
		context.deploy = deployed;
		await recordSection(request.root, 'deploy', {
			status: deployed.ready ? 'verified' : 'failed',
			data: deployRecord({release: request.deploy.release, namespace: request.clusterChoice.namespace, context: cluster.context}, deployed),
		});
		return deployed.ready
			? next
			: stop(
					context.flow.getState().steps.find(step => step.status.type === 'failed')?.id ?? 'rollout',
					deployed.failure ?? 'rollout',
					'the deploy did not finish',
				);
	},
};

export const verifyStage: UpStage = {
	id: 'verify',
	rows: verifySteps.map(step => ({...step, off: step.id === 'load' ? (['verify', 'load-check'] as const) : (['verify'] as const)})),
	skip: context => (context.skip.has('verify') ? 'switched off' : undefined),
	async run(context) {
		const {request, deploy} = context;
		// A passing load check of exactly this deployment is not measured again.
		const loadSettings = {
			users: request.verify.users,
			durationMs: request.verify.durationMs,
			targetP95Ms: request.verify.targetP95Ms,
			path: request.verify.loadPath,
			url: request.verify.url ?? null,
		};
		const earlier = (await readReportState(request.root)).sections.verify;
		const earlierData = earlier?.data as {fingerprint?: string; loadSettings?: unknown; load?: LoadSummary} | undefined;
		const reuseLoad =
			earlier &&
			earlierData?.load &&
			deploy?.unchanged &&
			earlier.status === 'verified' &&
			earlierData.fingerprint === deploy.fingerprint &&
			earlierData.load.passed &&
			JSON.stringify(earlierData.loadSettings) === JSON.stringify(loadSettings)
				? {summary: earlierData.load, at: earlier.at}
				: undefined;
		const verified = await runVerify(context.system, context.flow, {
			...request.verify,
			namespace: request.clusterChoice.namespace,
			release: request.deploy.release,
			cluster: context.target,
			load: !context.skip.has('load-check'),
			reuseLoad,
			signal: request.signal,
		});
		context.verify = verified;
		await recordSection(request.root, 'verify', {
			status: verified.passed ? 'verified' : 'failed',
			data: {...verified, fingerprint: deploy?.fingerprint, loadSettings, loadMeasuredAt: reuseLoad?.at ?? new Date().toISOString()},
		});
		return verified.passed
			? next
			: stop(context.flow.getState().steps.find(step => step.status.type === 'failed')?.id ?? 'health', verified.failure ?? 'verify', 'verify failed');
	},
};
