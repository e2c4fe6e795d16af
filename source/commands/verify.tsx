// todo-deploy verify: the app as its user meets it (health, a signed-in smoke test, the frontend, a load
// check).
import type {ClusterTarget} from '../engine/cluster-target.js';
import type {FlowAction} from '../engine/flow/actions.js';
import {flowReducer, initialFlowState, type FlowState} from '../engine/flow/reducer.js';
import {finishFlow} from '../engine/flow/steps.js';
import {localSystem} from '../engine/system.js';
import {createStore} from '../engine/store.js';
import {displayPath} from '../render/format.js';
import {defineCommand} from '../command-kit/command.js';
import {clusterChoice, clusterFlags, verifyFlags, verifySettings} from '../command-kit/groups.js';
import {flowScreens} from '../command-kit/flow-screens.js';
import {writeJson, writeOut} from '../command-kit/io.js';
import {runWithScreens} from '../command-kit/runner.js';
import {orSay, projectRoot} from '../command-kit/project.js';
import {stepsJson} from '../render/step-words.js';
import {verifiedWords} from '../render/verify-words.js';

/** Whether the release's Secret holds the chatbot's key; undefined when the cluster or the Secret cannot be read. */
async function chatbotKeyOfRelease(target: ClusterTarget, release: string): Promise<'given' | 'absent' | undefined> {
	const [{connect}, {chatbotKeyIn}] = await Promise.all([import('../engine/cluster.js'), import('../engine/verify/chatbot.js')]);
	const cluster = await connect(target).catch(() => undefined);
	return cluster ? chatbotKeyIn(cluster, release) : undefined;
}

export const verifyCommand = defineCommand({
	name: 'verify',
	synopsis: '[DIR]',
	maxArgs: 1,
	summary: 'health endpoints, a smoke test of the todo API, the load check',
	description:
		"Reaches the backend (--url, minikube's service URL, or kubectl port-forward) and calls the health paths the app serves. Learns the API from its OpenAPI document (/openapi.json, as FastAPI serves it): the todo collection, how an item is updated, what a create needs and which codes each answer may have; signs up a throwaway user and logs in when the API wants a token. Runs the smoke test (create, list, update, read back, delete), checks that the frontend reaches the backend through its own routes, and runs the load check on the todo list as that user (by default 100 users for 30 s against p95 < 500 ms). Writes .todo-deploy/report.md.",
	examples: [
		'npx todo-deploy verify -n todo',
		'npx todo-deploy verify --url http://127.0.0.1:30080 --users 50 --duration 10',
		'npx todo-deploy verify --api /api/v1/tasks/ --token-env TODO_TOKEN',
		'npx todo-deploy verify --openapi docs/openapi.json --no-load',
	],
	flags: {...clusterFlags, ...verifyFlags},
	async run({flags, args, mode, env}) {
		const root = projectRoot(args[0]);
		const [{runVerify, verifySteps}, {resolveClusterTarget}, {recordSection}, {verifyTargets}] = await Promise.all([
			import('../engine/verify/run.js'),
			import('../engine/cluster-target.js'),
			import('../engine/report/run.js'),
			import('../engine/verify/targets.js'),
		]);
		// What the app serves, learnt from the project when there is one here.
		const project = await orSay(async () => (await import('../engine/project/resolve.js')).resolveProject(root, {}));
		const settings = verifySettings(flags, env, verifyTargets(project?.backend || project?.frontend ? project.contract : undefined));
		// The cluster is resolved once; with --url it is not needed (and may not be there).
		const cluster = flags.url ? undefined : await orSay(async () => resolveClusterTarget(localSystem(env), clusterChoice(flags)));
		if (!flags.url && !cluster) {
			return {failure: 'environment'};
		}

		// Without --url: the frontend at the address the user opens (held while verify runs), and whether the chatbot has its key.
		const contract = project?.backend || project?.frontend ? project.contract : undefined;
		const addresses = cluster && contract ? {root, contract, release: flags.release} : undefined;
		const chatbotKey = cluster ? await chatbotKeyOfRelease(cluster, flags.release) : undefined;
		const flow = createStore<FlowState, FlowAction>(flowReducer, initialFlowState());
		flow.dispatch({type: 'flow/planned', title: `verify ${flags.release} in ${flags.namespace}`, steps: verifySteps});
		const startedAt = Date.now();
		const {value: result, cancelled} = await runWithScreens(mode, flowScreens(flow), async signal => {
			const verified = await runVerify(localSystem(env, {signal}), flow, {
				...settings,
				namespace: flags.namespace,
				release: flags.release,
				cluster,
				load: !flags['no-load'],
				signal,
				addresses,
				chatbotKey,
			});
			finishFlow(flow, {
				startedAt,
				cancelled: signal.aborted,
				succeeded: verified.passed,
				message: verified.passed ? verifiedWords(verified, {loadAsked: !flags['no-load']}) : 'Not verified: see the failed step above.',
			});
			return verified;
		});
		const report = await recordSection(root, 'verify', {status: result.passed ? 'verified' : 'failed', data: result});
		if (mode === 'json') {
			await writeJson({...result, steps: stepsJson(flow.getState().steps), report});
		} else {
			await writeOut(`Report: ${displayPath(report)}\n`);
		}

		return {failure: cancelled ? 'cancelled' : result.failure};
	},
});
