// npm run sim -- --scenario NAME: the simulated cluster on its own, to look at todo-deploy in a real terminal.
import {mkdtempSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {parseArgs} from 'node:util';
import {startSimulatedCluster} from './apiserver.js';
import {scenarios} from './scenarios.js';

const {values} = parseArgs({options: {scenario: {type: 'string', default: 'healthy'}, port: {type: 'string'}}});
const scenario = scenarios[values.scenario];
if (!scenario) {
	process.stderr.write(`unknown scenario ${values.scenario}; known: ${Object.keys(scenarios).join(', ')}\n`);
	process.exit(2);
}

const kubeconfigPath = path.join(mkdtempSync(path.join(os.tmpdir(), 'todo-deploy-sim-')), 'kubeconfig');
const cluster = await startSimulatedCluster({kubeconfigPath, port: values.port ? Number(values.port) : undefined});
scenario(cluster);
process.stdout.write(`${kubeconfigPath}\n`);
process.stderr.write(`simulated cluster at ${cluster.url}, scenario ${values.scenario}; KUBECONFIG=${kubeconfigPath}; Ctrl-C stops it\n`);
process.on('SIGINT', () => {
	void cluster.close().then(() => process.exit(0));
});
