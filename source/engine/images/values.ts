// The chart values that name the images: their repositories (under the registry, when pushed) and
// their content tags, and where the pods get them. Never a secret.
import type {System} from '../../adapters/system.js';
import type {ImageSource} from '../project/discover.js';
import type {ImageName, ImagePlan} from './actions.js';
import {planImage} from './plan.js';

export function chartImageValues(plans: readonly ImagePlan[], registry: string | undefined): Record<string, string> {
	const values: Record<string, string> = {imageSource: registry ? 'registry' : 'local'};
	for (const plan of plans) {
		values[`${plan.name}.image.repository`] = registry ? `${registry.replace(/\/$/, '')}/${plan.repository}` : plan.repository;
		values[`${plan.name}.image.tag`] = plan.tag;
	}

	return values;
}

/** The tags `build` gives these sources now, without building: what deploy names. */
export async function plannedImageValues(
	system: System,
	root: string,
	sources: Readonly<Partial<Record<ImageName, ImageSource>>>,
	registry: string | undefined,
): Promise<Record<string, string>> {
	const plans: ImagePlan[] = [];
	for (const name of ['backend', 'frontend'] as const) {
		const source = sources[name];
		if (source) {
			try {
				plans.push((await planImage(system, root, name, source, {})).plan);
			} catch (error) {
				throw new Error(`the ${name} image: ${error instanceof Error ? error.message : String(error)}`, {cause: error});
			}
		}
	}

	return chartImageValues(plans, registry);
}
