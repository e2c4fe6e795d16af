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
