// Parses argv, picks a renderer, awaits the end and sets the exit code. Nothing else.
import {parseArgs} from 'node:util';
import packageJson from '../package.json' with {type: 'json'};
import {createSystem} from './adapters/system.js';
import type {DoctorAction} from './engine/doctor/actions.js';
import {doctorReducer, initialDoctorState, type DoctorState} from './engine/doctor/reducer.js';
import {runDoctor} from './engine/doctor/run.js';
import {createStore} from './engine/store.js';
import {doctorExitCode, doctorJson} from './render/doctor-report.js';
import {renderDoctorPlain} from './render/plain.js';

const usage = `todo-deploy ${packageJson.version}
From a bare laptop (often WSL2) to the todo app on local Kubernetes.

Usage
  npx todo-deploy [command] [options]

Commands
  (none)     the wizard: checks this machine, then shows the next steps
  doctor     checks Docker, KVM2, minikube, kind, kubectl, Helm, Trivy and your
             kube contexts, and recommends the path that will work here

Options
  --json     print the result as JSON (for scripts and CI)
  -h, --help     show this help
  -v, --version  show the version

Environment
  NO_COLOR     no colours          CI         plain output, no prompts
  KUBECONFIG   kubeconfig files    DOCKER_HOST  the Docker daemon to use

Exit codes
  0  there is a path todo-deploy can take from here
  1  something must be fixed first (the output says what, in order)
  2  the command line was wrong`;

type Mode = 'interactive' | 'plain' | 'json';

class UsageError extends Error {}

function parseCommandLine(argv: readonly string[]) {
	let parsed;
	try {
		parsed = parseArgs({
			args: [...argv],
			allowPositionals: true,
			strict: true,
			options: {
				json: {type: 'boolean', default: false},
				help: {type: 'boolean', short: 'h', default: false},
				version: {type: 'boolean', short: 'v', default: false},
			},
		});
	} catch (error) {
		throw new UsageError(error instanceof Error ? error.message.replace(/\. To specify a positional argument.*$/, '') : String(error));
	}

	const [command = 'wizard', ...rest] = parsed.positionals;
	if (!['wizard', 'doctor', 'up'].includes(command)) {
		throw new UsageError(`Unknown command "${command}".`);
	}

	if (rest.length > 0) {
		throw new UsageError(`Unexpected argument "${rest[0] ?? ''}" after ${command}.`);
	}

	return {command: command === 'doctor' ? 'doctor' as const : 'wizard' as const, ...parsed.values};
}

// The same rule as Ink's is-in-ci: in CI Ink draws only the last frame, so plain lines serve better.
const isSet = (key: string) => key in process.env && process.env[key] !== '0' && process.env[key] !== 'false';

function isInteractive(): boolean {
	return Boolean(process.stdout.isTTY) && !isSet('CI') && !isSet('CONTINUOUS_INTEGRATION');
}

async function writeOut(text: string): Promise<void> {
	await new Promise<void>(resolve => {
		process.stdout.write(text, () => {
			resolve();
		});
	});
}

async function main(argv: readonly string[]): Promise<number> {
	let options;
	try {
		options = parseCommandLine(argv);
	} catch (error) {
		if (error instanceof UsageError) {
			process.stderr.write(`todo-deploy: ${error.message}\nRun todo-deploy --help for the commands and options.\n`);
			return 2;
		}

		throw error;
	}

	if (options.help) {
		await writeOut(`${usage}\n`);
		return 0;
	}

	if (options.version) {
		await writeOut(`${packageJson.version}\n`);
		return 0;
	}

	const mode: Mode = options.json ? 'json' : isInteractive() ? 'interactive' : 'plain';
	const store = createStore<DoctorState, DoctorAction>(doctorReducer, initialDoctorState());
	const system = createSystem(process.env);

	if (mode === 'interactive') {
		// Ink and the views load only here, so plain and JSON runs never pay for them.
		const [{render}, {DoctorApp}] = await Promise.all([import('ink'), import('./views/doctor-app.js')]);
		const app = render(<DoctorApp store={store} mode={options.command} version={packageJson.version}/>, {exitOnCtrlC: true});
		const doctor = runDoctor(system, store);
		await app.waitUntilExit();
		await doctor;
		return doctorExitCode(store.getState());
	}

	if (mode === 'plain') {
		process.stderr.write(`todo-deploy ${packageJson.version}: checking this machine…\n`);
		const unsubscribe = renderDoctorPlain(store, text => process.stdout.write(text));
		await runDoctor(system, store);
		unsubscribe();
		return doctorExitCode(store.getState());
	}

	await runDoctor(system, store);
	await writeOut(`${JSON.stringify(doctorJson(store.getState()), null, 2)}\n`);
	return doctorExitCode(store.getState());
}

try {
	const code = await main(process.argv.slice(2));
	// Probes that hung were killed, but their sockets may linger; the result is out, so leave now.
	await writeOut('');
	process.exit(code);
} catch (error) {
	process.stderr.write(`todo-deploy: unexpected error: ${error instanceof Error ? error.message : String(error)}\nPlease report it with the output of: todo-deploy doctor --json\n`);
	process.exit(1);
}
