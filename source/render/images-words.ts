// Build, load and scan as lines (plain output, the screen's rows) and as data (--json).
import type {BuildStatus, ImagesAction, LoadStatus, LoadTarget, ScanStatus} from '../engine/images/actions.js';
import type {UnbuiltTag} from '../engine/images/builds.js';
import type {ImageEntry, ImagesState} from '../engine/images/reducer.js';
import {severities, type ScanSummary} from '../engine/images/scan-results.js';
import {displayPath, formatBytes, formatDuration} from './format.js';
import {plainRenderer} from './plain-lines.js';
import {padColumns} from './columns.js';

/** What .dockerignore spared the daemon, when it is worth saying; what todo-deploy kept out of the image, always. */
const kept = (entry: ImageEntry) =>
	(entry.plan && entry.plan.ignoredBytes >= 1_000_000 ? `; .dockerignore kept ${formatBytes(entry.plan.ignoredBytes)} out of the context` : '') +
	(entry.plan?.leftOut?.length ? `; left out (not for an image): ${entry.plan.leftOut.join(', ')}` : '') +
	(entry.plan?.generated?.length
		? `; ${entry.plan.generated.map(file => `${file.name} added to the context it sent, for ${file.why}`).join('; ')} (your project is not touched)`
		: '');

const label = (entry: ImageEntry) => entry.plan?.ref ?? (entry.name === 'backend' ? 'todo-backend' : 'todo-frontend');

export function buildLine(entry: ImageEntry, status: BuildStatus = entry.build): string {
	const name = label(entry);
	switch (status.type) {
		case 'pending':
		case 'preparing': {
			return `${name}: reading the sources`;
		}

		case 'building': {
			const {progress} = status;
			if (progress.steps === 0) {
				return `${name}: sending the build context (${formatBytes(status.contextBytes)})`;
			}

			const cached = progress.cached > 0 ? `, ${progress.cached} cached` : '';
			const line = progress.lastLines.at(-1)?.trim();
			const output = line && !line.startsWith('Step ') ? ` › ${line}` : '';
			return `${name}: step ${progress.step}/${progress.steps}${cached}: ${progress.instruction}${output}`;
		}

		case 'done': {
			return status.outcome === 'up-to-date'
				? `${name}: up to date (${formatBytes(status.size)}), nothing to build`
				: `${name}: built in ${formatDuration(status.durationMs)}, ${status.steps} steps (${status.cached} from cache), ${formatBytes(status.size)}${kept(entry)}`;
		}

		case 'failed': {
			return [
				`${name}: build failed: ${status.message}`,
				...(status.step ? [`  at ${status.step}`] : []),
				...status.output.slice(-8).map(line => `  | ${line}`),
				...(status.fix ? [`  fix: ${status.fix}`] : []),
			].join('\n');
		}
	}
}

export function loadLine(entry: ImageEntry, status: LoadStatus = entry.load): string {
	const name = label(entry);
	switch (status.type) {
		case 'pending':
		case 'checking': {
			return `${name}: checking what the cluster has`;
		}

		case 'loading': {
			return `${name}: ${status.detail}`;
		}

		case 'done': {
			if (status.outcome === 'already-present') {
				return `${name}: already in ${status.where}, not sent again`;
			}

			if (status.outcome === 'built-in-place') {
				return `${name}: built in ${status.where}'s own Docker, nothing to send${status.bytes ? ` (its base image copied there once, ${formatBytes(status.bytes)})` : ''}`;
			}

			const sent = status.bytes === undefined ? '' : `, ${formatBytes(status.bytes)} sent`;
			const why = status.why ? `; not built in place: ${status.why}` : '';
			return status.outcome === 'pushed'
				? `${name}: pushed to ${status.where}${status.digest ? ` (${status.digest})` : ''} in ${formatDuration(status.durationMs)}${sent}`
				: `${name}: loaded into ${status.where} in ${formatDuration(status.durationMs)}${sent}${why}`;
		}

		case 'failed': {
			return `${name}: not loaded: ${status.message}${status.fix ? `\n  fix: ${status.fix}` : ''}`;
		}

		case 'skipped': {
			return `${name}: not loaded (${status.reason})`;
		}
	}
}

export function severityCounts(summary: ScanSummary): string {
	const parts = severities.filter(severity => summary.counts[severity] > 0).map(severity => `${summary.counts[severity]} ${severity}`);
	return parts.length > 0 ? parts.join(', ') : 'no known vulnerabilities';
}

