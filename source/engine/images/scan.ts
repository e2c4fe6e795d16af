// Trivy on one image, its JSON output saved, and fresh output for the same image ID used again.
import {mkdir, readFile, rename, rm, stat, writeFile} from 'node:fs/promises';
import path from 'node:path';
import type {System} from '../../adapters/system.js';
import {explainTrivyFailure, parseTrivyVersion, trivyDatabasePath, trivyImageArgs} from '../../adapters/trivy.js';
import type {ImagePlan, ScanStatus} from './actions.js';
import {parseTrivyignore, summarizeScan, type GateRule, type ScanSummary} from './scan-results.js';
import {messageOf} from '../errors.js';
import type {ImagesRequest} from './run.js';

// scanners: a report made with other scanners (before secrets were scanned) is not used again.
type ScanMeta = {imageId: string; scannedAt: string; trivyVersion: string | undefined; skipDbUpdate: boolean; scanners?: string};
const scanners = 'vuln,secret';

/** engineEnv: DOCKER_HOST and the rest when the image lives in another engine (minikube's), which Trivy reads from the environment. */
export async function scanImage(
	system: System,
	plan: ImagePlan,
	imageId: string,
	request: ImagesRequest,
	engineEnv?: Readonly<Record<string, string>>,
): Promise<ScanStatus> {
	const started = performance.now();
	const resultsFile = path.join(request.scansDir, `${plan.repository}-${plan.tag}.trivy.json`);
	const metaFile = path.join(request.scansDir, `${plan.repository}-${plan.tag}.scan.json`);
	const ignoreFile = path.join(request.root, '.trivyignore');
	const ignoreText = await readFile(ignoreFile, 'utf8').catch(() => undefined);
	const rule: GateRule = {...request.gate, ignored: [...request.gate.ignored, ...(ignoreText ? parseTrivyignore(ignoreText) : [])]};
	const summarize = (json: string): ScanSummary => summarizeScan(json, rule);

	if (!request.rescan) {
		const meta = await readFile(metaFile, 'utf8')
			.then(text => JSON.parse(text) as ScanMeta)
			.catch(() => undefined);
		const fresh =
			meta && meta.imageId === imageId && meta.scanners === scanners && Date.now() - Date.parse(meta.scannedAt) < (request.scanMaxAgeMs ?? 24 * 3_600_000);
		const json = fresh ? await readFile(resultsFile, 'utf8').catch(() => undefined) : undefined;
		if (json) {
			try {
				return {type: 'done', summary: summarize(json), reportPath: resultsFile, cached: true, durationMs: performance.now() - started};
			} catch {
				// A damaged report is scanned again.
			}
		}
	}

	const trivy = await system.which('trivy');
	if (!trivy) {
		return {type: 'failed', message: 'Trivy is not installed, so the image was not scanned.', fix: 'npx todo-deploy install trivy (no sudo needed)'};
	}

	await mkdir(request.scansDir, {recursive: true, mode: 0o700});
	const temporary = `${resultsFile}.${process.pid}.tmp`;
	const result = await system.run(
		trivy,
		trivyImageArgs(plan.ref, {
			output: temporary,
			skipDbUpdate: request.skipDbUpdate,
			ignoreFile: ignoreText === undefined ? undefined : ignoreFile,
			timeoutMs: 15 * 60_000,
		}),
		{timeoutMs: 15 * 60_000, ...(engineEnv ? {env: {...system.env, ...engineEnv}} : {})},
	);
	const json = result.exitCode === 0 ? await readFile(temporary, 'utf8').catch(() => undefined) : undefined;
	if (json === undefined) {
		await rm(temporary, {force: true});
		const hasDatabase = await stat(trivyDatabasePath(system.env)).then(
			found => found.isFile(),
			() => false,
		);
		const explained = explainTrivyFailure(
			result.timedOut ? 'FATAL the scan did not finish within 15 minutes' : `${result.stderr}\n${result.stdout}`,
			hasDatabase,
		);
		return {type: 'failed', message: explained.message, fix: explained.fix};
	}

	let summary: ScanSummary;
	try {
		summary = summarize(json);
	} catch (error) {
		await rm(temporary, {force: true});
		return {type: 'failed', message: messageOf(error), fix: undefined};
	}

	await rename(temporary, resultsFile);
	const version = await system.run(trivy, ['--version'], {timeoutMs: 10_000});
	const meta: ScanMeta = {
		imageId,
		scannedAt: new Date().toISOString(),
		trivyVersion: parseTrivyVersion(version.stdout),
		skipDbUpdate: request.skipDbUpdate,
		scanners,
	};
	await writeFile(metaFile, `${JSON.stringify(meta, null, 2)}\n`, {mode: 0o600});
	return {type: 'done', summary, reportPath: resultsFile, cached: false, durationMs: performance.now() - started};
}
