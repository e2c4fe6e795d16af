// The chart values that name the images: their repositories (under the registry, when pushed) and
// their content tags, and where the pods get them. Never a secret.
import type {System} from '../../adapters/system.js';
import type {FittedChart} from '../deploy/fit.js';
import type {ImageSource} from '../project/discover.js';
import type {ImageName, ImagePlan} from './actions.js';
import {planImage} from './plan.js';
import type {ContextGuard} from './guard.js';

export function chartImageValues(plans: readonly ImagePlan[], registry: string | undefined): Record<string, string> {
	const values: Record<string, string> = {imageSource: registry ? 'registry' : 'local'};
	for (const plan of plans) {
		values[`${plan.name}.image.repository`] = registry ? `${registry.replace(/\/$/, '')}/${plan.repository}` : plan.repository;
		values[`${plan.name}.image.tag`] = plan.tag;
	}

	return values;
}

export type BuildArgs = Readonly<Partial<Record<ImageName, Readonly<Record<string, string>>>>>;

/**
 * Each image's build arguments: what its build bakes in, as the app's fit has it (the backend's address
 * for NEXT_PUBLIC_*), then the ones given with --build-arg, which win.
 */
export function imageBuildArgs(fitted: FittedChart | undefined, given: Readonly<Record<string, string>> = {}): BuildArgs {
	const baked = fitted?.buildArgs ?? {};
	return {backend: {...baked.backend, ...given}, frontend: {...baked.frontend, ...given}};
}

/** The tags `build` gives these sources now, without building: what deploy names. */
export async function plannedImages(
	system: System,
	root: string,
	sources: Readonly<Partial<Record<ImageName, ImageSource>>>,
	buildArgs: BuildArgs = {},
	/** What build leaves out of each context (guard.ts): it is part of the tag, so deploy names what build made. */
	guards: Readonly<Partial<Record<ImageName, ContextGuard>>> = {},
): Promise<ImagePlan[]> {
	const plans: ImagePlan[] = [];
	for (const name of ['backend', 'frontend'] as const) {
		const source = sources[name];
		if (source) {
			try {
				plans.push((await planImage(system, root, name, source, buildArgs[name] ?? {}, guards[name])).plan);
			} catch (error) {
				throw new Error(`the ${name} image: ${error instanceof Error ? error.message : String(error)}`, {cause: error});
			}
		}
	}

	return plans;
}
