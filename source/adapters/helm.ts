// Helm: version.
import {describeRunFailure, firstSemver, probeTool, type System} from './system.js';

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

export type RenderResult =
	| {readonly ok: true; readonly manifest: string}
	| {readonly ok: false; readonly error: string};

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
	return {ok: false, error: result.timedOut ? `helm template did not finish within ${request.timeoutMs / 1000} s` : message || describeRunFailure('helm template', result)};
}
