// kind: version and clusters.
import {firstSemver, probeTool, type System, type ToolProbe} from './system.js';

/** `kind version` prints "kind v0.29.0 go1.24.2 linux/amd64". */
export function parseKindVersion(output: string): string | undefined {
	return /kind (?<version>v\d+\.\d+\.\d+\S*)/.exec(output)?.groups?.['version'] ?? firstSemver(output);
}

/** `kind get clusters` prints one name a line on stdout; "No kind clusters found." goes to stderr. */
export function parseKindClusters(stdout: string): string[] {
	return stdout.split('\n').map(line => line.trim()).filter(line => /^[a-z0-9][a-z0-9.-]*$/.test(line));
}

export async function probeKind(system: System, timeoutMs: number): Promise<ToolProbe & {clusters: string[] | undefined; clusterError: string | undefined}> {
	const probe = await probeTool(system, 'kind', ['version'], parseKindVersion, timeoutMs);
	if (!probe.path) {
		return {...probe, clusters: undefined, clusterError: undefined};
	}

	const list = await system.run(probe.path, ['get', 'clusters'], {timeoutMs});
	if (list.exitCode === 0) {
		return {...probe, clusters: parseKindClusters(list.stdout), clusterError: undefined};
	}

	return {...probe, clusters: undefined, clusterError: list.timedOut ? 'did not answer in time' : (list.stderr || list.stdout).trim().split('\n').at(-1)};
}
