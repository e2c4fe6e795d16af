// todo-deploy open: the app's addresses on this machine (http://localhost:PORT for the frontend, and
// for the backend when the browser calls it), held until Ctrl-C while the pods behind them come and
// go, and the browser opened at the frontend.
import {defineCommand} from '../command-kit/command.js';
import {booleanFlag} from '../command-kit/flags.js';
import {clusterChoice, clusterFlags} from '../command-kit/groups.js';
import {clusterOrSay, projectOrSay, projectRoot} from '../command-kit/project.js';
import {holdInPlainLines} from '../command-kit/hold-addresses.js';
import {localSystem} from '../engine/system.js';

export const openCommand = defineCommand({
	name: 'open',
	synopsis: '[DIR]',
	maxArgs: 1,
	summary: "the app's addresses on this machine held (the pods behind them may change), and the browser opened",
	description:
		'Holds http://localhost:PORT for the frontend (and the backend, when the browser calls it) until Ctrl-C: each address leads to a Ready pod of its Service, and to the next one within a second of it being Ready when a pod restarts or is replaced. Opens the browser at the frontend once it answers (not with --no-browser). --json prints {"urls": {...}} once every address answers, then keeps holding them.',
	examples: ['npx todo-deploy open', 'npx todo-deploy open -n todo --no-browser', 'npx todo-deploy open --json'],
	flags: {
		...clusterFlags,
		'no-browser': booleanFlag({description: 'hold the addresses, but do not open the browser'}),
	},
	async run({flags, args, mode, env}) {
		const root = projectRoot(args[0]);
		const project = await projectOrSay(root, {});
		if (!project) {
			return {failure: 'fix-first'};
		}

		const system = localSystem(env);
		const reached = await clusterOrSay(system, clusterChoice(flags), {release: flags.release});
		if (!reached) {
			return {failure: 'environment'};
		}

		return holdInPlainLines(system, reached, {
			root,
			contract: project.contract,
			release: flags.release,
			namespace: flags.namespace,
			browser: !flags['no-browser'],
			mode,
		});
	},
});
