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

/** The values of one helm call, as helm takes them: files in order, then --set pairs (the last wins). */
export type HelmValues = {readonly files: readonly string[]; readonly sets: Readonly<Record<string, string>>};

export const valueArgs = (values: HelmValues): string[] => [
	...values.files.flatMap(file => ['--values', file]),
	...Object.entries(values.sets).flatMap(([key, value]) => ['--set', `${key}=${value}`]),
];

export type RenderRequest = {
	readonly chart: string;
	readonly release: string;
	readonly namespace: string;
	readonly values: HelmValues;
	readonly timeoutMs: number;
};

/** The chart as helm would install it (hooks included), and the values helm computed for it (its own merge: null deletes a key). */
export type RenderResult = {readonly ok: true; readonly manifest: string; readonly values: unknown} | {readonly ok: false; readonly error: string};

/** The sections of `helm install --dry-run=client --debug`: COMPUTED VALUES, then HOOKS, MANIFEST and NOTES. */
export function parseDryRun(output: string): {readonly values: string; readonly manifest: string} | undefined {
	const computed = output.indexOf('COMPUTED VALUES:\n');
	const hooks = output.indexOf('\nHOOKS:\n', computed);
	const manifest = output.indexOf('\nMANIFEST:\n', hooks);
	if (computed === -1 || hooks === -1 || manifest === -1) {
		return undefined;
	}

	const notes = output.indexOf('\nNOTES:\n', manifest);
	return {
		values: output.slice(computed + 'COMPUTED VALUES:\n'.length, hooks),
		manifest: `${output.slice(hooks + '\nHOOKS:\n'.length, manifest)}\n${output.slice(manifest + '\nMANIFEST:\n'.length, notes === -1 ? undefined : notes)}`,
	};
}

const renders = new Map<string, Promise<RenderResult>>();

/**
 * The chart rendered locally, as Helm would install it, with the values Helm computes (one
 * `helm install --dry-run=client --debug`, which talks to no cluster). The same chart and values are
 * rendered once per run. parse: the computed values' YAML as the caller reads it.
 */
export async function renderChart(system: System, request: RenderRequest, parse: (yaml: string) => unknown): Promise<RenderResult> {
	const helm = await system.which('helm');
	if (!helm) {
		return {ok: false, error: 'Helm is not installed; run: npx todo-deploy install helm'};
	}

	const args = ['install', request.release, request.chart, '--namespace', request.namespace, '--dry-run=client', '--debug', ...valueArgs(request.values)];
	const contents = await Promise.all(request.values.files.map(async file => (await system.readFile(file)) ?? ''));
	const key = JSON.stringify([helm, args, contents]);
	const known = renders.get(key);
	if (known) {
		return known;
	}

	const rendering = renderOnce(system, helm, args, request.timeoutMs, parse);
	renders.set(key, rendering);
	return rendering;
}

async function renderOnce(system: System, helm: string, args: readonly string[], timeoutMs: number, parse: (yaml: string) => unknown): Promise<RenderResult> {
	const result = await system.run(helm, args, {timeoutMs});
	if (result.exitCode !== 0) {
		const message = (result.stderr || result.stdout)
			.split('\n')
			// --debug logs every step on stderr; the error is what is left.
			.filter(line => !/^level=(DEBUG|INFO)\b/.test(line))
			.join('\n')
			.replace(/\n*Use --debug flag to render out invalid YAML\s*$/, '')
			// A dry run installs nothing: helm's "INSTALLATION FAILED" would say otherwise.
			.replace(/^Error: (INSTALLATION FAILED: )?/, '')
			.trim();
		if (/invalid argument "client" for "--dry-run"/.test(message)) {
			return {ok: false, error: 'this Helm is too old to render a chart without a cluster (it needs 3.13 or newer): npx todo-deploy install helm'};
		}

		return {
			ok: false,
			error: result.timedOut ? `helm did not render the chart within ${timeoutMs / 1000} s` : message || describeRunFailure('helm install --dry-run', result),
		};
	}

	const sections = parseDryRun(result.stdout);
	if (!sections) {
		return {ok: false, error: `helm install --dry-run printed no manifest: ${result.stdout.slice(0, 200)}`};
	}

	try {
		return {ok: true, manifest: sections.manifest, values: parse(sections.values)};
	} catch (error) {
		return {ok: false, error: `helm computed values that do not parse: ${error instanceof Error ? error.message : String(error)}`};
	}
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
