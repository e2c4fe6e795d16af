// The tags the last builds here made, per image, and the names of the build arguments each took:
// deploy names what build made, and a tag no build here could have made is said before helm runs.
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {ensureStateDir, stateDirName, writePrivate} from '../../adapters/state-dir.js';
import type {ImageName, ImagePlan} from './actions.js';

export type BuiltImage = {readonly ref: string; readonly tag: string; readonly sourceTag: string; readonly buildArgs: readonly string[]; readonly at: string};

export type Builds = Readonly<Partial<Record<ImageName, BuiltImage>>>;

const buildsFile = (root: string) => path.join(root, stateDirName, 'builds.json');

export async function readBuilds(root: string): Promise<Builds> {
	const text = await readFile(buildsFile(root), 'utf8').catch(() => undefined);
	try {
		const parsed = text ? (JSON.parse(text) as unknown) : {};
		return typeof parsed === 'object' && parsed !== null ? (parsed as Builds) : {};
	} catch {
		return {};
	}
}

export async function recordBuilds(root: string, plans: readonly ImagePlan[], now = new Date()): Promise<void> {
	if (plans.length === 0) {
		return;
	}

	const known = await readBuilds(root);
	const next: Partial<Record<ImageName, BuiltImage>> = {...known};
	for (const plan of plans) {
		next[plan.name] = {ref: plan.ref, tag: plan.tag, sourceTag: plan.sourceTag, buildArgs: plan.buildArgs, at: now.toISOString()};
	}

	await ensureStateDir(root);
	await writePrivate(buildsFile(root), `${JSON.stringify(next, null, 2)}\n`);
}

/** A tag deploy would name that no build of these sources made here, while a build of the same sources with other build arguments did. */
export type UnbuiltTag = {readonly name: ImageName; readonly planned: ImagePlan; readonly built: BuiltImage};

/** Pure: the planned tags that the builds here contradict (same sources, other build arguments). */
export function unbuiltTags(plans: readonly ImagePlan[], builds: Builds): UnbuiltTag[] {
	return plans.flatMap(planned => {
		const built = builds[planned.name];
		return built && built.sourceTag === planned.sourceTag && built.tag !== planned.tag ? [{name: planned.name, planned, built}] : [];
	});
}