export function scanLine(entry: ImageEntry, status: ScanStatus = entry.scan): string {
	const name = label(entry);
	switch (status.type) {
		case 'pending':
		case 'scanning': {
			return `${name}: scanning with Trivy`;
		}

		case 'done': {
			const {summary} = status;
			const verdict = summary.gate.passed
				? 'passes the gate'
				: `FAILS the gate (${summary.gate.blocking} finding${summary.gate.blocking === 1 ? '' : 's'}: ${summary.gate.rule})`;
			const worst = summary.worst
				.slice(0, summary.gate.passed ? 3 : 5)
				.map(
					finding =>
						`  ${padColumns(finding.severity, 8)} ${finding.id}  ${finding.pkg} ${finding.installed}${finding.fixed ? ` -> fixed in ${finding.fixed}` : ' (no fix yet)'}`,
				);
			const secrets = summary.secrets.map(
				secret =>
					`  SECRET   ${secret.title} (${secret.rule}) in ${secret.target}${secret.line ? `:${secret.line}` : ''}: rotate it, and keep the file out of the image`,
			);
			return [
				`${name}: ${severityCounts(summary)}${summary.ignored > 0 ? ` (${summary.ignored} ignored by .trivyignore)` : ''}; ${verdict}${status.cached ? ' [cached scan of the same image]' : ''}`,
				...secrets,
				...worst,
				`  report: ${displayPath(status.reportPath)}`,
			].join('\n');
		}

		case 'failed': {
			return `${name}: not scanned: ${status.message}${status.fix ? `\n  fix: ${status.fix}` : ''}`;
		}

		case 'skipped': {
			return `${name}: not scanned (${status.reason})`;
		}
	}
}

const ended = (status: {readonly type: string}) => ['done', 'failed', 'skipped'].includes(status.type);

/** Plain output: each step's end once on stdout, progress on stderr every few seconds. */
export const renderImagesPlain = plainRenderer<ImagesState, ImagesAction>((state, action, say) => {
	if (action.type === 'images/failed') {
		say.out(`${action.message}${action.fix ? `\n  fix: ${action.fix}` : ''}`);
		return;
	}

	if (action.type !== 'images/build' && action.type !== 'images/load' && action.type !== 'images/scan') {
		return;
	}

	const entry = state.images.find(item => item.name === action.name);
	const step = action.type.slice('images/'.length) as 'build' | 'load' | 'scan';
	if (!entry || entry[step] !== action.status) {
		return;
	}

	const line = `${padColumns(step, 5)} ${step === 'build' ? buildLine(entry) : step === 'load' ? loadLine(entry) : scanLine(entry)}`;
	if (!ended(action.status)) {
		say.progress(`${entry.name}/${step}`, line, action.status.type === 'building');
	} else if (action.status.type !== 'skipped' || action.status.reason !== 'not asked for') {
		say.out(line);
	}
});

/** A load that ended, in a few words: "already loaded", "built in place, nothing sent", "loaded, 467.0 MB sent". */
export function loadOutcomeWords(load: Extract<LoadStatus, {type: 'done'}>): string {
	switch (load.outcome) {
		case 'already-present': {
			return 'already loaded';
		}

		case 'built-in-place': {
			return 'built in place, nothing sent';
		}

		default: {
			return load.bytes === undefined ? load.outcome : `${load.outcome}, ${formatBytes(load.bytes)} sent`;
		}
	}
}

/** 'kind cluster "todo"', 'minikube profile "minikube"', 'registry localhost:5000/team'. */
export function describeTarget(target: LoadTarget): string {
	return target.type === 'kind'
		? `kind cluster "${target.cluster}"${target.registry ? ` (through its local registry ${target.registry})` : ''}`
		: target.type === 'minikube'
			? `minikube profile "${target.profile}"`
			: `registry ${target.registry}`;
}

/** Both images in one line, as the wizard's row shows them while they build and load. */
export function imagesProgress(state: ImagesState): string {
	return state.images
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
}

/** Both images built and loaded, in one line. */
export function imagesSummary(state: ImagesState): string {
	return state.images
		.map(
			entry =>
				`${label(entry)} ${entry.build.type === 'done' && entry.build.outcome === 'up-to-date' ? 'up to date' : 'built'}, ${entry.load.type === 'done' ? loadOutcomeWords(entry.load) : ''}`,
		)
		.join('; ');
}

export type Failure = {readonly text: string; readonly fix: string | undefined; readonly evidence: readonly string[]};

