// Trivy: version.
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

/** Why a scan failed, in words, from what Trivy printed. */
export function explainTrivyFailure(output: string): {message: string; fix: string | undefined; dbUnavailable: boolean} {
	if (/first run cannot skip downloading DB|cannot be specified on the first run/i.test(output)) {
		return {
			message: 'Trivy has no vulnerability database yet, and --skip-db-update forbids downloading one.',
			fix: "Run once with internet access (todo-deploy scan), or copy a database into ~/.cache/trivy/db (Trivy's air-gap guide).",
			dbUnavailable: true,
		};
	}

	if (/failed to download vulnerability DB|DB error|failed to download .*db/i.test(output)) {
		return {
			message: 'Trivy could not download its vulnerability database (offline, or the registry is blocked).',
			fix: 'Continue with the database Trivy already has: todo-deploy scan --skip-db-update',
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
