// `todo-deploy --help`: every command with its synopsis and what it does, the common options, the
// environment and the exit codes, all from their declarations.
import {outcomeClasses} from '../engine/outcome.js';
import type {Command} from './command.js';
import {flagLines, wrap} from './flags.js';
import {commonFlags} from './groups.js';
import {padColumns} from '../render/columns.js';

const environment = [
	['NO_COLOR', 'no colours'],
	['CI', 'plain output, no prompts'],
	['KUBECONFIG', 'the kubeconfig files (a path list, as kubectl reads it)'],
	['DOCKER_HOST', 'the Docker daemon to use'],
	['HTTPS_PROXY, HTTP_PROXY, NO_PROXY', 'proxies for downloads'],
	['TODO_DEPLOY_MIRROR', 'the same as --mirror'],
	['TODO_DATABASE_PASSWORD, TODO_AUTH_SECRET, GEMINI_API_KEY', 'the secrets deploy puts into the cluster (also read from .env; never put on a command line)'],
];

export function globalHelp(commands: readonly Command[], version: string, width = 100): string {
	const indent = 22;
	const row = (head: string, text: string) => {
		const lines = wrap(text, width - indent);
		return head.length + 2 < indent
			? [`  ${padColumns(head, indent - 2)}${lines[0] ?? ''}`, ...lines.slice(1).map(line => `${' '.repeat(indent)}${line}`)]
			: [`  ${head}`, ...lines.map(line => `${' '.repeat(indent)}${line}`)];
	};

	const entries = commands.flatMap(command => row(`${command.name}${command.synopsis ? ` ${command.synopsis}` : ''}`, command.summary));
	return [
		`todo-deploy ${version}`,
		'From a bare laptop (often WSL2) to the todo app on local Kubernetes.',
		'',
		'Usage',
		'  npx todo-deploy [command] [options]     (no command: the wizard, up)',
		"  npx todo-deploy COMMAND --help          that command's options, and its page of the manual (docs/)",
		'',
		'Commands',
		...entries,
		'',
		'Common options (every command)',
		...flagLines(commonFlags, width),
		'',
		'Environment',
		...environment.flatMap(([name = '', text = '']) => row(name, text)),
		'',
		'Exit codes',
		...Object.values(outcomeClasses).flatMap(({code, meaning}) => {
			const lines = wrap(meaning, width - 7);
			return [`  ${padColumns(String(code), 5)}${lines[0] ?? ''}`, ...lines.slice(1).map(line => `       ${line}`)];
		}),
	].join('\n');
}
