// todo-deploy down: the release and its Secret removed; the data, namespace and cluster only when asked.
import type {FlowAction} from '../engine/flow/actions.js';
import {flowReducer, initialFlowState, type FlowState} from '../engine/flow/reducer.js';
import {finishFlow} from '../engine/flow/steps.js';
import {localSystem} from '../engine/system.js';
import {createStore} from '../engine/store.js';
import {defineCommand} from '../command-kit/command.js';
import {booleanFlag} from '../command-kit/flags.js';
import {clusterChoice, clusterFlags} from '../command-kit/groups.js';
import {flowScreens} from '../command-kit/flow-screens.js';
import {writeJson} from '../command-kit/io.js';
import {runWithScreens} from '../command-kit/runner.js';
import {clusterOrSay, projectRoot} from '../command-kit/project.js';
import {stepsJson} from '../render/step-words.js';

export const downCommand = defineCommand({
	name: 'down',
	synopsis: '[DIR]',
	maxArgs: 1,
	summary: 'uninstalls the release, and what todo-deploy created',
	description:
		"Uninstalls the release. The database's data (its volume claim) stays, and with it the Secret that holds its password, so the next up finds its todos and logs in; --delete-data removes both. The namespace and the cluster go too when asked, and only if todo-deploy created them (what it did not create is named, with the command to delete it yourself).",
	examples: ['npx todo-deploy down -n todo', 'npx todo-deploy down --delete-data', 'npx todo-deploy down --delete-data --delete-namespace --delete-cluster'],
	flags: {
		...clusterFlags,
		'delete-data': booleanFlag({description: "also delete the database's data (its volume claim) and the Secret with its password: every todo is lost"}),
		'delete-namespace': booleanFlag({description: 'also delete the namespace, if todo-deploy created it'}),
		'delete-cluster': booleanFlag({description: 'also delete the kind cluster or minikube profile, if up started it'}),
	},
	async run({flags, args, mode, env}) {
		const root = projectRoot(args[0]);
		const [{runDown, downSteps}, {readCreatedCluster}] = await Promise.all([import('../engine/down/run.js'), import('../engine/report/run.js')]);
		const reached = await clusterOrSay(localSystem(env), clusterChoice(flags));
		if (!reached) {
			return {failure: 'environment'};
		}

		const {cluster, target} = reached;
		const flow = createStore<FlowState, FlowAction>(flowReducer, initialFlowState());
		flow.dispatch({type: 'flow/planned', title: `down ${flags.release} in ${flags.namespace} (${cluster.context})`, steps: downSteps});
		const startedAt = Date.now();
		const created = await readCreatedCluster(root);
		const {value: outcome, cancelled} = await runWithScreens(mode, flowScreens(flow), async signal => {
			const removed = await runDown(localSystem(env, {signal}), cluster, flow, {
				release: flags.release,
				target,
				deleteNamespace: flags['delete-namespace'],
				deleteData: flags['delete-data'],
				deleteCluster: flags['delete-cluster'],
				created,
				root,
			});
			finishFlow(flow, {
				startedAt,
				cancelled: signal.aborted,
				succeeded: removed.failure === undefined,
				message:
					removed.failure === undefined
						? `${flags.release} is gone from ${flags.namespace}.`
						: 'Not everything was removed; the failed step says what is left.',
			});
			return removed;
		});
		if (mode === 'json') {
			await writeJson({removed: outcome.failure === undefined, steps: stepsJson(flow.getState().steps)});
		}

		return cancelled ? {failure: 'cancelled'} : outcome;
	},
});
