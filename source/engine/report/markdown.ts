// Pure: what each command observed -> the report. A section nobody ran says "not run"; nothing is
// inferred from what was not seen.
import type {Answer, SmokeStep} from '../../adapters/app.js';
import {formatMs, latencyChart, type LoadSummary} from '../verify/stats.js';

export const sectionNames = ['environment', 'chart', 'images', 'scan', 'lint', 'deploy', 'verify'] as const;
export type SectionName = (typeof sectionNames)[number];

export type Section = {readonly status: 'verified' | 'failed' | 'not run'; readonly at: string; readonly data: unknown};
export type ReportState = {readonly version: 1; readonly project: string; readonly sections: Partial<Record<SectionName, Section>>};

const titles: Readonly<Record<SectionName, string>> = {
	environment: 'Environment and tools',
	chart: 'The chart and the app',
	images: 'Images',
	scan: 'Image scan',
	lint: 'Chart lint',
	deploy: 'Deployment',
	verify: 'Verification',
};

const mark = (status: Section['status']) => (status === 'verified' ? '✅ verified' : status === 'failed' ? '❌ failed' : '⏸ not run');
const cell = (value: unknown) =>
	String(value ?? '')
		.replaceAll('|', '\\|')
		.replaceAll('\n', ' ');

function table(header: readonly string[], rows: ReadonlyArray<readonly unknown[]>): string[] {
	return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map(row => `| ${row.map(value => cell(value)).join(' | ')} |`)];
}

type VerifyData = {
	url?: string;
	via?: string;
	health?: Answer[];
	api?: {from: string; collection: string; auth: string};
	smoke?: SmokeStep[];
	remains?: string[];
	frontend?: Answer[];
	browser?: {url: string; ok: boolean; backend?: string; baked?: boolean; cors?: {allowed: boolean}};
	chatbot?: {state: 'verified' | 'failed' | 'not run'; reply?: string; why?: string; cause?: {cause: string}; answer?: Answer};
	load?: LoadSummary;
};

/** The two lines a person reads first: the address to open in the browser, and the chatbot; each verified, failed or not run. */
function userLines(data: VerifyData): string[] {
	const {browser, chatbot} = data;
	const address = browser
		? `- **Browser address:** ${browser.url} — ${browser.ok ? 'verified' : 'failed'}${browser.backend ? ` (its page calls the backend at ${browser.backend}${browser.baked ? '' : ', which is not what was baked in'}${browser.cors && !browser.cors.allowed ? '; the backend does not allow its origin' : ''})` : ''}`
		: '- **Browser address:** not run (verify did not hold the addresses: --url, or no frontend)';
	const chat = !chatbot
		? '- **Chatbot:** not run'
		: chatbot.state === 'verified'
			? `- **Chatbot:** verified: it answered "${(chatbot.reply ?? '').slice(0, 80)}"`
			: chatbot.state === 'failed'
				? `- **Chatbot:** failed: ${chatbot.answer ? `${chatbot.answer.method} ${chatbot.answer.path} answered ${chatbot.answer.status ?? chatbot.answer.error ?? '?'}` : ''}${chatbot.cause ? `: ${chatbot.cause.cause}` : ''}`
				: `- **Chatbot:** not run: ${chatbot.why ?? ''}`;
	return [address, chat, ''];
}

