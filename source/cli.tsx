// Parses argv, picks a renderer, awaits the end and sets the exit code. Nothing else.
import {randomBytes} from 'node:crypto';
import {access, readFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs, type ParseArgsOptionsConfig} from 'node:util';
import packageJson from '../package.json' with {type: 'json'};
import {createSystem} from './adapters/system.js';
import {preferSmallHeap} from './adapters/heap.js';
import type {DoctorAction} from './engine/doctor/actions.js';
import {doctorReducer, initialDoctorState, type DoctorState} from './engine/doctor/reducer.js';
import {runDoctor} from './engine/doctor/run.js';
import type {ToolName} from './engine/doctor/types.js';
import type {SecretName} from './engine/deploy/secrets.js';
import type {ProjectFlags, ResolvedProject} from './engine/project/resolve.js';
import {exitCodes} from './engine/exit-codes.js';
import type {FlowAction, FlowQuestion} from './engine/flow/actions.js';
import type {FlowState} from './engine/flow/reducer.js';
import type {ImagesAction, ImageSteps} from './engine/images/actions.js';
import type {ImagesState} from './engine/images/reducer.js';
import type {InstallRequest} from './engine/tools/install.js';
import type {InstallState} from './engine/tools/reducer.js';
import {defaultGate, parseSeverities, type GateRule} from './engine/images/scan-report.js';
import type {TargetFlags} from './engine/images/target.js';
import {skippableSteps as skippable, type Skippable} from './engine/up/skips.js';
import type {InstallAction} from './engine/tools/actions.js';
import {defaultInstallDir, isToolName, toolNames} from './engine/tools/catalog.js';
import {createStore, type Store} from './engine/store.js';
import {doctorExitCode, doctorJson} from './render/doctor-report.js';
import {displayPath} from './render/format.js';
import {renderDoctorPlain} from './render/plain.js';

const usage = `todo-deploy ${packageJson.version}
From a bare laptop (often WSL2) to the todo app on local Kubernetes.

Usage
  npx todo-deploy [command] [options]

Commands
  (none), up [DIR] [--kind CLUSTER | --minikube PROFILE] [--skip LIST]
             the wizard: checks this machine, shows the plan, then installs,
             starts (or creates) the cluster, builds, loads, scans, lints,
             deploys, verifies and writes .todo-deploy/report.md, then stays
             open as the status screen; it takes the options of build, scan,
             deploy and verify (--yes: no questions; --skip any of install,
             scan, lint, verify, load-check)
  doctor     checks Docker, KVM2, minikube, kind, kubectl, Helm, Trivy and your
             kube contexts, and recommends the path that will work here
  discover [DIR] [--backend DIR] [--frontend DIR] [--chart DIR] [--save]
             finds the backend and frontend Dockerfiles and the chart in your
             project (also under phase folders such as Phase-II/); --save
             keeps the answer in todo-deploy.json
  build [DIR] [--backend DIR] [--frontend DIR] [--only backend|frontend]
        [--build-arg K=V]... [--rebuild]
             builds both images at once, tagged from git (commit plus a hash
             of uncommitted changes), never latest; an unchanged tag is not
             rebuilt (--load and --scan do the next steps too)
  load [DIR] [--kind CLUSTER | --minikube PROFILE | --registry HOST/NS]
             builds if needed, then puts the images where the cluster finds
             them (default: the current kube context's minikube or kind);
             images the nodes already have are not sent again
  scan [DIR] [--severity LIST] [--ignore-unfixed] [--skip-db-update] [--rescan]
             builds if needed, scans every image with Trivy and gates: by
             default it fails on CRITICAL findings that have a fix; with
             --severity, on every finding at those levels (--ignore-unfixed:
             only those with a fix); .trivyignore is honoured; reports go to
             .todo-deploy/reports/
  deploy [DIR] [-n NAMESPACE] [--release NAME] [--context C] [--chart DIR]
         [--timeout S] [--set K=V]... [-f values.yaml]... [--helm-arg ARG]...
         [--registry HOST/NS] [--on-failure keep|rollback] [--recover] [-y]
             puts the secrets into a Kubernetes Secret through the API (from the
             environment, .env, a masked prompt, or generated), runs helm
             upgrade --install, and watches every pod until it is ready; a
             failure names the pods and why (default namespace and release: todo)
  verify [DIR] [-n NAMESPACE] [--release NAME] [--url URL] [--api PATH]
         [--users N] [--duration S] [--target-p95 MS] [--load-path PATH] [--no-load]
             reaches the backend (--url, minikube's service URL, or kubectl
             port-forward), calls /health and /ready, runs a smoke test of the
             todo API (create, list, update, delete) and a load check (default
             100 users for 30 s against p95 < 500 ms); writes
             .todo-deploy/report.md
  down [DIR] [-n NAMESPACE] [--release NAME] [--delete-namespace] [--delete-cluster]
             uninstalls the release and its Secret; the namespace and the cluster
             go too when asked, and only if todo-deploy created them
  lint [CHART] [-f values.yaml]...
             renders the chart with helm and finds what helm lint misses:
             broken ConfigMap/Secret references, Services that reach no pod,
             probes, latest tags, placeholder or hard-coded secrets, the
             restricted Pod Security Standard (--target local|registry)
  status [-n NAMESPACE] [--context C] [-l SELECTOR] [--once]
             the live screen of pods, probes, rollouts and warnings, with a
             diagnosis and fix for each failing pod (--once: one snapshot;
             exit 0 when every pod is ready)
  install TOOL...
             installs helm, kubectl, minikube, kind or trivy without sudo,
             checksum-verified, into ~/.local/share/todo-deploy/bin

Install options
  --version V    a version other than the pinned, tested one (one tool at a time)
  --dir DIR      install there instead (default $XDG_DATA_HOME/todo-deploy/bin)
  --mirror URL   fetch https://HOST/PATH from URL/HOST/PATH (also TODO_DEPLOY_MIRROR)
  --force        install even when the tool is already on PATH
  --timeout S    give up on a download that sends nothing for S seconds (default 30)

Options
  --json     print the result as JSON (for scripts and CI)
  -y, --yes  go ahead without asking (every answer then comes from a flag)
  -h, --help     show this help
  -v, --version  show the version

Environment
  NO_COLOR     no colours          CI         plain output, no prompts
  KUBECONFIG   kubeconfig files    DOCKER_HOST  the Docker daemon to use
  HTTPS_PROXY, HTTP_PROXY, NO_PROXY   proxies for downloads
  TODO_DATABASE_PASSWORD, TODO_AUTH_SECRET, GEMINI_API_KEY   the secrets deploy
             puts into the cluster (also read from .env; never put on a
             command line)

Exit codes
  0    done: doctor found a path, everything asked for worked
  1    something must be fixed first (the output says what, in order)
  2    the command line was wrong
  3    Docker, the cluster, a registry or a tool is missing or does not answer
  4    an image did not build
  5    a scan found what the gate does not let through
  6    helm could not install or upgrade the release
  7    installed, but the pods did not become ready in time
  8    verify: the app answered wrong or missed the load target
  130  cancelled (Ctrl-C); nothing half-installed is left behind`;

type Mode = 'interactive' | 'plain' | 'json';

class UsageError extends Error {}

const imagesSpec = {
	backend: {type: 'string'},
	frontend: {type: 'string'},
	'build-arg': {type: 'string', multiple: true, default: []},
	rebuild: {type: 'boolean', default: false},
	kind: {type: 'string'},
	minikube: {type: 'string'},
	severity: {type: 'string'},
	'ignore-unfixed': {type: 'boolean', default: false},
	'skip-db-update': {type: 'boolean', default: false},
	rescan: {type: 'boolean', default: false},
	only: {type: 'string'},
} satisfies ParseArgsOptionsConfig;

type ImagesValues = {backend?: string | undefined; frontend?: string | undefined; 'build-arg': string[]; rebuild: boolean; severity?: string | undefined; 'ignore-unfixed': boolean; 'skip-db-update': boolean; rescan: boolean; only?: string | undefined};

/** NAME=VALUE pairs from a repeated flag. */
function pairs(list: readonly string[], flag: string, example: string): Record<string, string> {
	const values: Record<string, string> = {};
	for (const pair of list) {
		const equals = pair.indexOf('=');
		if (equals <= 0) {
			throw new UsageError(`${flag} takes NAME=VALUE, like ${flag} ${example} (got "${pair}").`);
		}

		values[pair.slice(0, equals)] = pair.slice(equals + 1);
	}

	return values;
}

