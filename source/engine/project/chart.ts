// The chart to deploy: --chart, then the project's (todo-deploy.json or discovered), then
// charts/todo-app in the current folder, then the one todo-deploy ships.
import {existsSync, readFileSync} from 'node:fs';
import {access} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

/** todo-deploy's own folder (where package.json, assets/ and charts/ are), from wherever this code runs. */
export function packageRoot(from = path.dirname(fileURLToPath(import.meta.url))): string {
	for (let dir = from; ; dir = path.dirname(dir)) {
		const manifest = path.join(dir, 'package.json');
		if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as {name?: string}).name === 'todo-deploy') {
			return dir;
		}

		if (path.dirname(dir) === dir) {
			throw new Error(`todo-deploy's package.json was not found above ${from}`);
		}
	}
}

export const shippedChart = () => path.join(packageRoot(), 'charts', 'todo-app');

const isChart = async (dir: string) =>
	access(path.join(dir, 'Chart.yaml')).then(
		() => true,
		() => false,
	);

/** charts/todo-app in the current folder, or the chart todo-deploy ships. */
export async function defaultChart(cwd = process.cwd()): Promise<string> {
	const local = path.resolve(cwd, 'charts/todo-app');
	return (await isChart(local)) ? local : shippedChart();
}

/** What --chart and todo-deploy.json say for todo-deploy's own chart, fitted to the app. */
export const builtinChart = 'builtin';

export async function chartToDeploy(root: string, given: string | undefined, found: string | undefined): Promise<string> {
	if (given) {
		return given === builtinChart ? shippedChart() : path.resolve(given);
	}

	return found ? (found === builtinChart ? shippedChart() : path.resolve(root, found)) : defaultChart();
}

export {isChart};

/**
 * The chart `deploy` installs when no --chart is given: the project's, unless the last `up` here
 * found it would not deploy cleanly and installed todo-deploy's, fitted, instead; then that one again,
 * so that a second deploy does not swap the release's chart (and its pods) from under it.
 */
export async function chartAfterUp(root: string, chart: string): Promise<{readonly chart: string; readonly why: string | undefined}> {
	if (chart === shippedChart()) {
		return {chart, why: undefined};
	}

	const {readReportState} = await import('../report/run.js');
	const data = (await readReportState(root)).sections.chart?.data as {chart?: unknown; why?: unknown} | undefined;
	return data?.chart === "todo-deploy's chart" && typeof data.why === 'string' && data.why.startsWith("the project's chart")
		? {chart: shippedChart(), why: data.why}
		: {chart, why: undefined};
}
