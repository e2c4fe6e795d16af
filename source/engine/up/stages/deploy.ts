// Deploy: the Secret, helm upgrade --install, the rollout watched; helm is not run again for the same
// chart, images, values and secrets.
import {deployRecord, deploySteps, runDeploy, type DeployResult} from '../../deploy/run.js';
import {recordSection} from '../../report/run.js';
import {clusterImages} from '../../status/cluster-images.js';
import {defineStage, next, stop} from '../stage.js';

declare module '../stage.js' {
	interface UpFacts {
		readonly deploy: DeployResult;
	}
}

export const deployStage = defineStage({
	id: 'deploy',
	rows: deploySteps,
	reads: ['cluster', 'target', 'destination', 'chart', 'fit', 'values'],
	adds: ['deploy'],
	async run({cluster, target, destination, chart, fit, values}, base) {
		const {request} = base;
		const {sets, ...deploy} = request.deploy;
		const deployed = await runDeploy(base.system, cluster, base.flow, base.status, {
			...deploy,
			root: request.root,
			target,
			chart,
			fit,
			values: {...values, ...sets},
			signal: request.signal,
			clusterImages: clusterImages(base.system, destination),
		});
		await recordSection(request.root, 'deploy', {
			status: deployed.ready ? 'verified' : 'failed',
			data: deployRecord({release: request.deploy.release, namespace: target.namespace, context: cluster.context}, deployed),
		});
		return deployed.ready
			? next({deploy: deployed})
			: stop(
					base.flow.getState().steps.find(step => step.status.type === 'failed')?.id ?? 'rollout',
					deployed.failure ?? 'rollout',
					'the deploy did not finish',
				);
	},
});
