// kind: version and clusters.
import {firstSemver, probeTool, type System, type ToolProbe} from './system.js';

/** `kind version` prints "kind v0.29.0 go1.24.2 linux/amd64". */
export function parseKindVersion(output: string): string | undefined {
	return /kind (?<version>v\d+\.\d+\.\d+\S*)/.exec(output)?.groups?.['version'] ?? firstSemver(output);
}

/** `kind get clusters` prints one name a line on stdout; "No kind clusters found." goes to stderr. */
export function parseKindClusters(stdout: string): string[] {
	return stdout
		.split('\n')
		.map(line => line.trim())
		.filter(line => /^[a-z0-9][a-z0-9.-]*$/.test(line));
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

/** `kind get nodes --name C`: node container names; none when the cluster does not exist. */
export async function kindNodes(system: System, kind: string, cluster: string, timeoutMs: number): Promise<{nodes: string[]; error: string | undefined}> {
	const result = await system.run(kind, ['get', 'nodes', '--name', cluster], {timeoutMs});
	if (result.exitCode !== 0) {
		return {nodes: [], error: (result.stderr || result.stdout).trim().split('\n').at(-1) ?? 'kind get nodes failed'};
	}

	return {nodes: parseKindClusters(result.stdout), error: undefined};
}

/** `crictl images -o json` on a node: {"images":[{"id":…,"repoTags":["docker.io/library/todo-backend:git-…"]}]}. */
export function parseCrictlImages(output: string): string[] | undefined {
	try {
		const images = (JSON.parse(output) as {images?: Array<{repoTags?: unknown}>}).images;
		return Array.isArray(images)
			? images.flatMap(image => (Array.isArray(image.repoTags) ? image.repoTags.filter((tag): tag is string => typeof tag === 'string') : []))
			: undefined;
	} catch {
		return undefined;
	}
}

/** `crictl inspecti -o json IMAGE` on a node: {"status":{"id":"sha256:…"}}. */
export function parseCrictlImageId(output: string): string | undefined {
	try {
		const id = (JSON.parse(output) as {status?: {id?: unknown}}).status?.id;
		return typeof id === 'string' && id !== '' ? id : undefined;
	} catch {
		return undefined;
	}
}

export type KindLoadResult =
	| {readonly type: 'loaded'; readonly nodes: readonly string[]}
	| {readonly type: 'already-present'}
	| {readonly type: 'failed'; readonly message: string; readonly output: string};

/** Reads what `kind load docker-image` printed: which nodes it loaded, or that all had the image. */
export function parseKindLoad(exitCode: number | undefined, output: string): KindLoadResult {
	if (exitCode === 0 && /found to be already present on all nodes/.test(output)) {
		return {type: 'already-present'};
	}

	if (exitCode === 0) {
		const nodes = [...output.matchAll(/not yet present on node "(?<node>[^"]+)"/g)].map(match => match.groups?.['node'] ?? '');
		return {type: 'loaded', nodes};
	}

	const error = /^ERROR: (?<message>.*)$/m.exec(output)?.groups?.['message'] ?? output.trim().split('\n').at(-1) ?? `exit code ${String(exitCode)}`;
	return {type: 'failed', message: error, output};
}
