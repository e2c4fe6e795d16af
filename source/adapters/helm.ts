// Helm: version.
import {firstSemver, probeTool, type System} from './system.js';

/** `helm version --short` prints "v4.1.4+g05fa379" (Helm 2 printed "Client: v2.16.1+g…"). */
export function parseHelmVersion(output: string): string | undefined {
	return firstSemver(output);
}

export async function probeHelm(system: System, timeoutMs: number) {
	return probeTool(system, 'helm', ['version', '--short'], parseHelmVersion, timeoutMs);
}
