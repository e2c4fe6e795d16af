// The report on disk: .todo-deploy/state.json keeps what each command observed, report.md is
// rendered from it after every change. Both are written whole and renamed into place.
import {chmod, readFile, rename} from 'node:fs/promises';
import {ensureStateDir, stateDirName, writePrivate} from '../../adapters/state-dir.js';
import path from 'node:path';
import {maskText} from '../mask.js';
import {notice} from '../notices.js';
import {renderReport, sectionNames, type ReportState, type Section, type SectionName} from './markdown.js';

export const reportDir = (root: string) => path.join(root, stateDirName);
// Nothing secret is recorded: the report and its state pass the mask.
const writeAtomically = async (file: string, text: string) => writePrivate(file, maskText(text));

/** What state.json must be: a version, the project, and sections each with a status and a time. */
const stateSchema = {
	type: 'object',
	required: ['version', 'project', 'sections'],
	properties: {
		version: {const: 1},
		project: {type: 'string'},
		sections: {
			type: 'object',
			propertyNames: {enum: [...sectionNames]},
			additionalProperties: {
				type: 'object',
				required: ['status', 'at'],
				properties: {status: {enum: ['verified', 'failed', 'not run']}, at: {type: 'string'}, data: {}},
			},
		},
	},
};

/**
 * The recorded state. A file that is damaged or of the wrong shape is moved aside
 * (state.json.bad-TIME), said once, and the report starts over from what is valid: "not run" rather
 * than a guess, and never a crash in a later command.
 */
export async function readReportState(root: string): Promise<ReportState> {
	const file = path.join(reportDir(root), 'state.json');
	const text = await readFile(file, 'utf8').catch(() => undefined);
	const fresh: ReportState = {version: 1, project: root, sections: {}};
	if (text === undefined) {
		return fresh;
	}

	let problem: string;
	try {
		const parsed = JSON.parse(text) as unknown;
		const {schemaProblems} = await import('../../adapters/schema.js');
		const problems = schemaProblems(stateSchema, parsed);
		if (problems.length === 0) {
			return parsed as ReportState;
		}

		problem = `it is not of the shape todo-deploy writes (${problems.slice(0, 2).join('; ')})`;
	} catch (error) {
		problem = `it is not valid JSON (${error instanceof Error ? error.message : String(error)})`;
	}

	const aside = `${file}.bad-${new Date().toISOString().replaceAll(/[:.]/g, '-')}`;
	await rename(file, aside)
		.then(async () => chmod(aside, 0o600))
		.catch(() => undefined);
	notice(
		`.todo-deploy/state.json could not be read: ${problem}; moved aside to ${path.relative(root, aside)}. The report starts again from what this run sees.`,
	);
	return fresh;
}

/** Records one section (replacing the earlier one) and rewrites report.md; returns its path. */
export async function recordSection(root: string, name: SectionName, section: Omit<Section, 'at'>): Promise<string> {
	const dir = reportDir(root);
	await ensureStateDir(root);
	const state = await readReportState(root);
	const next: ReportState = {...state, project: root, sections: {...state.sections, [name]: {...section, at: new Date().toISOString()}}};
	await writeAtomically(path.join(dir, 'state.json'), `${JSON.stringify(next, null, 2)}\n`);
	const report = path.join(dir, 'report.md');
	await writeAtomically(report, renderReport(next));
	return report;
}

export type CreatedCluster = {readonly type: 'kind' | 'minikube'; readonly name: string; readonly command: string; readonly at: string};

/** Remembers a cluster todo-deploy started, so `down --delete-cluster` removes only what it made. */
export async function recordCreatedCluster(root: string, cluster: Omit<CreatedCluster, 'at'>): Promise<void> {
	await ensureStateDir(root);
	await writeAtomically(path.join(reportDir(root), 'cluster.json'), `${JSON.stringify({...cluster, at: new Date().toISOString()}, null, 2)}\n`);
}

export async function readCreatedCluster(root: string): Promise<CreatedCluster | undefined> {
	const text = await readFile(path.join(reportDir(root), 'cluster.json'), 'utf8').catch(() => undefined);
	try {
		return text ? (JSON.parse(text) as CreatedCluster) : undefined;
	} catch {
		return undefined;
	}
}

export type DeployMemory = {readonly fingerprint: string; readonly revision: number};

/** What the last deploy from this project installed, per context, namespace and release. */
export async function readDeployMemory(root: string, key: string): Promise<DeployMemory | undefined> {
	const text = await readFile(path.join(reportDir(root), 'deploys.json'), 'utf8').catch(() => undefined);
	try {
		return text ? (JSON.parse(text) as Record<string, DeployMemory>)[key] : undefined;
	} catch {
		return undefined;
	}
}

export async function writeDeployMemory(root: string, key: string, memory: DeployMemory): Promise<void> {
	await ensureStateDir(root);
	const file = path.join(reportDir(root), 'deploys.json');
	const text = await readFile(file, 'utf8').catch(() => '{}');
	let all: Record<string, DeployMemory> = {};
	try {
		all = JSON.parse(text) as Record<string, DeployMemory>;
	} catch {
		// Damaged: start over.
	}

	await writeAtomically(file, `${JSON.stringify({...all, [key]: memory}, null, 2)}\n`);
}
