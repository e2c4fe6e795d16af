// The names the chart gives what it makes (its fullname rule), and the digest of a chart's files.
import {createHash} from 'node:crypto';
import {readFile} from 'node:fs/promises';
import {digestFolder} from '../../adapters/build-context.js';

const chartName = 'todo-app';

/** The chart's files and the values files' contents, as one hash: part of a deploy's fingerprint. */
export async function chartDigestOf(chart: string, valuesFiles: readonly string[]): Promise<string> {
	const values = await Promise.all(valuesFiles.map(async file => readFile(file, 'utf8').catch(() => '')));
	return createHash('sha256')
		.update(JSON.stringify([await digestFolder(chart), values]))
		.digest('hex');
}

/** The chart's fullname rule (_helpers.tpl): the release name when it already holds the chart's name. */
export function fullnameOf(release: string): string {
	return (release.includes(chartName) ? release : `${release}-${chartName}`).slice(0, 63).replace(/-+$/, '');
}

export const secretNameOf = (release: string) => `${fullnameOf(release)}-app-secrets`.slice(0, 253);
