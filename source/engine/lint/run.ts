// todo-deploy lint: render the chart with the real helm, check the objects, render again with markers.
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {load, loadAll} from 'js-yaml';
import {renderChart, type HelmValues, type RenderResult} from '../../adapters/helm.js';
import type {System} from '../../adapters/system.js';
import {lintObjects, type Finding, type LintTarget} from './checks.js';
import type {K8sObject} from './objects.js';
import type {AppContract} from '../project/read-contract.js';
import {analyseSentinels, planSentinels} from './sentinels.js';

export type LintRequest = {
	readonly chart: string;
	/** The values deploy gives helm (the same files and --set pairs), so lint checks what will be installed. */
	readonly values: HelmValues;
	readonly target: LintTarget;
	readonly release?: string;
	readonly namespace?: string;
	/** What the app's code reads, to check each pod gets it. */
	readonly contract?: AppContract | undefined;
	/** The Secret deploy writes before helm runs (its name), which the chart may take as existing. */
	readonly madeByDeploy?: string | undefined;
};

export type LintResult = {
	readonly chart: string;
	readonly objects: number;
	readonly findings: readonly Finding[];
	/** Set when the chart did not render: nothing else could be checked. */
	readonly renderError: string | undefined;
	/** Why the second render (values with no effect, hard-coded secrets) was skipped, if it was. */
	readonly sentinelSkipped: string | undefined;
};

function isPlainObject(value: unknown): value is Record<string, unknown> {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function parseManifest(manifest: string): K8sObject[] {
	return loadAll(manifest).filter((document): document is K8sObject => isPlainObject(document) && typeof document['kind'] === 'string');
}

export async function runLint(system: System, request: LintRequest): Promise<LintResult> {
	const folder = await mkdtemp(path.join(os.tmpdir(), 'todo-deploy-lint-'));
	try {
		return await lintIn(system, request, folder);
	} finally {
		await rm(folder, {recursive: true, force: true});
	}
}

async function lintIn(system: System, request: LintRequest, folder: string): Promise<LintResult> {
	const release = request.release ?? 'todo';
	const namespace = request.namespace ?? 'default';
	const render = async (extraFiles: readonly string[], as = release) =>
		renderChart(
			system,
			// Marker values go after the files and before the --set pairs, which still win as they do at deploy time.
			{chart: request.chart, release: as, namespace, values: {files: [...request.values.files, ...extraFiles], sets: request.values.sets}, timeoutMs: 60_000},
			yaml => load(yaml),
		);
	const first = await render([]);
	if (!first.ok) {
		return {chart: request.chart, objects: 0, findings: [], renderError: first.error, sentinelSkipped: 'the chart did not render'};
	}

	let objects: K8sObject[];
	try {
		objects = parseManifest(first.manifest);
	} catch (error) {
		return {
			chart: request.chart,
			objects: 0,
			findings: [],
			renderError: `helm rendered YAML that does not parse: ${error instanceof Error ? error.message : String(error)}`,
			sentinelSkipped: 'the chart did not render',
		};
	}

	// The values as helm merged them (chart defaults, the files, the --set pairs; null deletes a key).
	const {values} = first;
	const existingSecret = isPlainObject(values) && isPlainObject(values['secrets']) ? values['secrets']['existingSecret'] : undefined;
	const external = new Set(typeof existingSecret === 'string' && existingSecret ? [existingSecret] : []);
	const findings = lintObjects(objects, {target: request.target, external, contract: request.contract, madeByDeploy: request.madeByDeploy});

	findings.push(
		...(await releaseNameFindings(render, request, objects, {
			target: request.target,
			external,
			contract: request.contract,
			madeByDeploy: request.madeByDeploy,
		})),
	);

	const plan = planSentinels(values, new Set(Object.keys(request.values.sets)));
	let sentinelSkipped: string | undefined;
	const overrides = path.join(folder, 'markers.yaml');
	await writeFile(overrides, JSON.stringify(plan.overrides), {mode: 0o600});
	const second = await render([overrides]);
	if (second.ok) {
		findings.push(...analyseSentinels(plan, objects, parseManifest(second.manifest)));
	} else {
		sentinelSkipped = `the chart did not render with marker values (${second.error.split('\n')[0] ?? ''})`;
	}

	return {chart: request.chart, objects: objects.length, findings, renderError: undefined, sentinelSkipped};
}

/** A release name no chart would write out literally. */
const otherRelease = 'lint-other-release';

/**
 * References that resolve only for the release name the chart was rendered with (an object named
 * from .Release.Name in one template and written out literally in another): rendered again under
 * another name, what breaks only then is a finding.
 */
async function releaseNameFindings(
	render: (extraFiles: readonly string[], release?: string) => Promise<RenderResult>,
	request: LintRequest,
	objects: readonly K8sObject[],
	context: Parameters<typeof lintObjects>[1],
): Promise<Finding[]> {
	const again = await render([], otherRelease);
	if (!again.ok) {
		return [];
	}

	const release = request.release ?? 'todo';
	const key = (finding: Finding, name: string) => `${finding.object.replaceAll(name, 'RELEASE')}|${finding.message.replaceAll(name, 'RELEASE')}`;
	const first = new Set(
		lintObjects(objects, context)
			.filter(finding => finding.rule === 'reference')
			.map(finding => key(finding, release)),
	);
	return lintObjects(parseManifest(again.manifest), context)
		.filter(finding => finding.rule === 'reference' && finding.severity === 'error' && !first.has(key(finding, otherRelease)))
		.map(finding => ({
			...finding,
			object: finding.object.replaceAll(otherRelease, release),
			message: `${finding.message.replace(/: the pod will stay in CreateContainerConfigError$/, '')} when the release has another name than "${release}": a name is written out in one template and made from .Release.Name in another`,
			fix: `Name it from the release in every template ({{ .Release.Name }}-… or the chart's fullname helper), or lint with the release you deploy: todo-deploy lint --release NAME.`,
		}));
}

export function lintFailed(report: LintResult): boolean {
	return report.renderError !== undefined || report.findings.some(finding => finding.severity === 'error');
}
