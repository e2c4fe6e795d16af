// Build, load and scan as lines (plain output, the screen's rows) and as data (--json).
import type {BuildStatus, ImagesAction, LoadStatus, ScanStatus} from '../engine/images/actions.js';
import type {ImageEntry, ImagesState} from '../engine/images/reducer.js';
import {severities, type ScanSummary} from '../engine/images/scan-report.js';
import {displayPath, formatBytes, formatDuration} from './format.js';
import {plainRenderer} from './plain-lines.js';

/** What .dockerignore spared the daemon, when it is worth saying; what todo-deploy kept out of the image, always. */
const kept = (entry: ImageEntry) =>
	(entry.plan && entry.plan.ignoredBytes >= 1_000_000 ? `; .dockerignore kept ${formatBytes(entry.plan.ignoredBytes)} out of the context` : '') +
	(entry.plan?.leftOut?.length ? `; left out (not for an image): ${entry.plan.leftOut.join(', ')}` : '');

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
						`  ${finding.severity.padEnd(8)} ${finding.id}  ${finding.pkg} ${finding.installed}${finding.fixed ? ` -> fixed in ${finding.fixed}` : ' (no fix yet)'}`,
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

	const line = `${step.padEnd(5)} ${step === 'build' ? buildLine(entry) : step === 'load' ? loadLine(entry) : scanLine(entry)}`;
	if (!ended(action.status)) {
		say.progress(`${entry.name}/${step}`, line, action.status.type === 'building');
	} else if (action.status.type !== 'skipped' || action.status.reason !== 'not asked for') {
		say.out(line);
	}
});