function imagesOptions(values: ImagesValues) {
	if (values.only !== undefined && values.only !== 'backend' && values.only !== 'frontend') {
		throw new UsageError(`--only takes backend or frontend, not "${values.only}".`);
	}

	let gate: GateRule = defaultGate;
	if (values.severity !== undefined) {
		const list = parseSeverities(values.severity);
		if (!list) {
			throw new UsageError(`--severity takes a list of CRITICAL, HIGH, MEDIUM, LOW, UNKNOWN, like --severity CRITICAL,HIGH (got "${values.severity}").`);
		}

		gate = {severities: list, fixableOnly: values['ignore-unfixed'], ignored: []};
	}

	return {
		backend: values.backend,
		frontend: values.frontend,
		buildArgs: pairs(values['build-arg'], '--build-arg', 'PYTHON_VERSION=3.12'),
		rebuild: values.rebuild,
		gate,
		skipDbUpdate: values['skip-db-update'],
		rescan: values.rescan,
		only: values.only as 'backend' | 'frontend' | undefined,
	};
}

const deploySpec = {
	namespace: {type: 'string', short: 'n', default: 'todo'},
	release: {type: 'string', default: 'todo'},
	context: {type: 'string'},
	chart: {type: 'string'},
	timeout: {type: 'string', default: '300'},
	set: {type: 'string', multiple: true, default: []},
	values: {type: 'string', short: 'f', multiple: true, default: []},
	'helm-arg': {type: 'string', multiple: true, default: []},
	'on-failure': {type: 'string'},
	recover: {type: 'boolean', default: false},
} satisfies ParseArgsOptionsConfig;

type DeployValues = {namespace: string; release: string; context?: string | undefined; chart?: string | undefined; timeout: string; set: string[]; values: string[]; 'helm-arg': string[]; 'on-failure'?: string | undefined; recover: boolean};

function positive(name: string, text: string, example: string): number {
	const value = Number(text);
	if (!Number.isFinite(value) || value <= 0) {
		throw new UsageError(`--${name} takes a positive number, like --${name} ${example} (got "${text}").`);
	}

	return value;
}

function checkName(release: string, namespace: string): void {
	if (!/^[a-z0-9]([-a-z0-9]{0,51}[a-z0-9])?$/.test(release)) {
		throw new UsageError(`--release ${release} is not a Helm release name (lower-case letters, digits and -, at most 53).`);
	}

	if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(namespace)) {
		throw new UsageError(`-n ${namespace} is not a namespace name (lower-case letters, digits and -).`);
	}
}

function deployOptions(values: DeployValues) {
	checkName(values.release, values.namespace);
	const onFailure = values['on-failure'];
	if (onFailure !== undefined && onFailure !== 'keep' && onFailure !== 'rollback') {
		throw new UsageError(`--on-failure is keep or rollback, not "${onFailure}".`);
	}

	const sets = pairs(values.set, '--set', 'backend.replicas=2');
	if (Object.keys(sets).some(key => key.startsWith('secrets.'))) {
		throw new UsageError('Secrets never go on the command line (other users can read it): set them in the environment or .env (TODO_DATABASE_PASSWORD, TODO_AUTH_SECRET, GEMINI_API_KEY).');
	}

	return {
		namespace: values.namespace, release: values.release, context: values.context, chart: values.chart,
		timeoutSeconds: positive('timeout', values.timeout, '300'), sets,
		valuesFiles: values.values.map(file => path.resolve(file)), helmArgs: values['helm-arg'],
		onFailure: onFailure as 'keep' | 'rollback' | undefined, recover: values.recover,
	};
}

const verifySpec = {
	url: {type: 'string'},
	api: {type: 'string', default: '/api/todos'},
	'load-path': {type: 'string'},
	users: {type: 'string', default: '100'},
	duration: {type: 'string', default: '30'},
	'target-p95': {type: 'string', default: '500'},
	'no-load': {type: 'boolean', default: false},
} satisfies ParseArgsOptionsConfig;

type VerifyValues = {url?: string | undefined; api: string; 'load-path'?: string | undefined; users: string; duration: string; 'target-p95': string; 'no-load': boolean};

function verifyOptions(values: VerifyValues) {
	if (values.url !== undefined && !/^https?:\/\/[^/]+/.test(values.url)) {
		throw new UsageError(`--url ${values.url} is not an http:// or https:// address.`);
	}

	for (const [name, value] of [['api', values.api], ['load-path', values['load-path']]] as const) {
		if (value !== undefined && !value.startsWith('/')) {
			throw new UsageError(`--${name} is a path starting with /, like /api/todos (got "${value}").`);
		}
	}

	return {
		url: values.url, api: values.api, loadPath: values['load-path'],
		users: Math.round(positive('users', values.users, '100')), durationSeconds: positive('duration', values.duration, '30'),
		targetP95Ms: positive('target-p95', values['target-p95'], '500'), load: !values['no-load'],
	};
}

type Command =
	| {readonly type: 'doctor'; readonly json: boolean; readonly help: boolean; readonly version: boolean}
	| {readonly type: 'status'; readonly json: boolean; readonly help: boolean; readonly version: undefined; readonly namespace: string | undefined; readonly context: string | undefined; readonly selector: string | undefined; readonly once: boolean}
	| {readonly type: 'discover'; readonly json: boolean; readonly help: boolean; readonly version: undefined; readonly root: string; readonly backend: string | undefined; readonly frontend: string | undefined; readonly chart: string | undefined; readonly save: boolean}
	| ({readonly type: 'images'; readonly json: boolean; readonly help: boolean; readonly version: undefined; readonly steps: ImageSteps; readonly root: string; readonly target: TargetFlags} & ReturnType<typeof imagesOptions>)
	| ({readonly type: 'deploy'; readonly json: boolean; readonly help: boolean; readonly version: undefined; readonly root: string; readonly registry: string | undefined; readonly yes: boolean} & ReturnType<typeof deployOptions>)
	| ({readonly type: 'verify'; readonly json: boolean; readonly help: boolean; readonly version: undefined; readonly root: string; readonly namespace: string; readonly release: string; readonly context: string | undefined; readonly port: number} & ReturnType<typeof verifyOptions>)
	| {readonly type: 'up'; readonly json: boolean; readonly help: boolean; readonly version: boolean; readonly root: string; readonly yes: boolean; readonly kind: string | undefined; readonly minikube: string | undefined; readonly skip: readonly Skippable[]; readonly mirror: string | undefined; readonly port: number; readonly images: ReturnType<typeof imagesOptions>; readonly deploy: ReturnType<typeof deployOptions>; readonly verify: ReturnType<typeof verifyOptions>}
	| {readonly type: 'down'; readonly json: boolean; readonly help: boolean; readonly version: undefined; readonly root: string; readonly namespace: string; readonly release: string; readonly context: string | undefined; readonly deleteNamespace: boolean; readonly deleteCluster: boolean}
	| {readonly type: 'lint'; readonly json: boolean; readonly help: boolean; readonly version: undefined; readonly chart: string | undefined; readonly valuesFiles: readonly string[]; readonly target: 'local' | 'registry'}
	| {readonly type: 'install'; readonly json: boolean; readonly help: boolean; readonly version: undefined; readonly tools: readonly ToolName[]; readonly toolVersion: string | undefined; readonly dir: string | undefined; readonly mirror: string | undefined; readonly force: boolean; readonly timeoutSeconds: number};

function explainUsage<T>(parse: () => T): T {
	try {
		return parse();
	} catch (error) {
		throw new UsageError(error instanceof Error ? error.message.replace(/\. To specify a positional argument.*$/, '') : String(error));
	}
}

const commonOptions = {
	json: {type: 'boolean', default: false},
	help: {type: 'boolean', short: 'h', default: false},
} as const;

/** Every command takes --json and --help; each adds its own options. */
function parseCommand<Options extends ParseArgsOptionsConfig>(argv: readonly string[], options: Options) {
	return explainUsage(() => parseArgs({args: [...argv], allowPositionals: true, strict: true, options: {...commonOptions, ...options}}));
}

// Options that take a value: the word after them is never the command (`todo-deploy --url URL`).
const valueOptions = new Set(Object.entries({...imagesSpec, ...deploySpec, ...verifySpec}).flatMap(([name, spec]) => (spec.type === 'string' ? [`--${name}`, ...('short' in spec ? [`-${spec.short}`] : [])] : [])));
for (const name of ['--skip', '--mirror', '--port', '--registry', '--dir', '--target', '--selector', '-l', '--timeout']) {
	valueOptions.add(name);
}

