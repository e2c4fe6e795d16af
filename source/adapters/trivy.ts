// Trivy: version.
import os from 'node:os';
import path from 'node:path';
import {firstSemver, probeTool, type System} from './system.js';

/** `trivy --version` prints "Version: 0.58.1" and then the database versions. */
export function parseTrivyVersion(output: string): string | undefined {
	const match = /^Version:\s*v?(?<version>\d+\.\d+\.\d+\S*)/m.exec(output);
	return match?.groups ? `v${match.groups['version']}` : firstSemver(output);
}

export async function probeTrivy(system: System, timeoutMs: number) {
	return probeTool(system, 'trivy', ['--version'], parseTrivyVersion, timeoutMs);
}

export type TrivyScanOptions = {
	readonly output: string;
	readonly skipDbUpdate: boolean;
	readonly ignoreFile: string | undefined;
	readonly timeoutMs: number;
};

/** Where Trivy keeps its vulnerability database: its cache folder (TRIVY_CACHE_DIR, else the user's cache), db/trivy.db. */
export function trivyDatabasePath(env: Readonly<Record<string, string | undefined>>): string {
	const cache = env['TRIVY_CACHE_DIR'] || path.join(env['XDG_CACHE_HOME'] || path.join(env['HOME'] || os.homedir(), '.cache'), 'trivy');
	return path.join(cache, 'db', 'trivy.db');
}

/** The registries that serve Trivy's database besides ghcr.io, as Trivy's own docs list them. */
const databaseMirrors = 'mirror.gcr.io/aquasec/trivy-db:2,public.ecr.aws/aquasecurity/trivy-db:2';

/** Why a scan failed, in words, from what Trivy printed; `hasDatabase`: Trivy has a database from an earlier download. */
export function explainTrivyFailure(output: string, hasDatabase = false): {message: string; fix: string | undefined; dbUnavailable: boolean} {
	if (/first run cannot skip downloading DB|cannot be specified on the first run/i.test(output)) {
		return {
			message: 'Trivy has no vulnerability database yet, and --skip-db-update forbids downloading one.',
			fix: "Run once with internet access (todo-deploy scan), or copy a database into ~/.cache/trivy/db (Trivy's air-gap guide).",
			dbUnavailable: true,
		};
	}

	const keep = hasDatabase ? ' Or go on with the database Trivy already has: todo-deploy scan --skip-db-update.' : '';
	const download = /failed to download vulnerability DB|DB error|failed to download .*db/i.test(output);
	if (download && /TOOMANYREQUESTS|429 Too Many Requests|rate limit exceeded/i.test(output)) {
		const registry = /GET https:\/\/([\w.-]+)\//.exec(output)?.[1] ?? 'its registry';
		return {
			message: `Trivy's database download was refused by ${registry} for too many requests (a rate limit shared by everyone who downloads it, not a fault here).`,
			fix: `Download it from a mirror: TRIVY_DB_REPOSITORY=${databaseMirrors} todo-deploy scan (Trivy reads that setting itself), or wait a few minutes and run again.${keep}`,
			dbUnavailable: true,
		};
	}

	if (download) {
		return {
			message: `Trivy could not download its vulnerability database (offline, or the registry is blocked)${hasDatabase ? '' : ', and it has none yet'}.`,
			fix: hasDatabase
				? 'Continue with the database Trivy already has: todo-deploy scan --skip-db-update'
				: `Let Trivy reach its registry (ghcr.io, or a mirror: TRIVY_DB_REPOSITORY=${databaseMirrors}), or copy a database into ${'~/.cache/trivy/db'} (Trivy's air-gap guide).`,
			dbUnavailable: true,
		};
	}

	if (/No such image|unable to find the specified image|image not found/i.test(output)) {
		return {message: 'Trivy could not find the image in Docker.', fix: 'Build it first: todo-deploy build', dbUnavailable: false};
	}

	const fatal = /(?:FATAL|ERROR)\s+(?<message>.+)$/m.exec(output)?.groups?.['message'];
	return {message: fatal ?? output.trim().split('\n').at(-1) ?? 'Trivy failed', fix: undefined, dbUnavailable: false};
}

/** `trivy image` arguments: the whole JSON report, every severity; the gate is applied afterwards. */
export function trivyImageArgs(image: string, options: TrivyScanOptions): string[] {
	return [
		'image',
		'--format',
		'json',
		'--output',
		options.output,
		'--quiet',
		'--scanners',
		'vuln,secret',
		'--image-src',
		'docker',
		...(options.skipDbUpdate ? ['--skip-db-update'] : []),
		...(options.ignoreFile ? ['--ignorefile', options.ignoreFile] : []),
		image,
	];
}