/** Every image that did not build or load, each with its cause; the first fix leads. */
export function imagesFailure(state: ImagesState): Failure {
	if (state.error) {
		return {text: state.error.message, fix: state.error.fix, evidence: []};
	}

	const failed = state.images.filter(entry => entry.build.type === 'failed' || entry.load.type === 'failed');
	const words = failed.map(entry => {
		const build = entry.build.type === 'failed' ? entry.build : undefined;
		const load = entry.load.type === 'failed' ? entry.load : undefined;
		return {
			text: build ? `${label(entry)}: build failed: ${build.message}` : `${label(entry)}: ${load?.message ?? 'not ready'}`,
			fix: build?.fix ?? load?.fix,
			evidence: build ? [...(build.step ? [`at ${build.step}`] : []), ...build.output.slice(-6).map(line => `| ${line}`)] : [],
		};
	});
	const [first, ...others] = words;
	if (!first) {
		return {text: 'the images are not ready', fix: undefined, evidence: []};
	}

	// The other images' failures follow the first one's lines, each with its own fix.
	return {
		text: first.text,
		fix: first.fix,
		evidence: [...first.evidence, ...others.flatMap(other => [`✖ ${other.text}`, ...(other.fix ? [`  fix: ${other.fix}`] : []), ...other.evidence])],
	};
}

/** The images being scanned now, or what the scan waits for. */
export function scanProgress(state: ImagesState): string {
	const scanning = state.images.filter(entry => entry.scan.type === 'scanning').map(entry => entry.name);
	return scanning.length > 0 ? `scanning ${scanning.join(', ')}` : 'waiting for the builds';
}

/** Each image's findings in a few words. */
export function scanSummary(state: ImagesState): string {
	return state.images.map(entry => (entry.scan.type === 'done' ? `${entry.name}: ${severityCounts(entry.scan.summary)}` : '')).join('; ');
}

/** An image that was not scanned, or the ones that fail the gate, with what to do and the worst findings. */
export function scanFailure(state: ImagesState): Failure {
	const unscanned = state.images.find(entry => entry.scan.type !== 'done');
	if (unscanned) {
		const failure = unscanned.scan.type === 'failed' ? unscanned.scan : undefined;
		return {
			text: `${label(unscanned)} was not scanned: ${failure ? failure.message : unscanned.scan.type}`,
			fix: failure ? (failure.fix ?? 'Or switch the scan off: --skip scan') : undefined,
			evidence: [],
		};
	}

	const blocked = state.images.filter(entry => entry.scan.type === 'done' && !entry.scan.summary.gate.passed);
	const first = blocked[0]?.scan;
	return {
		text: `${blocked.map(entry => label(entry)).join(', ')} ${blocked.length === 1 ? 'fails' : 'fail'} the gate (${first?.type === 'done' ? first.summary.gate.rule : ''})`,
		fix: blocked.some(entry => entry.scan.type === 'done' && entry.scan.summary.secrets.length > 0)
			? 'A secret is in the image: rotate it, and keep its file out of the build (.dockerignore, or no --allow-secrets-in-image).'
			: 'Update the packages named below (a newer base image usually does it), or accept a finding in .trivyignore with a reason.',
		evidence: blocked.flatMap(entry =>
			entry.scan.type === 'done'
				? [
						...entry.scan.summary.secrets.map(secret => `${entry.name}: SECRET ${secret.title} in ${secret.target}${secret.line ? `:${secret.line}` : ''}`),
						...entry.scan.summary.worst
							.slice(0, 4)
							.map(
								finding => `${entry.name}: ${finding.severity} ${finding.id} ${finding.pkg} ${finding.installed}${finding.fixed ? ` -> ${finding.fixed}` : ''}`,
							),
					]
				: [],
		),
	};
}

/** Why deploy refuses tags no build here made: each one with the tag that was built, then the fix. */
export function unbuiltWords(unbuilt: readonly UnbuiltTag[]): string {
	const lines = unbuilt.map(
		({planned, built}) =>
			`todo-deploy: ${planned.ref} was never built here: the last build of these sources made ${built.ref}${built.buildArgs.length > 0 ? ` (with the build arguments ${built.buildArgs.join(', ')})` : ''}.\n`,
	);
	return `${lines.join('')}  fix: give deploy the same --build-arg as the build (todo-deploy deploy --build-arg NAME=VALUE), or build again with these: todo-deploy build\nNothing was changed.\n`;
}