/** The first word that is neither an option nor an option's value. */
function commandWord(argv: readonly string[]): string | undefined {
	for (let index = 0; index < argv.length; index++) {
		const argument = argv[index] ?? '';
		if (argument === '--') {
			return argv[index + 1];
		}

		if (!argument.startsWith('-')) {
			return argument;
		}

		if (valueOptions.has(argument)) {
			index++;
		}
	}

	return undefined;
}

function parseCommandLine(argv: readonly string[]): Command {
	const first = commandWord(argv);
	if (first === 'status') {
		const parsed = parseCommand(argv, {
			namespace: {type: 'string', short: 'n'},
			context: {type: 'string'},
			selector: {type: 'string', short: 'l'},
			once: {type: 'boolean', default: false},
		});
		if (parsed.positionals.length > 1) {
			throw new UsageError(`status takes no arguments; got ${parsed.positionals.slice(1).join(' ')} (use -n NAMESPACE).`);
		}

		return {type: 'status', json: parsed.values.json, help: parsed.values.help, version: undefined, namespace: parsed.values.namespace, context: parsed.values.context, selector: parsed.values.selector, once: parsed.values.once};
	}

	if (first === 'discover') {
		const parsed = parseCommand(argv, {
			backend: {type: 'string'},
			frontend: {type: 'string'},
			chart: {type: 'string'},
			save: {type: 'boolean', default: false},
		});
		if (parsed.positionals.length > 2) {
			throw new UsageError(`discover takes one project folder; got ${parsed.positionals.slice(1).join(' ')}.`);
		}

		return {type: 'discover', json: parsed.values.json, help: parsed.values.help, version: undefined, root: path.resolve(parsed.positionals[1] ?? '.'), backend: parsed.values.backend, frontend: parsed.values.frontend, chart: parsed.values.chart, save: parsed.values.save};
	}

	if (first === 'build' || first === 'load' || first === 'scan') {
		const parsed = parseCommand(argv, {...imagesSpec, load: {type: 'boolean', default: false}, scan: {type: 'boolean', default: false}, registry: {type: 'string'}, context: {type: 'string'}});
		if (parsed.positionals.length > 2) {
			throw new UsageError(`${first} takes one project folder; got ${parsed.positionals.slice(1).join(' ')}.`);
		}

		const targets = [parsed.values.kind, parsed.values.minikube, parsed.values.registry].filter(value => value !== undefined);
		if (targets.length > 1) {
			throw new UsageError('Name one place to load into: --kind CLUSTER, --minikube PROFILE or --registry HOST/NAMESPACE.');
		}

		if (parsed.values.registry !== undefined && !/^[\w.-]+(:\d+)?(\/[\w.-]+)*$/.test(parsed.values.registry)) {
			throw new UsageError(`--registry ${parsed.values.registry} is not a registry like localhost:5000/team or ghcr.io/you.`);
		}

		return {
			type: 'images',
			json: parsed.values.json,
			help: parsed.values.help,
			version: undefined,
			steps: {build: true, load: first === 'load' || parsed.values.load, scan: first === 'scan' || parsed.values.scan},
			root: path.resolve(parsed.positionals[1] ?? '.'),
			target: {kind: parsed.values.kind, minikube: parsed.values.minikube, registry: parsed.values.registry, context: parsed.values.context},
			...imagesOptions(parsed.values),
		};
	}

	if (first === 'deploy') {
		const parsed = parseCommand(argv, {...deploySpec, yes: {type: 'boolean', short: 'y', default: false}, registry: {type: 'string'}});
		if (parsed.positionals.length > 2) {
			throw new UsageError(`deploy takes one project folder; got ${parsed.positionals.slice(1).join(' ')}.`);
		}

		return {type: 'deploy', json: parsed.values.json, help: parsed.values.help, version: undefined, root: path.resolve(parsed.positionals[1] ?? '.'), registry: parsed.values.registry, yes: parsed.values.yes, ...deployOptions(parsed.values)};
	}

	if (first === 'verify') {
		const parsed = parseCommand(argv, {...verifySpec, namespace: deploySpec.namespace, release: deploySpec.release, context: deploySpec.context, port: {type: 'string', default: '8000'}});
		if (parsed.positionals.length > 2) {
			throw new UsageError(`verify takes one project folder; got ${parsed.positionals.slice(1).join(' ')}.`);
		}

		checkName(parsed.values.release, parsed.values.namespace);
		return {
			type: 'verify', json: parsed.values.json, help: parsed.values.help, version: undefined,
			root: path.resolve(parsed.positionals[1] ?? '.'), namespace: parsed.values.namespace, release: parsed.values.release, context: parsed.values.context,
			port: Math.round(positive('port', parsed.values.port, '8000')), ...verifyOptions(parsed.values),
		};
	}

	if (first === undefined || first === 'up' || first === 'wizard') {
		const parsed = parseCommand(argv, {...imagesSpec, ...deploySpec, ...verifySpec, version: {type: 'boolean', short: 'v', default: false}, yes: {type: 'boolean', short: 'y', default: false}, skip: {type: 'string', multiple: true, default: []}, mirror: {type: 'string'}, port: {type: 'string', default: '8000'}});
		const folders = first === undefined ? parsed.positionals : parsed.positionals.slice(1);
		if (folders.length > 1) {
			throw new UsageError(`up takes one project folder; got ${folders.join(' ')}.`);
		}

		const skip = parsed.values.skip.flatMap(list => list.split(',')).map(item => item.trim()).filter(Boolean);
		const unknown = skip.filter(item => !(skippable as readonly string[]).includes(item));
		if (unknown.length > 0) {
			throw new UsageError(`--skip takes ${skippable.join(', ')} (comma-separated); not ${unknown.join(', ')}.`);
		}

		if (parsed.values.kind !== undefined && parsed.values.minikube !== undefined) {
			throw new UsageError('Name one cluster: --kind CLUSTER or --minikube PROFILE.');
		}

		return {
			type: 'up', json: parsed.values.json, help: parsed.values.help, version: parsed.values.version,
			root: path.resolve(folders[0] ?? '.'), yes: parsed.values.yes, kind: parsed.values.kind, minikube: parsed.values.minikube, skip: skip as Skippable[], mirror: parsed.values.mirror ?? process.env['TODO_DEPLOY_MIRROR'],
			port: Math.round(positive('port', parsed.values.port, '8000')),
			images: imagesOptions(parsed.values), deploy: deployOptions(parsed.values), verify: verifyOptions(parsed.values),
		};
	}

	if (first === 'down') {
		const parsed = parseCommand(argv, {namespace: deploySpec.namespace, release: deploySpec.release, context: deploySpec.context, 'delete-namespace': {type: 'boolean', default: false}, 'delete-cluster': {type: 'boolean', default: false}});
		if (parsed.positionals.length > 2) {
			throw new UsageError(`down takes one project folder; got ${parsed.positionals.slice(1).join(' ')}.`);
		}

		checkName(parsed.values.release, parsed.values.namespace);
		return {
			type: 'down', json: parsed.values.json, help: parsed.values.help, version: undefined, root: path.resolve(parsed.positionals[1] ?? '.'),
			namespace: parsed.values.namespace, release: parsed.values.release, context: parsed.values.context,
			deleteNamespace: parsed.values['delete-namespace'], deleteCluster: parsed.values['delete-cluster'],
		};
	}

	if (first === 'lint') {
		const parsed = parseCommand(argv, {
			values: {type: 'string', short: 'f', multiple: true, default: []},
			target: {type: 'string', default: 'local'},
		});
		if (parsed.positionals.length > 2) {
			throw new UsageError(`lint takes one chart folder; got ${parsed.positionals.slice(1).join(' ')}.`);
		}

		if (parsed.values.target !== 'local' && parsed.values.target !== 'registry') {
			throw new UsageError(`--target is local (images loaded into minikube or kind) or registry, not "${parsed.values.target}".`);
		}

		return {type: 'lint', json: parsed.values.json, help: parsed.values.help, version: undefined, chart: parsed.positionals[1], valuesFiles: parsed.values.values.map(file => path.resolve(file)), target: parsed.values.target};
	}

	if (first === 'install') {
		const parsed = parseCommand(argv, {
			version: {type: 'string'},
			dir: {type: 'string'},
			mirror: {type: 'string'},
			force: {type: 'boolean', default: false},
			timeout: {type: 'string'},
		});
		const names = parsed.positionals.slice(1);
		const unknown = names.filter(name => !isToolName(name));
		if (unknown.length > 0) {
			throw new UsageError(`Unknown tool ${unknown.map(name => `"${name}"`).join(', ')}: todo-deploy installs ${toolNames.join(', ')}.`);
		}

		if (names.length === 0 && !parsed.values.help) {
			throw new UsageError(`Name the tools to install: todo-deploy install ${toolNames.join(' ')}`);
		}

		if (parsed.values.version !== undefined && names.length > 1) {
			throw new UsageError('--version applies to one tool at a time: todo-deploy install helm --version 3.19.0');
		}

		if (parsed.values.version !== undefined && !/^v?\d+\.\d+\.\d+([-+][\w.-]+)?$/.test(parsed.values.version)) {
			throw new UsageError(`--version ${parsed.values.version} is not a version like 4.2.4.`);
		}

		const timeoutSeconds = parsed.values.timeout === undefined ? 30 : Number(parsed.values.timeout);
		if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) {
			throw new UsageError(`--timeout takes seconds, like --timeout 60 (got "${parsed.values.timeout ?? ''}").`);
		}

		const mirror = parsed.values.mirror ?? process.env['TODO_DEPLOY_MIRROR'];
		if (mirror !== undefined && !/^https?:\/\/[^/]+/.test(mirror)) {
			throw new UsageError(`--mirror ${mirror} is not an http:// or https:// address.`);
		}

		return {
			type: 'install',
			json: parsed.values.json,
			help: parsed.values.help,
			version: undefined,
			tools: [...new Set(names)] as ToolName[],
			toolVersion: parsed.values.version,
			dir: parsed.values.dir === undefined ? undefined : path.resolve(parsed.values.dir),
			mirror: mirror || undefined,
			force: parsed.values.force,
			timeoutSeconds,
		};
	}

	if (first !== 'doctor') {
		throw new UsageError(`Unknown command "${first}".`);
	}

	const parsed = parseCommand(argv, {version: {type: 'boolean', short: 'v', default: false}});
	if (parsed.positionals.length > 1) {
		throw new UsageError(`Unexpected argument "${parsed.positionals[1] ?? ''}" after doctor.`);
	}

	return {type: 'doctor', json: parsed.values.json, help: parsed.values.help, version: parsed.values.version};
}