function verifyLines(data: VerifyData): string[] {
	const lines = [...userLines(data), `Reached at ${data.url ?? 'nowhere'}${data.via ? ` (${data.via})` : ''}.`, ''];
	if (data.api) {
		lines.push(`The API, as learnt from ${data.api.from}: the todos at ${data.api.collection}; sign-in: ${data.api.auth}.`, '');
	}

	if (data.health?.length) {
		lines.push(
			...table(
				['request', 'status', 'time', 'body'],
				data.health.map(answer => [`${answer.method} ${answer.path}`, answer.status ?? answer.error, `${Math.round(answer.ms)} ms`, answer.body]),
			),
			'',
		);
	}

	if (data.smoke?.length) {
		lines.push(
			'Smoke test of the todo API:',
			'',
			...table(
				['step', 'request', 'status', 'expected', 'result'],
				data.smoke.map(step => [step.name, `${step.method} ${step.path}`, step.status ?? step.error, step.expected, step.ok ? 'ok' : 'FAILED']),
			),
			'',
		);
	}

	if (data.remains?.length) {
		lines.push(`Left behind by the smoke test: ${data.remains.join('; ')}.`, '');
	}

	if (data.frontend?.length) {
		lines.push(
			'The frontend, and one of its routes that reaches the backend:',
			'',
			...table(
				['request', 'status', 'time', 'body'],
				data.frontend.map(answer => [`${answer.method} ${answer.path}`, answer.status ?? answer.error, `${Math.round(answer.ms)} ms`, answer.body]),
			),
			'',
		);
	}

	const load = data.load;
	if (load) {
		lines.push(
			`Load check: ${load.users} concurrent users for ${Math.round(Number(load.durationMs) / 1000)} s, target p95 < ${load.targetP95Ms} ms: **${load.passed ? 'met' : 'not met'}**.`,
			'',
			...table(
				['requests', 'throughput', 'p50', 'p95', 'p99', 'max', 'errors'],
				[
					[
						load.requests,
						`${Math.round(Number(load.throughput) || 0)}/s`,
						formatMs(load.p50),
						formatMs(load.p95),
						formatMs(load.p99),
						formatMs(load.max),
						`${load.errors}${
							load.errors > 0
								? ` (${Object.entries(load.errorKinds)
										.map(([kind, count]) => `${count} ${kind}`)
										.join(', ')})`
								: ''
						}`,
					],
				],
			),
			'',
			'```text',
			...latencyChart(load, 30),
			'```',
		);
	} else {
		lines.push('Load check: not run.');
	}

	return lines;
}

type ImageData = {
	images?: Array<{
		name: string;
		ref: string | null;
		commit: string | null;
		build: {type: string; outcome?: string; id?: string; size?: number; message?: string};
		load: {type: string; outcome?: string; where?: string; message?: string; digest?: string};
	}>;
};
type ScanData = {
	images?: Array<{
		ref: string | null;
		scan: {
			type: string;
			summary?: {counts: Record<string, number>; gate: {passed: boolean; rule: string; blocking: number}};
			reportPath?: string;
			message?: string;
		};
	}>;
};
type DeployData = {
	release?: string;
	namespace?: string;
	context?: string;
	revision?: number | null;
	ready?: boolean;
	kept?: string | null;
	secrets?: Array<{name: string; source: string}>;
	pods?: Array<{name: string; ready: string; status: string; diagnosis: {state: string; title: string}}>;
};

function imagesLines(data: ImageData): string[] {
	return table(
		['image', 'commit', 'image ID', 'size', 'build', 'load'],
		(data.images ?? []).map(image => [
			image.ref ?? image.name,
			image.commit?.slice(0, 12) ?? 'not in git',
			image.build.id?.slice(0, 19) ?? '',
			image.build.size ? `${(image.build.size / 1_000_000).toFixed(1)} MB` : '',
			image.build.type === 'done' ? image.build.outcome : `${image.build.type}${image.build.message ? `: ${image.build.message}` : ''}`,
			image.load.type === 'done'
				? `${image.load.outcome ?? ''} ${image.load.where ?? ''}${image.load.digest ? ` ${image.load.digest}` : ''}`
				: image.load.type === 'skipped'
					? 'not loaded'
					: `${image.load.type}${image.load.message ? `: ${image.load.message}` : ''}`,
		]),
	);
}

