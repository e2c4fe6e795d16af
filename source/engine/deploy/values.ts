// The values of a release, as helm gets them: one path for lint and deploy, so lint checks exactly
// what deploy installs. Files first (the fitted values, then the user's -f files), then --set pairs
// (the images, the Secret's name, the user's --set); helm merges them (a null deletes a key).
import type {HelmValues} from '../../adapters/helm.js';
import type {FittedChart} from './fit.js';
import {writeFittedValues} from './fitted-values.js';
import {secretNameOf} from './names.js';

export type ValuesParts = {
	/** todo-deploy's chart fitted to the app; undefined for a chart of the project's own. */
	readonly fit: FittedChart | undefined;
	/** The values that name the images (never a secret), and the user's --set pairs after them. */
	readonly sets: Readonly<Record<string, string>>;
	/** The user's -f files, in order. */
	readonly files: readonly string[];
	readonly release: string;
};

/** Writes the fitted values under dir's .todo-deploy/ and returns what helm is given. */
export async function releaseValues(dir: string, parts: ValuesParts): Promise<HelmValues> {
	return {
		files: parts.fit ? [await writeFittedValues(dir, parts.fit.values), ...parts.files] : [...parts.files],
		sets: {...parts.sets, 'secrets.existingSecret': secretNameOf(parts.release)},
	};
}
