// Pure: uvicorn's module that cannot be imported, checked against the files the image really holds
// (listed once from this machine's Docker): where the module's file lies under the image's WORKDIR,
// and the module name that would import it.
import path from 'node:path';
import type {PodRow} from './rows.js';

/** What an image holds, as listed: its WORKDIR and the files under it. */
export type ImageTree = {readonly workdir: string; readonly files: readonly string[]; readonly truncated: boolean};

/**
 * Where a Python module lies among an image's files, looked for from base (WORKDIR, or --app-dir): its
 * file or package there, and every file of its name, shortest path first.
 */
export function whereModuleLies(module: string, base: string, files: ReadonlySet<string> | readonly string[]) {
	const has = (file: string) => ('has' in files ? files.has(file) : files.includes(file));
	const relative = module.replaceAll('.', '/');
	const name = `${relative.split('/').at(-1) ?? relative}.py`;
	const expected = path.posix.join(base, `${relative}.py`);
	return {
		relative,
		name,
		expected,
		present: has(expected) || has(path.posix.join(base, relative, '__init__.py')),
		found: [...files].filter(file => path.posix.basename(file) === name).sort((a, b) => a.length - b.length),
		/** The module name that imports this file from base; undefined when it lies outside base. */
		moduleOf: (file: string) => (file.startsWith(`${base}/`) ? file.slice(base.length + 1, -'.py'.length).replaceAll('/', '.') : undefined),
	};
}

export function withModuleContext(row: PodRow, trees: ReadonlyMap<string, ImageTree | 'unknown'>): PodRow {
	const module = row.diagnosis.module;
	const tree = module?.image ? trees.get(module.image) : undefined;
	if (!module || !tree || tree === 'unknown') {
		return row;
	}

	const {name, expected, present, found, moduleOf} = whereModuleLies(module.name, tree.workdir, tree.files);
	const under = found.find(file => moduleOf(file) !== undefined);
	const asModule = under ? moduleOf(under) : undefined;
	const seen = `the image ${module.image ?? ''} runs in ${tree.workdir} and holds ${found.length > 0 ? `${name} at ${found.slice(0, 3).join(', ')}` : `no ${name} under it${tree.truncated ? ' (among the files listed)' : ''}`}`;
	if (present) {
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
