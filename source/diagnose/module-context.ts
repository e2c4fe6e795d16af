// Pure: uvicorn's module that cannot be imported, checked against the files the image really holds
// (listed once from this machine's Docker): where the module's file lies under the image's WORKDIR,
// and the module name that would import it.
import path from 'node:path';
import type {PodRow} from './rows.js';

/** What an image holds, as listed: its WORKDIR and the files under it. */
export type ImageTree = {readonly workdir: string; readonly files: readonly string[]; readonly truncated: boolean};

export function withModuleContext(row: PodRow, trees: ReadonlyMap<string, ImageTree | 'unknown'>): PodRow {
	const module = row.diagnosis.module;
	const tree = module?.image ? trees.get(module.image) : undefined;
	if (!module || !tree || tree === 'unknown') {
		return row;
	}

	const relative = module.name.replaceAll('.', '/');
	const name = `${relative.split('/').at(-1) ?? relative}.py`;
	const expected = path.posix.join(tree.workdir, `${relative}.py`);
	const found = tree.files.filter(file => path.posix.basename(file) === name).sort((a, b) => a.length - b.length);
	const under = found.find(file => file.startsWith(`${tree.workdir}/`));
	const asModule = under ? under.slice(tree.workdir.length + 1, -'.py'.length).replaceAll('/', '.') : undefined;
	const seen = `the image ${module.image ?? ''} runs in ${tree.workdir} and holds ${found.length > 0 ? `${name} at ${found.slice(0, 3).join(', ')}` : `no ${name} under it${tree.truncated ? ' (among the files listed)' : ''}`}`;
	if (tree.files.includes(expected) || tree.files.includes(path.posix.join(tree.workdir, relative, '__init__.py'))) {
		// The file is there: the import itself failed (a module it imports is missing, or an error in it).
		return {
			...row,
			diagnosis: {
				...row.diagnosis,
				explanation: `${row.diagnosis.explanation} Here ${expected} is in the image, so the file is found: importing it failed (a package it imports is not installed, or an error in it; the lines above the ERROR say which).`,
				evidence: [...row.diagnosis.evidence, seen],
			},
		};
	}

	return {
		...row,
		diagnosis: {
			...row.diagnosis,
			fix: asModule
				? `The image has it at ${under ?? ''}: start it as uvicorn ${asModule}:app (or --app-dir), then todo-deploy up. ${row.diagnosis.fix}`
				: found[0]
					? `The image has ${name} at ${found[0]}, outside ${tree.workdir}: set WORKDIR to ${path.posix.dirname(found[0])} (or --app-dir), then todo-deploy up.`
					: `The image has no ${name}: COPY the code that holds it (and check .dockerignore does not leave it out), then todo-deploy up.`,
			evidence: [...row.diagnosis.evidence, seen],
		},
	};
}