function scanLines(data: ScanData): string[] {
	return table(
		['image', 'CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'gate', 'report'],
		(data.images ?? []).map(image => {
			const summary = image.scan.summary;
			return summary
				? [
						image.ref,
						summary.counts['CRITICAL'],
						summary.counts['HIGH'],
						summary.counts['MEDIUM'],
						summary.counts['LOW'],
						summary.gate.passed ? `passed (${summary.gate.rule})` : `FAILED: ${summary.gate.blocking} (${summary.gate.rule})`,
						image.scan.reportPath,
					]
				: [image.ref, '', '', '', '', image.scan.type === 'skipped' ? 'not scanned' : `not scanned: ${image.scan.message ?? image.scan.type}`, ''];
		}),
	);
}

function deployLines(data: DeployData): string[] {
	return [
		`Release ${data.release ?? '?'} revision ${data.revision ?? '?'} in namespace ${data.namespace ?? '?'} (context ${data.context ?? '?'}): ${data.ready ? 'every pod ready' : `pods not ready${data.kept ? ` (release ${data.kept})` : ''}`}.`,
		'',
		`Secrets: ${(data.secrets ?? []).map(secret => `${secret.name} ${secret.source}`).join(', ') || 'none recorded'} (values never recorded).`,
		'',
		...table(
			['pod', 'ready', 'status', 'diagnosis'],
			(data.pods ?? []).map(pod => [pod.name, pod.ready, pod.status, pod.diagnosis.state === 'ready' ? 'probes passing' : pod.diagnosis.title]),
		),
	];
}

type EnvironmentData = {
	recommendation?: {target?: string | null; why?: string} | null;
	checks?: Record<string, {type: string; outcome?: {status: string; summary: string}}>;
};

function environmentLines(data: EnvironmentData): string[] {
	const rows = Object.entries(data.checks ?? {}).map(([id, check]) => [id, check.outcome?.status ?? check.type, check.outcome?.summary ?? '']);
	return [
		`Path taken: ${data.recommendation?.target ?? 'none'}${data.recommendation?.why ? `: ${data.recommendation.why}` : ''}`,
		'',
		...table(['check', 'result', 'found'], rows),
	];
}

type ChartData = {chart?: string; why?: string; fitted?: {learnt?: string[]; gaps?: string[]} | null};

function chartLines(data: ChartData): string[] {
	return [
		`Deployed chart: ${data.chart ?? '?'}${data.why ? `, because ${data.why}` : ''}.`,
		...(data.fitted?.learnt?.length ? ['', 'Fitted to what the app reads (learnt from the project):', '', ...data.fitted.learnt.map(line => `- ${line}`)] : []),
		...(data.fitted?.gaps?.length ? ['', 'Not fitted:', '', ...data.fitted.gaps.map(line => `- ${line}`)] : []),
	];
}

type LintData = {chart?: string; objects?: number; renderError?: string; findings?: Array<{severity: string; rule: string; object: string; message: string}>};

function lintLines(data: LintData): string[] {
	if (data.renderError) {
		return [`The chart ${data.chart ?? ''} did not render: ${data.renderError}`];
	}

	const findings = data.findings ?? [];
	return [
		`${data.chart ?? 'The chart'}: ${data.objects ?? 0} objects rendered, ${findings.filter(finding => finding.severity === 'error').length} errors, ${findings.filter(finding => finding.severity !== 'error').length} warnings.`,
		...(findings.length > 0
			? [
					'',
					...table(
						['severity', 'rule', 'object', 'what happens'],
						findings.map(finding => [finding.severity, finding.rule, finding.object, finding.message]),
					),
				]
			: []),
	];
}

export function renderReport(state: ReportState, now = new Date()): string {
	const lines = [
		'# todo-deploy report',
		'',
		`Project ${state.project}, written ${now.toISOString()}. Every line below was observed by todo-deploy; a step that did not run says so.`,
		'',
		...table(
			['step', 'result', 'when'],
			sectionNames.map(name => {
				const section = state.sections[name];
				return [titles[name], mark(section?.status ?? 'not run'), section?.at ?? ''];
			}),
		),
	];
	for (const name of sectionNames) {
		const section = state.sections[name];
		lines.push('', `## ${titles[name]}: ${mark(section?.status ?? 'not run')}`, '');
		if (!section) {
			lines.push('Not run, so nothing is claimed.');
			continue;
		}

		const renderers: Record<SectionName, (data: never) => string[]> = {
			environment: environmentLines,
			chart: chartLines,
			images: imagesLines,
			scan: scanLines,
			lint: lintLines,
			deploy: deployLines,
			verify: verifyLines,
		};
		// A record of an unexpected shape (an older todo-deploy's) costs its own section, never the report.
		try {
			lines.push(...renderers[name]((section.data ?? {}) as never));
		} catch {
			lines.push('The record of this step is of a shape this version does not read; run the step again to record it anew.');
		}
	}

	return `${lines.join('\n')}\n`;
}