// The same rule as Ink's is-in-ci: in CI Ink draws only the last frame, so plain lines serve better.
const isSet = (key: string) => key in process.env && process.env[key] !== '0' && process.env[key] !== 'false';

function isInteractive(): boolean {
	return Boolean(process.stdout.isTTY) && !isSet('CI') && !isSet('CONTINUOUS_INTEGRATION');
}

/** A yes/no question on the terminal (the caller knows there is one). */
async function ask(question: string): Promise<boolean> {
	const [{render}, {Question}] = await Promise.all([import('ink'), import('./views/question.js')]);
	let answer = false;
	const app = render(<Question question={question} onAnswer={yes => {
		answer = yes;
	}}/>, {exitOnCtrlC: true});
	await app.waitUntilExit();
	return answer;
}

async function writeOut(text: string): Promise<void> {
	await new Promise<void>(resolve => {
		process.stdout.write(text, () => {
			resolve();
		});
	});
}

async function main(argv: readonly string[]): Promise<number> {
	let options: Command;
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
	if (options.type === 'install') {
		return install({...options, dir: options.dir ?? defaultInstallDir(process.env, os.homedir())}, mode);
	}

	if (options.type === 'lint') {
		return lint(options);
	}

	if (options.type === 'status') {
		return statusScreen(options, mode);
	}

	if (options.type === 'discover') {
		return discover(options);
	}

	if (options.type === 'images') {
		return images(options, mode);
	}

	if (options.type === 'deploy') {
		return deploy(options, mode);
	}

	if (options.type === 'verify') {
		return verify(options, mode);
	}

	if (options.type === 'up') {
		return up(options, mode);
	}

	if (options.type === 'down') {
		return down(options, mode);
	}

	return doctor(mode);
}

type InstallSettings = Pick<InstallRequest, 'tools' | 'dir' | 'mirror' | 'force'> & {
	readonly toolVersion?: string | undefined;
	readonly timeoutSeconds: number;
};

/** Runs the doctor with the chosen renderer. */
async function doctor(mode: Mode): Promise<number> {
	const store = createStore<DoctorState, DoctorAction>(doctorReducer, initialDoctorState());
	const system = createSystem(process.env, {toolsDir: defaultInstallDir(process.env, os.homedir())});
	if (mode === 'interactive') {
		// Ink and the views load only here, so plain and JSON runs never pay for them.
		const [{render}, {DoctorApp}] = await Promise.all([import('ink'), import('./views/doctor-app.js')]);
		const app = render(<DoctorApp store={store} version={packageJson.version}/>, {exitOnCtrlC: true});
		const run = runDoctor(system, store);
		await app.waitUntilExit();
		await run;
	} else if (mode === 'plain') {
		process.stderr.write(`todo-deploy ${packageJson.version}: checking this machine…\n`);
		const unsubscribe = renderDoctorPlain(store, text => process.stdout.write(text));
		await runDoctor(system, store);
		unsubscribe();
	} else {
		await runDoctor(system, store);
		await writeOut(`${JSON.stringify(doctorJson(store.getState()), null, 2)}\n`);
	}

	return doctorExitCode(store.getState());
}

/** The project's backend, frontend and chart; a broken todo-deploy.json is said, and undefined returned. */
async function projectOrSay(root: string, flags: ProjectFlags): Promise<ResolvedProject | undefined> {
	const {resolveProject} = await import('./engine/project/resolve.js');
	try {
		return await resolveProject(root, flags);
	} catch (error) {
		process.stderr.write(`todo-deploy: ${error instanceof Error ? error.message : String(error)}\n`);
		return undefined;
	}
}

/** Where the backend, the frontend and the chart are: flags, then todo-deploy.json, then discovery. */
async function discover(options: Extract<Command, {type: 'discover'}>): Promise<number> {
	const {writeProjectConfig, configFileName} = await import('./adapters/project.js');
	const project = await projectOrSay(options.root, options);
	if (!project) {
		return 1;
	}

	const {found} = project;
	const chosen = {backend: project.backend, frontend: project.frontend, chart: project.chart};
	let save = options.save;
	// On a terminal, a first discovery that found both images is offered for keeping.
	const offer = !save && !options.json && isInteractive() && project.saved === undefined && chosen.backend !== undefined && chosen.frontend !== undefined;
	if (offer) {
		const describe = (image: {context: string; dockerfile: string}) => `${image.context}/${image.dockerfile}`;
		await writeOut(`backend   ${chosen.backend ? describe(chosen.backend) : ''}\nfrontend  ${chosen.frontend ? describe(chosen.frontend) : ''}\nchart     ${chosen.chart ?? 'the chart todo-deploy ships'}\n${found.notes.map(note => `note: ${note}\n`).join('')}`);
		save = await ask(`Use these and save them to ${configFileName}?`);
	}

	let savedTo: string | undefined;
	if (save) {
		savedTo = await writeProjectConfig(options.root, Object.fromEntries(Object.entries(chosen).filter(([, value]) => value !== undefined)));
	}

	if (offer) {
		await writeOut(savedTo ? `Saved to ${savedTo}; flags --backend, --frontend and --chart still override it.\n` : `Not saved. Name other folders with --backend, --frontend and --chart, then run todo-deploy discover --save.\n`);
		return 0;
	}

	if (options.json) {
		await writeOut(`${JSON.stringify({root: options.root, ...chosen, candidates: found.candidates, notes: found.notes, saved: savedTo ?? null}, null, 2)}\n`);
	} else {
		const describe = (image: {context: string; dockerfile: string} | undefined) => (image ? `${image.context}/${image.dockerfile}` : 'not found');
		await writeOut([
			`backend   ${describe(chosen.backend)}  (${project.sources.backend})`,
			`frontend  ${describe(chosen.frontend)}  (${project.sources.frontend})`,
			`chart     ${chosen.chart ?? 'not found: the chart todo-deploy ships will be used'}  (${project.sources.chart})`,
			...found.notes.map(note => `note: ${note}`),
			savedTo ? `Saved to ${savedTo}; flags still override it.` : `Run todo-deploy discover --save to keep this answer in ${configFileName} (flags --backend, --frontend, --chart override).`,
			'',
		].join('\n'));
	}

	return chosen.backend && chosen.frontend ? 0 : 1;
}

