// Helm: its version, rendering a chart, a release's history, and any helm command against the command's cluster target.
import type {ClusterTarget} from '../engine/cluster-target.js';
import {describeRunFailure, firstSemver, probeTool, type System} from './system.js';

/** What helm needs of the target: the context (and kubeconfig) to use, and the namespace. */
export type HelmTarget = Pick<ClusterTarget, 'helmArgs' | 'namespace'>;

/** `helm version --short` prints "v4.1.4+g05fa379" (Helm 2 printed "Client: v2.16.1+g…"). */
export function parseHelmVersion(output: string): string | undefined {
	return firstSemver(output);
}

export async function probeHelm(system: System, timeoutMs: number) {
	return probeTool(system, 'helm', ['version', '--short'], parseHelmVersion, timeoutMs);
}

export type RenderRequest = {
	readonly chart: string;
	readonly release: string;
	readonly namespace: string;
	readonly valuesFiles: readonly string[];
	readonly timeoutMs: number;
};

export type RenderResult = {readonly ok: true; readonly manifest: string} | {readonly ok: false; readonly error: string};

/** `helm template`: the chart rendered locally, as Helm would install it (hooks and tests included). */
export async function renderChart(system: System, request: RenderRequest): Promise<RenderResult> {
	const helm = await system.which('helm');
	if (!helm) {
		return {ok: false, error: 'Helm is not installed; run: npx todo-deploy install helm'};
	}

	const args = ['template', request.release, request.chart, '--namespace', request.namespace, ...request.valuesFiles.flatMap(file => ['--values', file])];
	const result = await system.run(helm, args, {timeoutMs: request.timeoutMs});
	if (result.exitCode === 0) {
		return {ok: true, manifest: result.stdout};
	}

	const message = (result.stderr || result.stdout).replace(/\n*Use --debug flag to render out invalid YAML\s*$/, '').trim();
	return {
		ok: false,
		error: result.timedOut ? `helm template did not finish within ${request.timeoutMs / 1000} s` : message || describeRunFailure('helm template', result),
	};
}

export type ReleaseState = {readonly status: string; readonly revision: number; readonly lastDeployed: number | undefined};

/** `helm history -o json`: the release's revisions; undefined when there is no such release. */
export async function releaseHistory(
	system: System,
	helm: string,
	release: string,
	target: HelmTarget,
): Promise<Array<{revision: number; status: string}> | undefined> {
	const result = await runHelm(system, helm, ['history', release, '--output', 'json', '--max', '20'], target, 60_000);
	if (result.exitCode !== 0) {
		if (/release: not found/i.test(result.stderr)) {
			return undefined;
		}

		throw new Error((result.stderr || result.stdout).trim() || describeRunFailure('helm history', result));
	}

	try {
		return (JSON.parse(result.stdout) as Array<{revision: number; status: string}>).map(entry => ({
			revision: Number(entry.revision),
			status: String(entry.status),
		}));
	} catch {
		throw new Error(`helm history printed something other than JSON: ${result.stdout.slice(0, 200)}`);
	}
}

/** The state of a release from its history: the newest revision, and the newest that deployed. */
export function releaseState(history: ReadonlyArray<{revision: number; status: string}>): ReleaseState | undefined {
	const sorted = [...history].sort((a, b) => b.revision - a.revision);
	const newest = sorted[0];
	if (!newest) {
		return undefined;
	}

	return {
		status: newest.status,
		revision: newest.revision,
		lastDeployed: sorted.find(entry => entry.status === 'deployed' || entry.status === 'superseded')?.revision,
	};
}

export function isPending(status: string): boolean {
	return /^pending-(install|upgrade|rollback)$/.test(status);
}

/** Runs helm against the target's cluster and namespace; output comes back for the caller to explain. */
export async function runHelm(system: System, helm: string, args: readonly string[], target: HelmTarget, timeoutMs: number) {
	return system.run(helm, [...args, '--namespace', target.namespace, ...target.helmArgs], {timeoutMs});
}
