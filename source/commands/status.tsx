// todo-deploy status: the live screen of a namespace's pods, or one snapshot.
import {defineCommand} from '../command-kit/command.js';
import {booleanFlag, stringFlag} from '../command-kit/flags.js';
import {checkNamespace, clusterChoice, clusterTargetFlags} from '../command-kit/groups.js';
import {showStatus} from '../command-kit/status-screen.js';

export const statusCommand = defineCommand({
	name: 'status',
	synopsis: '',
	maxArgs: 0,
	summary: 'the live screen of pods, with a diagnosis and fix for each',
	description:
		'The live screen of pods, probes, rollouts and warnings, with a diagnosis and fix for each failing pod, logs, events, describe, restart and port-forward. --once (or any run without a terminal) prints one snapshot and exits 0 when every pod is ready.',
	examples: ['npx todo-deploy status -n todo', 'npx todo-deploy status -n todo --release todo --once', 'npx todo-deploy status -n todo --json'],
	flags: {
		namespace: stringFlag({short: 'n', value: 'NAMESPACE', default: 'default', description: 'the namespace', check: checkNamespace}),
		...clusterTargetFlags,
		selector: stringFlag({short: 'l', value: 'SELECTOR', description: 'only the pods with these labels (app=todo,tier=api)'}),
		release: stringFlag({value: 'RELEASE', description: "only the pods of this Helm release's workloads, whatever labels its chart gives them"}),
		once: booleanFlag({description: 'one snapshot, then exit'}),
	},
	async run({flags, mode, env}) {
		const choice = clusterChoice(flags);
		return showStatus(
			env,
			{...choice, selector: flags.selector, release: flags.release},
			// B writes a bundle of the project here (the folder status runs in).
			{mode, once: flags.once, bundle: {env, root: process.cwd(), release: flags.release ?? 'todo', choice}},
		);
	},
});
