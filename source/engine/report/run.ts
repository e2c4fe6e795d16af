// The report on disk: .todo-deploy/state.json keeps what each command observed, report.md is
// rendered from it after every change. Both are written whole and renamed into place.
import {mkdir, readFile, rename, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {renderReport, type ReportState, type Section, type SectionName} from './markdown.js';

export const reportDir = (root: string) => path.join(root, '.todo-deploy');

async function writeAtomically(file: string, text: string): Promise<void> {
	const temporary = `${file}.${process.pid}.tmp`;
	await writeFile(temporary, text, {mode: 0o644});
	await rename(temporary, file);
}

export async function readReportState(root: string): Promise<ReportState> {
	const text = await readFile(path.join(reportDir(root), 'state.json'), 'utf8').catch(() => undefined);
	try {
		const state = text ? (JSON.parse(text) as ReportState) : undefined;
		if (state?.version === 1) {
			return state;
		}
	} catch {
		// A damaged state starts over: the report then says "not run" rather than guess.
	}

	return {version: 1, project: root, sections: {}};
}

/** Records one section (replacing the earlier one) and rewrites report.md; returns its path. */
export async function recordSection(root: string, name: SectionName, section: Omit<Section, 'at'>): Promise<string> {
	const dir = reportDir(root);
	await mkdir(dir, {recursive: true});
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
	await mkdir(reportDir(root), {recursive: true});
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
	await mkdir(reportDir(root), {recursive: true});
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