/** build, load and scan: both images at once, each loaded and scanned as soon as it is built. */
async function images(options: Extract<Command, {type: 'images'}>, mode: Mode): Promise<number> {
	const system = createSystem(process.env, {toolsDir: defaultInstallDir(process.env, os.homedir())});
	const [{runImages}, {resolveLoadTarget}, {imagesJson, renderImagesPlain}, {describeTarget}] = await Promise.all([
		import('./engine/images/run.js'),
		import('./engine/images/target.js'),
		import('./render/images-report.js'),
		import('./engine/images/actions.js'),
	]);
	const project = await projectOrSay(options.root, options);
	if (!project) {
		return 1;
	}

	const resolved = options.steps.load ? await resolveLoadTarget(system, options.target) : {target: undefined, why: ''};
	if (options.steps.load && !resolved.target) {
		process.stderr.write(`todo-deploy: no cluster to load into: ${resolved.why}.\nName one: --kind CLUSTER, --minikube PROFILE or --registry HOST/NAMESPACE (todo-deploy doctor shows what is there).\n`);
		return exitCodes.environment;
	}

	const {imagesReducer, imagesSucceeded, initialImagesState} = await import('./engine/images/reducer.js');
	const store = createStore<ImagesState, ImagesAction>(imagesReducer, initialImagesState());
	const cancel = new AbortController();
	const onSignal = () => cancel.abort();
	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);
	const request = {
		root: options.root,
		sources: {
			...(project.backend && options.only !== 'frontend' ? {backend: project.backend} : {}),
			...(project.frontend && options.only !== 'backend' ? {frontend: project.frontend} : {}),
		},
		steps: options.steps,
		target: resolved.target,
		buildArgs: options.buildArgs,
		rebuild: options.rebuild,
		gate: options.gate,
		skipDbUpdate: options.skipDbUpdate,
		rescan: options.rescan,
		reportsDir: path.join(options.root, '.todo-deploy', 'reports'),
		signal: cancel.signal,
	};

	if (mode === 'interactive') {
		const [{render}, {ImagesApp}] = await Promise.all([import('ink'), import('./views/images-app.js')]);
		const app = render(<ImagesApp store={store} onCancel={onSignal}/>, {exitOnCtrlC: false});
		const run = runImages(system, store, request);
		await app.waitUntilExit();
		await run;
	} else if (mode === 'plain') {
		if (resolved.target) {
			process.stderr.write(`Loading into ${describeTarget(resolved.target)} (${resolved.why}).\n`);
		}

		const unsubscribe = renderImagesPlain(store, text => process.stdout.write(text), text => process.stderr.write(text));
		await runImages(system, store, request);
		unsubscribe();
	} else {
		await runImages(system, store, request);
		await writeOut(`${JSON.stringify(imagesJson(store.getState()), null, 2)}\n`);
	}

	process.off('SIGINT', onSignal);
	process.off('SIGTERM', onSignal);
	const {recordSection} = await import('./engine/report/run.js');
	const finalState = store.getState();
	const data = imagesJson(finalState);
	const built = finalState.images.length > 0 && finalState.images.every(entry => entry.build.type === 'done' && (entry.load.type === 'done' || entry.load.type === 'skipped'));
	await recordSection(options.root, 'images', {status: built ? 'verified' : 'failed', data});
	if (options.steps.scan) {
		const scanned = finalState.images.length > 0 && finalState.images.every(entry => entry.scan.type === 'done' && entry.scan.summary.gate.passed);
		await recordSection(options.root, 'scan', {status: scanned ? 'verified' : 'failed', data});
	}

	if (cancel.signal.aborted) {
		return exitCodes.cancelled;
	}

	if (imagesSucceeded(finalState)) {
		return exitCodes.ok;
	}

	if (finalState.error) {
		return exitCodes.environment;
	}

	if (finalState.images.some(entry => entry.build.type === 'failed')) {
		return exitCodes.build;
	}

	// A cluster, registry, Trivy or its database that is not there.
	if (finalState.images.some(entry => entry.load.type === 'failed' || entry.scan.type === 'failed')) {
		return exitCodes.environment;
	}

	return finalState.images.some(entry => entry.scan.type === 'done' && !entry.scan.summary.gate.passed) ? exitCodes.scanGate : exitCodes.fixFirst;
}

/** The chart to deploy: --chart, then the project's (todo-deploy.json or discovered), then the one todo-deploy ships. */
async function chartFor(root: string, given: string | undefined, found: string | undefined): Promise<string> {
	if (given) {
		return path.resolve(given);
	}

	if (found) {
		return path.resolve(root, found);
	}

	return defaultChart();
}

/** Questions on the flow screen: the screen shows them, the answer comes back here; Ctrl-C answers "no". */
function questioner(flow: Store<FlowState, FlowAction>, signal?: AbortSignal) {
	let pending: ((answer: boolean | string | readonly string[] | undefined) => void) | undefined;
	signal?.addEventListener('abort', () => pending?.(undefined), {once: true});
	return {
		ask: async (question: FlowQuestion): Promise<boolean | string | readonly string[] | undefined> => new Promise(resolve => {
			pending = answer => {
				pending = undefined;
				flow.dispatch({type: 'flow/ask', question: undefined});
				resolve(answer);
			};

			flow.dispatch({type: 'flow/ask', question});
		}),
		onAnswer: (answer: boolean | string | readonly string[] | undefined) => pending?.(answer),
	};
}

async function deploy(options: Extract<Command, {type: 'deploy'}>, mode: Mode): Promise<number> {
	const cancel = new AbortController();
	const onSignal = () => cancel.abort();
	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);
	const {openSessionLog} = await import('./adapters/session-log.js');
	const log = openSessionLog(options.root, 'deploy', process.env);
	const system = createSystem(process.env, {toolsDir: defaultInstallDir(process.env, os.homedir()), signal: cancel.signal, onRun: record => log.run(record)});
	const [{connectCluster, ClusterError}, {planImage}, {runDeploy, deploySteps, chartDigestOf}, {parseDotenv, secretSpecs}, {initialStatusState, statusReducer}, {flowReducer, initialFlowState}, {renderFlowPlain}] = await Promise.all([
		import('./adapters/cluster.js'),
		import('./engine/images/run.js'),
		import('./engine/deploy/run.js'),
		import('./engine/deploy/secrets.js'),
		import('./engine/status/reducer.js'),
		import('./engine/flow/reducer.js'),
		import('./render/flow-plain.js'),
	]);
	const project = await projectOrSay(options.root, {chart: options.chart});
	if (!project) {
		return exitCodes.fixFirst;
	}

	// The image tags are the ones build gives the same sources.
	const values: Record<string, string> = {imageSource: options.registry ? 'registry' : 'local'};
	for (const name of ['backend', 'frontend'] as const) {
		const source = project[name];
		if (!source) {
			continue;
		}

		try {
			const {plan} = await planImage(system, options.root, name, source, {});
			values[`${name}.image.repository`] = options.registry ? `${options.registry.replace(/\/$/, '')}/${plan.repository}` : plan.repository;
			values[`${name}.image.tag`] = plan.tag;
		} catch (error) {
			process.stderr.write(`todo-deploy: the ${name} image: ${error instanceof Error ? error.message : String(error)}\n`);
			return exitCodes.fixFirst;
		}
	}

	let cluster;
	try {
		cluster = await connectCluster(system, {context: options.context, namespace: options.namespace, selector: `app.kubernetes.io/instance=${options.release}`});
	} catch (error) {
		process.stderr.write(`todo-deploy: ${error instanceof ClusterError ? error.message : `the cluster could not be reached: ${error instanceof Error ? error.message : String(error)}`}\n`);
		return exitCodes.environment;
	}

	const dotenv = parseDotenv(await readFile(path.join(options.root, '.env'), 'utf8').catch(() => ''));
	const flow = createStore<FlowState, FlowAction>(flowReducer, initialFlowState());
	const status = createStore(statusReducer, initialStatusState());
	const interactive = mode === 'interactive';
	const questions = questioner(flow, cancel.signal);
	flow.dispatch({type: 'flow/planned', title: `deploy ${options.release} → ${options.namespace} in ${cluster.context}`, steps: deploySteps});
	const chart = await chartFor(options.root, options.chart, project.chart);
	const {readDeployMemory, writeDeployMemory} = await import('./engine/report/run.js');
	const memoryKey = `${cluster.context}/${options.namespace}/${options.release}`;
	const request = {
		chart,
		chartDigest: await chartDigestOf(chart, options.valuesFiles),
		previous: await readDeployMemory(options.root, memoryKey),
		release: options.release,
		namespace: options.namespace,
		context: options.context,
		values: {...values, ...options.sets},
		valuesFiles: options.valuesFiles,
		helmArgs: options.helmArgs,
		env: process.env,
		dotenv,
		prompt: interactive && !options.yes ? async (name: SecretName) => {
			const answer = await questions.ask({kind: 'secret', text: `${secretSpecs[name].label} (${secretSpecs[name].why}):`});
			return typeof answer === 'string' && answer !== '' ? answer : undefined;
		} : undefined,
		random: () => randomBytes(24).toString('base64url'),
		timeoutMs: options.timeoutSeconds * 1000,
		onFailure: options.onFailure ?? (interactive && !options.yes ? async (question: string) => ((await questions.ask({kind: 'confirm', text: question})) === true ? 'rollback' as const : 'keep' as const) : 'keep' as const),
		recover: options.recover,
		onSecrets: (values: readonly string[]) => log.addSecrets(values),
		signal: cancel.signal,
		clusterImages: await (await import('./engine/status/cluster-images.js')).clusterImagesOfContext(system, options.context),
	};
	const started = Date.now();
	const finish = (result: {ready: boolean}) => {
		const failed = flow.getState().steps.find(step => step.status.type === 'failed');
		flow.dispatch({type: 'flow/finished', outcome: {
			type: cancel.signal.aborted ? 'cancelled' : result.ready ? 'succeeded' : 'failed',
			message: result.ready ? `Deployed: every pod of ${options.release} is ready. Watch it: todo-deploy status -n ${options.namespace}` : `Not deployed${failed ? `: ${failed.title} failed` : ''}.`,
			durationMs: Date.now() - started,
		}});
	};

	let result;
	if (interactive) {
		const [{render}, {FlowApp}] = await Promise.all([import('ink'), import('./views/flow-app.js')]);
		const app = render(<FlowApp store={flow} pods={{store: status, context: cluster.context, namespace: options.namespace, during: 'rollout'}} onAnswer={questions.onAnswer} onCancel={onSignal}/>, {exitOnCtrlC: false});
		result = await runDeploy(system, cluster, flow, status, request);
		finish(result);
		await app.waitUntilExit();
	} else {
		const unsubscribe = mode === 'plain' ? renderFlowPlain(flow, text => process.stdout.write(text), text => process.stderr.write(text)) : () => undefined;
		result = await runDeploy(system, cluster, flow, status, request);
		finish(result);
		unsubscribe();
	}

	if (result.ready && result.fingerprint && result.revision !== undefined && !Number.isNaN(result.revision)) {
		await writeDeployMemory(options.root, memoryKey, {fingerprint: result.fingerprint, revision: result.revision});
	}

	const state = flow.getState();
	const summary = {release: options.release, namespace: options.namespace, context: cluster.context, ready: result.ready, revision: result.revision ?? null, kept: result.kept ?? null, secrets: result.secrets, steps: state.steps, notes: state.notes, pods: result.report?.pods.map(row => ({name: row.name, ready: row.ready, status: row.status, probes: row.probes, diagnosis: row.diagnosis})) ?? []};
	const {recordSection} = await import('./engine/report/run.js');
	await recordSection(options.root, 'deploy', {status: result.ready ? 'verified' : 'failed', data: summary});
	if (mode === 'json') {
		await writeOut(`${JSON.stringify(summary, null, 2)}\n`);
	}

	process.off('SIGINT', onSignal);
	process.off('SIGTERM', onSignal);
	if (cancel.signal.aborted) {
		return exitCodes.cancelled;
	}

	if (result.ready) {
		return exitCodes.ok;
	}

	const failed = flow.getState().steps.find(step => step.status.type === 'failed')?.id;
	return failed === 'rollout' ? exitCodes.rollout : failed === 'helm' ? exitCodes.deploy : failed === 'release' ? exitCodes.deploy : exitCodes.fixFirst;
}

