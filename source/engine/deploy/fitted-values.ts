// The fitted values as a file helm reads (JSON is YAML): .todo-deploy/values.fitted.yaml. It holds
// ports, paths, addresses and names, never a secret value; the user's own -f files and --set win.
import {readFile} from 'node:fs/promises';
import {ensureStateDir, stateDirName, writePrivate} from '../../adapters/state-dir.js';
import path from 'node:path';
import {load} from 'js-yaml';
import type {FittedChart} from './fit.js';

export const fittedValuesFile = (root: string) => path.join(root, stateDirName, 'values.fitted.yaml');

export async function writeFittedValues(root: string, values: Readonly<Record<string, unknown>>): Promise<string> {
	const file = fittedValuesFile(root);
	await ensureStateDir(root);
	await writePrivate(file, `# Written by todo-deploy: its chart fitted to what the app's code reads (no secret values).\n${JSON.stringify(values, null, 2)}\n`);
	return file;
}

/**
 * The app's fit as this chart takes it, when the chart takes the app's names (todo-deploy's chart, or
 * a copy of it: its values have backend.secretEnv); undefined for a chart of the project's own. The
 * fit itself is made once per run (fitChart); a chart only adds its own database defaults.
 */
export async function fitForChart(chart: string, fitted: FittedChart): Promise<FittedChart | undefined> {
	const text = await readFile(path.join(chart, 'values.yaml'), 'utf8').catch(() => undefined);
	let values: unknown;
	try {
		values = text === undefined ? undefined : load(text);
	} catch {
		return undefined;
	}

	const backend = isMap(values) && isMap(values['backend']) ? values['backend'] : undefined;
	if (!backend || !('secretEnv' in backend)) {
		return undefined;
	}

	if (fitted.databaseFrom === 'project') {
		return fitted;
	}

	const postgresql = isMap(values) && isMap(values['postgresql']) ? values['postgresql'] : {};
	const stringOr = (value: unknown, fallback: string) => (typeof value === 'string' && value ? value : fallback);
	return {...fitted, database: {user: stringOr(postgresql['username'], fitted.database.user), name: stringOr(postgresql['database'], fitted.database.name)}};
}

const isMap = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
