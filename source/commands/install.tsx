// todo-deploy install: helm, trivy, kind, minikube and kubectl into a folder of this user's, checksum-
// verified.
import {installJson, pathAdvice} from '../render/install-words.js';
import {isToolName, toolNames} from '../engine/tools/catalog.js';
import type {ToolName} from '../engine/doctor/types.js';
import {localSystem, toolsDir} from '../engine/system.js';
import {createStore} from '../engine/store.js';
import type {InstallAction} from '../engine/tools/actions.js';
import {defineCommand} from '../command-kit/command.js';
import {booleanFlag, numberFlag, pathFlag, stringFlag, UsageError} from '../command-kit/flags.js';
import {mirrorFlag} from '../command-kit/groups.js';
import {writeJson, writeOut} from '../command-kit/io.js';
import {runWithScreens} from '../command-kit/runner.js';

export const installCommand = defineCommand({
	name: 'install',
	synopsis: 'TOOL...',
	maxArgs: Number.POSITIVE_INFINITY,
	summary: 'installs helm, kubectl, minikube, kind, trivy without sudo',
	description: `Installs ${toolNames.join(', ')} without sudo, each checked against its published SHA-256, into ~/.local/share/todo-deploy/bin (or --dir). A tool already installed there at the wanted version is skipped; one elsewhere on PATH is used as it is, unless --force.`,
	examples: [
		'npx todo-deploy install helm trivy',
		'npx todo-deploy install helm --version 3.19.0',
		'npx todo-deploy install kind --mirror https://mirror.corp/tools',
	],
	flags: {
		version: stringFlag({
			value: 'V',
			description: 'a version other than the pinned, tested one (one tool at a time)',
			check: value => (/^v?\d+\.\d+\.\d+([-+][\w.-]+)?$/.test(value) ? undefined : 'is not a version like 4.2.4'),
		}),
		dir: pathFlag({value: 'DIR', description: 'install there instead (default $XDG_DATA_HOME/todo-deploy/bin)'}),
		...mirrorFlag,
		force: booleanFlag({description: 'install even when the tool is already on PATH'}),
		timeout: numberFlag({value: 'S', default: 30, min: 1, max: 3600, unit: 's', description: 'give up on a download that sends nothing for this long'}),
	},
	check({args, flags}) {
		const unknown = args.filter(name => !isToolName(name));
		if (unknown.length > 0) {
			throw new UsageError(`Unknown tool ${unknown.map(name => `"${name}"`).join(', ')}: todo-deploy installs ${toolNames.join(', ')}.`);
		}

		if (args.length === 0) {
			throw new UsageError(`Name the tools to install: todo-deploy install ${toolNames.join(' ')}`);
		}

		if (flags.version !== undefined && args.length > 1) {
			throw new UsageError('--version applies to one tool at a time: todo-deploy install helm --version 3.19.0');
		}
	},
	async run({flags, args, mode, env}) {
		const [{runInstall}, {initialInstallState, installReducer, installOutcome}, {renderInstallPlain}] = await Promise.all([
			import('../engine/tools/install.js'),
			import('../engine/tools/reducer.js'),
			import('../render/install-plain.js'),
		]);
		const dir = flags.dir ?? toolsDir(env);
		const store = createStore<ReturnType<typeof initialInstallState>, InstallAction>(installReducer, initialInstallState());
		await runWithScreens(
			mode,
			{
				async interactive({onCancel}) {
					const {InstallApp} = await import('../views/install-app.js');
					return <InstallApp store={store} pathEnv={env['PATH']} onCancel={onCancel} />;
				},
				plain: (out, progress) => renderInstallPlain(store, out, progress),
			},
			async signal =>
				runInstall(localSystem(env, {toolsDir: dir}), store, {
					tools: [...new Set(args)] as ToolName[],
					version: flags.version,
					dir,
					mirror: flags.mirror,
					force: flags.force,
					idleTimeoutMs: flags.timeout * 1000,
					attempts: 3,
					signal,
				}),
		);
		const advice = pathAdvice(store.getState(), env['PATH']);
		if (mode === 'json') {
			await writeJson(installJson(store.getState()));
		} else if (mode === 'plain' && advice) {
			await writeOut(`${advice}\n`);
		}

		return installOutcome(store.getState());
	},
});