async function verify(options: Extract<Command, {type: 'verify'}>, mode: Mode): Promise<number> {
	const system = createSystem(process.env, {toolsDir: defaultInstallDir(process.env, os.homedir())});
	const [{runVerify, verifySteps}, {resolveLoadTarget}, {flowReducer, initialFlowState}, {renderFlowPlain}, {recordSection}] = await Promise.all([
		import('./engine/verify/run.js'),
		import('./engine/images/target.js'),
		import('./engine/flow/reducer.js'),
		import('./render/flow-plain.js'),
		import('./engine/report/run.js'),
	]);
	const target = options.url ? undefined : (await resolveLoadTarget(system, {context: options.context})).target;
	const flow = createStore<FlowState, FlowAction>(flowReducer, initialFlowState());
	const cancel = new AbortController();
	const onSignal = () => cancel.abort();
	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);
	flow.dispatch({type: 'flow/planned', title: `verify ${options.release} in ${options.namespace}`, steps: verifySteps});
	const request = {
		url: options.url, namespace: options.namespace, release: options.release, context: options.context,
		minikubeProfile: target?.type === 'minikube' ? target.profile : undefined, servicePort: options.port,
		api: options.api, loadPath: options.loadPath ?? options.api, users: options.users, durationMs: options.durationSeconds * 1000,
		targetP95Ms: options.targetP95Ms, load: options.load, signal: cancel.signal,
	};
	const started = Date.now();
	const finish = (passed: boolean) => flow.dispatch({type: 'flow/finished', outcome: {
		type: cancel.signal.aborted ? 'cancelled' : passed ? 'succeeded' : 'failed',
		message: passed ? 'Verified: healthy, the todo API works, and the load target is met.' : 'Not verified: see the failed step above.',
		durationMs: Date.now() - started,
	}});
	let result;
	if (mode === 'interactive') {
		const [{render}, {FlowApp}] = await Promise.all([import('ink'), import('./views/flow-app.js')]);
		const app = render(<FlowApp store={flow} onAnswer={() => undefined} onCancel={onSignal}/>, {exitOnCtrlC: false});
		result = await runVerify(system, flow, request);
		finish(result.passed);
		await app.waitUntilExit();
	} else {
		const unsubscribe = mode === 'plain' ? renderFlowPlain(flow, text => process.stdout.write(text), text => process.stderr.write(text)) : () => undefined;
		result = await runVerify(system, flow, request);
		finish(result.passed);
		unsubscribe();
	}

	const report = await recordSection(options.root, 'verify', {status: result.passed ? 'verified' : 'failed', data: result});
	if (mode === 'json') {
		await writeOut(`${JSON.stringify({...result, steps: flow.getState().steps, report}, null, 2)}\n`);
	} else {
		process.stdout.write(`Report: ${displayPath(report)}\n`);
	}

	process.off('SIGINT', onSignal);
	process.off('SIGTERM', onSignal);
	if (cancel.signal.aborted) {
		return exitCodes.cancelled;
	}

	const reached = flow.getState().steps.find(step => step.id === 'reach')?.status.type === 'done';
	return result.passed ? exitCodes.ok : reached ? exitCodes.verify : exitCodes.environment;
}

