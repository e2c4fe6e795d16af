// The real helm against charts on disk.
import {execFile} from 'node:child_process';
import {promisify} from 'node:util';
import {parseManifest} from '../../source/engine/lint/run.js';
import type {K8sObject} from '../../source/engine/lint/objects.js';
import {realKubeTool} from './kube-tools.js';

const run = promisify(execFile);

export async function helm(args: string[]): Promise<{code: number; stdout: string; stderr: string}> {
	try {
		const {stdout, stderr} = await run(realKubeTool('helm'), args, {encoding: 'utf8', env: {PATH: '/usr/bin:/bin', HOME: '/tmp'}});
		return {code: 0, stdout, stderr};
	} catch (error) {
		const failure = error as {code?: number; stdout?: string; stderr?: string};
		return {code: failure.code ?? 1, stdout: failure.stdout ?? '', stderr: failure.stderr ?? ''};
	}
}

export async function renderObjects(chart: string, sets: string[] = []): Promise<K8sObject[]> {
	const result = await helm(['template', 'demo', chart, '--namespace', 'todo', ...sets.flatMap(set => ['--set', set])]);
	if (result.code !== 0) {
		throw new Error(`helm template failed: ${result.stderr}`);
	}

	return parseManifest(result.stdout);
}