/** The whole flow: checks, plan, install, cluster, images, lint, deploy, verify, report. */
async function up(options: Extract<Command, {type: 'up'}>, mode: Mode): Promise<number> {
	const installDir = defaultInstallDir(process.env, os.homedir());
	const ask = mode === 'interactive' && !options.yes;
	if (mode !== 'interactive' && !options.yes && !isSet('CI') && !isSet('CONTINUOUS_INTEGRATION')) {
		process.stderr.write('todo-deploy: there is no terminal to ask before installing tools, starting a cluster and deploying; run with --yes to go ahead (todo-deploy doctor only checks).\n');
		return exitCodes.fixFirst;
	}

	const cancel = new AbortController();
	const onSignal = () => cancel.abort();
	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);
	const {openSessionLog} = await import('./adapters/session-log.js');
	const log = openSessionLog(options.root, 'up', process.env);
	const system = createSystem(process.env, {toolsDir: installDir, signal: cancel.signal, onRun: record => log.run(record)});

	const [{connectCluster}, {runUp, upSteps}, {parseDotenv, secretSpecs}, {initialStatusState, statusReducer}, {flowReducer, initialFlowState}, {renderFlowPlain}, {recordSection}] = await Promise.all([
		import('./adapters/cluster.js'),
		import('./engine/up/run.js'),
		import('./engine/deploy/secrets.js'),
		import('./engine/status/reducer.js'),
		import('./engine/flow/reducer.js'),
		import('./render/flow-plain.js'),
		import('./engine/report/run.js'),
	]);
	const project = await projectOrSay(options.root, {backend: options.images.backend, frontend: options.images.frontend, chart: options.deploy.chart});
	if (!project) {
		return exitCodes.fixFirst;
	}

	if (!project.backend || !project.frontend) {
		process.stderr.write(`todo-deploy: ${project.backend ? '' : 'no backend Dockerfile'}${!project.backend && !project.frontend ? ' and ' : ''}${project.frontend ? '' : 'no frontend Dockerfile'} found in ${options.root}.\n${project.found.notes.map(note => `  ${note}\n`).join('')}Name them: --backend DIR --frontend DIR (todo-deploy discover shows what was found).\n`);
		return exitCodes.fixFirst;
	}

	const flow = createStore<FlowState, FlowAction>(flowReducer, initialFlowState());
	const status = createStore(statusReducer, initialStatusState());
	const questions = questioner(flow, cancel.signal);
	// --no-load is the same as --skip load-check.
	const skip = new Set<Skippable>([...options.skip, ...(options.verify.load ? [] : ['load-check' as const])]);
	flow.dispatch({type: 'flow/planned', title: `up: ${path.basename(options.root)} → release ${options.deploy.release} in ${options.deploy.namespace}`, steps: upSteps(skip)});
	const dotenv = parseDotenv(await readFile(path.join(options.root, '.env'), 'utf8').catch(() => ''));
	const chart = await chartFor(options.root, options.deploy.chart, project.chart);
	const request = {
		root: options.root,
		sources: {backend: project.backend, frontend: project.frontend},
		chart,
		skip,
		installDir,
		mirror: options.mirror || undefined,
		kind: options.kind,
		minikube: options.minikube,
		images: {buildArgs: options.images.buildArgs, rebuild: options.images.rebuild, gate: options.images.gate, skipDbUpdate: options.images.skipDbUpdate, rescan: options.images.rescan, reportsDir: path.join(options.root, '.todo-deploy', 'reports')},
		deploy: {
			release: options.deploy.release, namespace: options.deploy.namespace, context: options.deploy.context, sets: options.deploy.sets,
			valuesFiles: options.deploy.valuesFiles, helmArgs: options.deploy.helmArgs, env: process.env, dotenv,
			prompt: ask ? async (name: SecretName) => {
				const answer = await questions.ask({kind: 'secret', text: `${secretSpecs[name].label} (${secretSpecs[name].why}):`});
				return typeof answer === 'string' && answer !== '' ? answer : undefined;
			} : undefined,
			random: () => randomBytes(24).toString('base64url'),
			timeoutMs: options.deploy.timeoutSeconds * 1000,
			onFailure: options.deploy.onFailure ?? (ask ? async (question: string) => ((await questions.ask({kind: 'confirm', text: question})) === true ? 'rollback' as const : 'keep' as const) : 'keep' as const),
			recover: options.deploy.recover,
			onSecrets: (values: readonly string[]) => log.addSecrets(values),
		},
		verify: {url: options.verify.url, servicePort: options.port, api: options.verify.api, loadPath: options.verify.loadPath ?? options.verify.api, users: options.verify.users, durationMs: options.verify.durationSeconds * 1000, targetP95Ms: options.verify.targetP95Ms},
		connect: async (context: string | undefined) => connectCluster(system, {context, namespace: options.deploy.namespace, selector: `app.kubernetes.io/instance=${options.deploy.release}`}),
		describeRelease: async () => {
			// Read with a system the Ctrl-C did not cancel.
			const {releaseHistory, releaseState, isPending} = await import('./adapters/helm.js');
			const fresh = createSystem(process.env, {toolsDir: installDir});
			const helm = await fresh.which('helm');
			const history = helm ? await releaseHistory(fresh, helm, options.deploy.release, options.deploy.namespace, options.deploy.context).catch(() => undefined) : undefined;
			const state = history ? releaseState(history) : undefined;
			if (!state) {
				return `Release ${options.deploy.release}: not installed in ${options.deploy.namespace}.`;
			}

			return isPending(state.status)
				? `Release ${options.deploy.release}: revision ${state.revision} is ${state.status} (helm was stopped mid-way). todo-deploy deploy --recover rolls it back and deploys again.`
				: `Release ${options.deploy.release}: revision ${state.revision} is ${state.status}; the pods may still be starting (todo-deploy status -n ${options.deploy.namespace}).`;
		},
		record: async (name: 'environment' | 'images' | 'scan' | 'lint' | 'deploy' | 'verify', sectionStatus: 'verified' | 'failed', data: unknown) => recordSection(options.root, name, {status: sectionStatus, data}),
		confirmPlan: ask ? async (plan: {readonly summary: string; readonly skippable: ReadonlyArray<{readonly id: Skippable; readonly label: string; readonly on: boolean}>}) => {
			const answer = await questions.ask({kind: 'plan', text: `${plan.summary} Go?`, options: plan.skippable});
			if (!Array.isArray(answer)) {
				return {go: false, off: new Set<Skippable>()};
			}

			const on = new Set(answer as readonly string[]);
			return {go: true, off: new Set(plan.skippable.filter(item => !on.has(item.id)).map(item => item.id))};
		} : undefined,
		signal: cancel.signal,
	};
	const started = Date.now();
	const conclude = (result: {failedStep: string | undefined; report: string | undefined}) => {
		const steps = flow.getState().steps;
		const declined = steps.every(step => step.id === 'doctor' || step.status.type === 'skipped');
		const failed = steps.find(step => step.id === result.failedStep);
		flow.dispatch({type: 'flow/finished', outcome: {
			type: cancel.signal.aborted ? 'cancelled' : result.failedStep ? 'failed' : 'succeeded',
			message: declined && !result.failedStep ? 'Nothing was changed.' : result.failedStep ? `Stopped at "${failed?.title ?? result.failedStep}". The report says what was verified: ${result.report ? displayPath(result.report) : '.todo-deploy/report.md'}` : `The todo app runs in ${options.deploy.namespace}, verified. Report: ${result.report ? displayPath(result.report) : ''}. Live screen: todo-deploy status -n ${options.deploy.namespace}`,
			durationMs: Date.now() - started,
		}});
	};

	let result;
	if (mode === 'interactive') {
		const [{render}, {FlowApp}] = await Promise.all([import('ink'), import('./views/flow-app.js')]);
		const app = render(<FlowApp store={flow} pods={{store: status, context: options.deploy.context ?? '', namespace: options.deploy.namespace, during: 'rollout'}} onAnswer={questions.onAnswer} onCancel={onSignal}/>, {exitOnCtrlC: false});
		result = await runUp(system, flow, status, request);
		conclude(result);
		await app.waitUntilExit();
		// Once something is deployed, the wizard stays open as the live troubleshooting screen (q quits).
		if (!cancel.signal.aborted && result.deploy !== undefined) {
			await statusScreen({type: 'status', json: false, help: false, version: undefined, namespace: options.deploy.namespace, context: options.deploy.context, selector: `app.kubernetes.io/instance=${options.deploy.release}`, once: false}, 'interactive');
		}
	} else {
		const unsubscribe = mode === 'plain' ? renderFlowPlain(flow, text => process.stdout.write(text), text => process.stderr.write(text)) : () => undefined;
		result = await runUp(system, flow, status, request);
		conclude(result);
		unsubscribe();
		if (mode === 'json') {
			const state = flow.getState();
			await writeOut(`${JSON.stringify({outcome: state.outcome, failedStep: result.failedStep ?? null, report: result.report ?? null, steps: state.steps, notes: state.notes}, null, 2)}\n`);
		}
	}

	process.off('SIGINT', onSignal);
	process.off('SIGTERM', onSignal);
	log.note(`finished: ${flow.getState().outcome?.message ?? ''}`);
	if (mode !== 'json') {
		process.stderr.write(`Session log (secrets masked): ${displayPath(log.file)}\n`);
	}

	if (cancel.signal.aborted) {
		return exitCodes.cancelled;
	}

	const byStep: Readonly<Record<string, number>> = {
		doctor: exitCodes.fixFirst, install: exitCodes.environment, cluster: exitCodes.environment, images: exitCodes.build, scan: exitCodes.scanGate, lint: exitCodes.fixFirst,
		secrets: exitCodes.fixFirst, release: exitCodes.deploy, helm: exitCodes.deploy, rollout: exitCodes.rollout, reach: exitCodes.environment, health: exitCodes.verify, smoke: exitCodes.verify, load: exitCodes.verify,
	};
	return result.failedStep ? byStep[result.failedStep] ?? exitCodes.fixFirst : exitCodes.ok;
}

async function down(options: Extract<Command, {type: 'down'}>, mode: Mode): Promise<number> {
	const system = createSystem(process.env, {toolsDir: defaultInstallDir(process.env, os.homedir())});
	const [{connectCluster, ClusterError}, {runDown, downSteps}, {readCreatedCluster}, {flowReducer, initialFlowState}, {renderFlowPlain}] = await Promise.all([
		import('./adapters/cluster.js'),
		import('./engine/down/run.js'),
		import('./engine/report/run.js'),
		import('./engine/flow/reducer.js'),
		import('./render/flow-plain.js'),
	]);
	let cluster;
	try {
		cluster = await connectCluster(system, {context: options.context, namespace: options.namespace});
	} catch (error) {
		process.stderr.write(`todo-deploy: ${error instanceof ClusterError ? error.message : `the cluster could not be reached: ${error instanceof Error ? error.message : String(error)}`}\n`);
		return exitCodes.environment;
	}

	const flow = createStore<FlowState, FlowAction>(flowReducer, initialFlowState());
	flow.dispatch({type: 'flow/planned', title: `down ${options.release} in ${options.namespace} (${cluster.context})`, steps: downSteps});
	const started = Date.now();
	const request = {release: options.release, namespace: options.namespace, context: options.context, deleteNamespace: options.deleteNamespace, deleteCluster: options.deleteCluster, created: await readCreatedCluster(options.root)};
	let ok: boolean;
	const finish = () => flow.dispatch({type: 'flow/finished', outcome: {type: ok ? 'succeeded' : 'failed', message: ok ? `${options.release} is gone from ${options.namespace}.` : 'Not everything was removed; the failed step says what is left.', durationMs: Date.now() - started}});
	if (mode === 'interactive') {
		const [{render}, {FlowApp}] = await Promise.all([import('ink'), import('./views/flow-app.js')]);
		const app = render(<FlowApp store={flow} onAnswer={() => undefined}/>, {exitOnCtrlC: true});
		ok = await runDown(system, cluster, flow, request);
		finish();
		await app.waitUntilExit();
	} else {
		const unsubscribe = mode === 'plain' ? renderFlowPlain(flow, text => process.stdout.write(text), text => process.stderr.write(text)) : () => undefined;
		ok = await runDown(system, cluster, flow, request);
		finish();
		unsubscribe();
		if (mode === 'json') {
			await writeOut(`${JSON.stringify({removed: ok, steps: flow.getState().steps}, null, 2)}\n`);
		}
	}

	return ok ? exitCodes.ok : exitCodes.fixFirst;
}

async function statusScreen(options: Extract<Command, {type: 'status'}>, mode: Mode): Promise<number> {
	// Only the long-lived screen: deploy's rollout watch is short, and up's load check should not
	// measure a collector working harder than usual.
	preferSmallHeap();
	const system = createSystem(process.env, {toolsDir: defaultInstallDir(process.env, os.homedir())});
	const [{connectCluster, ClusterError}, {initialStatusState, statusReducer}, run, {statusReport}, {allReady, statusLines}] = await Promise.all([
		import('./adapters/cluster.js'),
		import('./engine/status/reducer.js'),
		import('./engine/status/run.js'),
		import('./engine/status/select.js'),
		import('./render/status-report.js'),
	]);
	let cluster;
	try {
		cluster = await connectCluster(system, {context: options.context, namespace: options.namespace ?? 'default', selector: options.selector});
	} catch (error) {
		process.stderr.write(`todo-deploy: ${error instanceof ClusterError ? error.message : `the cluster could not be reached: ${error instanceof Error ? error.message : String(error)}`}\n`);
		return 1;
	}

	const namespace = options.namespace ?? 'default';
	const store = createStore(statusReducer, initialStatusState());
	try {
		await run.loadSnapshot(cluster, store);
	} catch (error) {
		process.stderr.write(`todo-deploy: ${cluster.context} (${cluster.server}) did not answer: ${error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error)}\n`);
		return 1;
	}

	// A kind cluster's or minikube profile's images, for pods that cannot get theirs.
	const lookup = await (await import('./engine/status/cluster-images.js')).clusterImagesOfContext(system, options.context);
	if (options.once || mode !== 'interactive') {
		if (lookup) {
			await run.lookUpImagesOnce(store, lookup);
		}

		const report = statusReport(store.getState(), {context: cluster.context, namespace});
		await writeOut(mode === 'json' ? `${JSON.stringify(report, null, 2)}\n` : `${statusLines(report).join('\n')}\n`);
		return allReady(report) ? 0 : 1;
	}

	const [{render}, {StatusApp}] = await Promise.all([import('ink'), import('./views/status-app.js')]);
	const stop = run.followCluster(cluster, store);
	const stopImages = lookup ? run.followClusterImages(store, lookup) : undefined;
	const connected = cluster;
	let stopFollowing: (() => void) | undefined;
	const onFollow = (pod: string | undefined, container: string) => {
		stopFollowing?.();
		stopFollowing = pod ? run.followLogs(connected, store, pod, container) : undefined;
	};

	// One port-forward at a time, through kubectl; o on its pod again stops it.
	const [{portForward}, {createPortForwards}] = await Promise.all([import('./adapters/port-forward.js'), import('./engine/status/forward.js')]);
	const forwards = createPortForwards(store, async (pod, remote, local, events) => portForward(system, {namespace, target: `pod/${pod}`, port: remote, localPort: local, context: options.context, timeoutMs: 20_000, ...events}));

	const app = render(<StatusApp store={store} context={cluster.context} namespace={namespace} onLogs={(pod, container, previous) => void run.showLogs(connected, store, pod, container, previous)} onRestart={pod => void run.restartPod(connected, store, pod)} onFollow={onFollow} onForward={forwards.start} onStopForward={forwards.stop}/>, {exitOnCtrlC: true});
	await app.waitUntilExit();
	forwards.stop();
	stopFollowing?.();
	stopImages?.();
	stop();
	return allReady(statusReport(store.getState(), {context: cluster.context, namespace})) ? 0 : 1;
}

/** The chart in this project (charts/todo-app), or the one todo-deploy ships. */
async function defaultChart(): Promise<string> {
	const local = path.resolve('charts/todo-app');
	try {
		await access(path.join(local, 'Chart.yaml'));
		return local;
	} catch {
		return fileURLToPath(new URL('../charts/todo-app', import.meta.url));
	}
}

async function lint(options: Extract<Command, {type: 'lint'}>): Promise<number> {
	const system = createSystem(process.env, {toolsDir: defaultInstallDir(process.env, os.homedir())});
	const chart = options.chart ? path.resolve(options.chart) : await defaultChart();
	try {
		await access(path.join(chart, 'Chart.yaml'));
	} catch {
		process.stderr.write(`todo-deploy: ${chart} is not a Helm chart (no Chart.yaml). Name the chart folder: todo-deploy lint charts/todo-app\n`);
		return 2;
	}

	const [{lintFailed, runLint}, {lintLines}] = await Promise.all([import('./engine/lint/run.js'), import('./render/lint-report.js')]);
	const report = await runLint(system, {chart, valuesFiles: options.valuesFiles, target: options.target});
	await writeOut(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${lintLines(report).join('\n')}\n`);
	return lintFailed(report) ? 1 : 0;
}

async function install(settings: InstallSettings, mode: Mode, jsonPrefix?: Record<string, unknown>): Promise<number> {
	const [{runInstall}, {initialInstallState, installReducer, installSucceeded}, {installJson, pathAdvice}, {renderInstallPlain}] = await Promise.all([
		import('./engine/tools/install.js'),
		import('./engine/tools/reducer.js'),
		import('./render/install-report.js'),
		import('./render/install-plain.js'),
	]);
	const store = createStore<InstallState, InstallAction>(installReducer, initialInstallState());
	const system = createSystem(process.env, {toolsDir: settings.dir});
	const cancel = new AbortController();
	const onSignal = () => cancel.abort();
	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);
	const request = {tools: settings.tools, version: settings.toolVersion, dir: settings.dir, mirror: settings.mirror, force: settings.force, idleTimeoutMs: settings.timeoutSeconds * 1000, attempts: 3, signal: cancel.signal};

	if (mode === 'interactive') {
		const [{render}, {InstallApp}] = await Promise.all([import('ink'), import('./views/install-app.js')]);
		const app = render(<InstallApp store={store} pathEnv={process.env['PATH']}/>, {exitOnCtrlC: false});
		const run = runInstall(system, store, request);
		await app.waitUntilExit();
		await run;
	} else if (mode === 'plain') {
		const unsubscribe = renderInstallPlain(store, text => process.stdout.write(text), text => process.stderr.write(text));
		await runInstall(system, store, request);
		unsubscribe();
		const advice = pathAdvice(store.getState(), process.env['PATH']);
		if (advice) {
			process.stdout.write(`${advice}\n`);
		}
	} else {
		await runInstall(system, store, request);
		const result = jsonPrefix ? {...jsonPrefix, install: installJson(store.getState())} : installJson(store.getState());
		await writeOut(`${JSON.stringify(result, null, 2)}\n`);
	}

	process.off('SIGINT', onSignal);
	process.off('SIGTERM', onSignal);
	if (cancel.signal.aborted) {
		return 130;
	}

	return installSucceeded(store.getState()) ? 0 : 1;
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
