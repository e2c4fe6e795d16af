// Flags several commands share, declared once and spread into each command's own.
import {randomBytes} from 'node:crypto';
import path from 'node:path';
import type {ClusterChoice} from '../engine/cluster-target.js';
import type {deployAnswers} from '../engine/deploy/run.js';
import {defaultGate, parseSeverities} from '../engine/images/scan-results.js';
import {addSecrets} from '../engine/mask.js';
import type {BuildArgs} from '../engine/images/values.js';
import type {verifyTargets} from '../engine/verify/targets.js';
import type {Env, SessionLog} from '../engine/system.js';
import {
	booleanFlag,
	choiceFlag,
	listFlag,
	numberFlag,
	pairsFlag,
	pathFlag,
	pathListFlag,
	stringFlag,
	type FlagValues,
	type Flags,
	UsageError,
} from './flags.js';

/** Every command takes these; a command that asks nothing accepts --yes and says nothing about it. */
export const commonFlags = {
	json: booleanFlag({description: 'print the result as JSON (for scripts and CI)'}),
	yes: booleanFlag({short: 'y', description: 'go ahead without asking (every answer then comes from a flag)'}),
	help: booleanFlag({short: 'h', description: 'show the usage of this command'}),
	version: booleanFlag({short: 'v', description: 'show the version'}),
};

const releaseName = /^[a-z0-9]([-a-z0-9]{0,51}[a-z0-9])?$/;
const namespaceName = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
export const checkNamespace = (value: string) => (namespaceName.test(value) ? undefined : 'is not a namespace name (lower-case letters, digits and -)');
const httpUrl = (value: string) => (/^https?:\/\/[^/\s]+/.test(value) ? undefined : 'is not an http:// or https:// address');
const urlPath = (value: string) => (value.startsWith('/') ? undefined : 'is not a path starting with /, like /api/todos');

/** The flags that choose the cluster a command talks to; clusterChoice hands them to the one resolver (engine/cluster-target.ts). */
export const clusterTargetFlags = {
	context: stringFlag({value: 'CONTEXT', description: 'the kube context (default: the current one)'}),
	kubeconfig: pathFlag({value: 'FILE', description: 'the kubeconfig to use (default: $KUBECONFIG, else ~/.kube/config); helm and kubectl get it too'}),
};

/** What a command says about its cluster, for the resolver: every cluster-scoped flag, and the namespace. */
export function clusterChoice(
	flags: FlagValues<typeof clusterTargetFlags> & {readonly namespace: string; readonly kind?: string | undefined; readonly minikube?: string | undefined},
): ClusterChoice {
	return {context: flags.context, kubeconfig: flags.kubeconfig, namespace: flags.namespace, kind: flags.kind, minikube: flags.minikube};
}

export const clusterFlags = {
	namespace: stringFlag({short: 'n', value: 'NAMESPACE', default: 'todo', description: 'the namespace', check: checkNamespace}),
	release: stringFlag({
		value: 'NAME',
		default: 'todo',
		description: 'the Helm release',
		check: value => (releaseName.test(value) ? undefined : 'is not a Helm release name (lower-case letters, digits and -, at most 53)'),
	}),
	...clusterTargetFlags,
};

export const projectFlags = {
	backend: pathFlag({value: 'DIR', description: 'the backend folder (its Dockerfile)'}),
	frontend: pathFlag({value: 'DIR', description: 'the frontend folder (its Dockerfile)'}),
};

export const buildFlags = {
	...projectFlags,
	release: clusterFlags.release,
	'build-arg': pairsFlag({value: 'NAME=VALUE', example: 'PYTHON_VERSION=3.12', description: 'a build argument for both images'}),
	rebuild: booleanFlag({description: 'build even when Docker already has the tag'}),
	'allow-secrets-in-image': booleanFlag({
		description:
			'send .env files and keys that look real with the build context (by default they are left out, and a Dockerfile that copies one by name stops the build)',
	}),
	only: choiceFlag({choices: ['backend', 'frontend'], description: 'build one image only'}),
};

export const scanFlags = {
	severity: stringFlag({
		value: 'LIST',
		description: 'fail the gate on every finding at these levels (CRITICAL,HIGH,…); default: CRITICAL with a fix',
		check: value => (parseSeverities(value) ? undefined : 'takes a list of CRITICAL, HIGH, MEDIUM, LOW, UNKNOWN, like --severity CRITICAL,HIGH'),
	}),
	'ignore-unfixed': booleanFlag({description: 'with --severity: count only findings that have a fix'}),
	'skip-db-update': booleanFlag({description: 'scan with the Trivy database already here (offline)'}),
	rescan: booleanFlag({description: 'scan even when a report for the same image is fresh'}),
};

const registryPattern = /^[\w.-]+(:\d+)?(\/[\w.-]+)*$/;

const checkRegistry = (value: string) => (registryPattern.test(value) ? undefined : 'is not a registry like localhost:5000/team or ghcr.io/you');

/** --kind, --minikube and --registry each name where the images go: at most one of them. */
export function checkOneTarget(values: {
	readonly kind?: string | undefined;
	readonly minikube?: string | undefined;
	readonly registry?: string | undefined;
}): void {
	if ([values.kind, values.minikube, values.registry].filter(value => value !== undefined).length > 1) {
		throw new UsageError('Name one place to load into: --kind CLUSTER, --minikube PROFILE or --registry HOST/NAMESPACE.');
	}
}

/** How images reach a kind cluster: its local registry (only new layers travel) or kind load. */
export const kindRouteFlags = {
	'local-registry': booleanFlag({
		description: 'kind: add a local registry the nodes pull from when the cluster has none (once), so a change sends only its new layers',
	}),
	'kind-load': booleanFlag({description: 'kind: send the whole image with kind load, even when the cluster has a local registry'}),
};

/** undefined: use the cluster's registry when it has one; true: set one up; false: kind load. */
export const localRegistryChoice = (flags: {'local-registry': boolean; 'kind-load': boolean}): boolean | undefined =>
	flags['kind-load'] ? false : flags['local-registry'] ? true : undefined;

export const targetFlags = {
	kind: stringFlag({value: 'CLUSTER', description: 'load into this kind cluster'}),
	minikube: stringFlag({value: 'PROFILE', description: 'load into this minikube profile'}),
	registry: stringFlag({value: 'HOST/NS', description: 'push to this registry (for a remote cluster)', check: checkRegistry}),
	...kindRouteFlags,
};

export const deployFlags = {
	...clusterFlags,
	chart: stringFlag({
		value: 'DIR|builtin',
		description: "the chart to deploy (default: the project's, else the one todo-deploy ships); builtin: todo-deploy's, fitted to the app",
	}),
	timeout: numberFlag({value: 'S', default: 300, min: 1, max: 86_400, unit: 's', description: 'how long the pods may take to become ready'}),
	set: pairsFlag({
		value: 'KEY=VALUE',
		example: 'backend.replicas=2',
		description: 'a chart value (never a secret)',
		refuse: key =>
			key.startsWith('secrets.')
				? 'Secrets never go on the command line (other users can read it): set them in the environment or .env (TODO_DATABASE_PASSWORD, TODO_AUTH_SECRET, GEMINI_API_KEY).'
				: undefined,
	}),
	values: pathListFlag({short: 'f', value: 'FILE', description: 'a values file'}),
	'helm-arg': listFlag({value: 'ARG', description: 'an argument passed on to helm upgrade'}),
	// The tags name the build arguments: deploy names the tags a build with these made.
	'build-arg': buildFlags['build-arg'],
	'on-failure': choiceFlag({
		choices: ['keep', 'rollback'],
		description: 'what a failed rollout leaves: keep the pods for troubleshooting, or roll back (default: ask; without a terminal, keep)',
	}),
	recover: booleanFlag({description: 'clear a release stuck in pending-install or pending-upgrade first'}),
	'lock-timeout': numberFlag({
		value: 'S',
		default: 0,
		min: 0,
		max: 86_400,
		unit: 's',
		description: 'how long to wait while another run (here or on another machine) is changing the same release; 0: stop at once',
	}),
	registry: stringFlag({
		value: 'HOST/NS',
		description: 'the pods pull the images from this registry (todo-deploy load --registry pushed them)',
		check: checkRegistry,
	}),
};

export const verifyFlags = {
	url: stringFlag({value: 'URL', description: "the backend's address (default: minikube's service URL, else kubectl port-forward)", check: httpUrl}),
	api: stringFlag({value: 'PATH', description: "the todo collection the smoke test uses (default: found in the API's OpenAPI document)", check: urlPath}),
	openapi: stringFlag({value: 'PATH', description: "the API's OpenAPI document: a file here, or a path on the backend (default /openapi.json)"}),
	'token-env': stringFlag({
		value: 'NAME',
		description: 'a bearer token for the API, from this environment variable (default: sign up a throwaway user and log in)',
		check: value => (/^[A-Za-z_]\w*$/.test(value) ? undefined : 'is not an environment variable name'),
	}),
	'load-path': stringFlag({value: 'PATH', description: 'what the load check requests (default: the todo list, signed in)', check: urlPath}),
	users: numberFlag({value: 'N', default: 100, min: 1, max: 10_000, integer: true, description: 'concurrent users in the load check'}),
	duration: numberFlag({value: 'S', default: 30, min: 1, max: 3600, unit: 's', description: 'how long the load check runs'}),
	'target-p95': numberFlag({value: 'MS', default: 500, min: 1, max: 600_000, unit: 'ms', description: 'the p95 latency the load check must stay under'}),
	'no-load': booleanFlag({description: 'no load check'}),
	port: numberFlag({
		value: 'PORT',
		min: 1,
		max: 65_535,
		integer: true,
		description: "the backend Service's port (default: the port the app listens on, else 8000)",
	}),
};

export const mirrorFlag = {
	mirror: stringFlag({value: 'URL', env: 'TODO_DEPLOY_MIRROR', description: 'fetch https://HOST/PATH from URL/HOST/PATH', check: httpUrl}),
};

type Values<F extends Flags> = FlagValues<F>;

/** The verify flags as the engine's request takes them. */
/** The verify flags as the engine's request takes them, with what the app's contract says (its port, health paths, frontend). */
export function verifySettings(flags: Values<typeof verifyFlags>, env: Env, targets: ReturnType<typeof verifyTargets>) {
	const tokenName = flags['token-env'];
	const token = tokenName ? env[tokenName] : undefined;
	if (tokenName && !token) {
		throw new UsageError(`--token-env ${tokenName}: $${tokenName} is not set (or empty). Export the token first: export ${tokenName}=…`);
	}

	addSecrets([token]);

	return {
		url: flags.url,
		servicePort: flags.port ?? targets.servicePort ?? 8000,
		api: flags.api,
		openapi: flags.openapi,
		token: tokenName && token ? {value: token, from: tokenName} : undefined,
		healthPaths: targets.healthPaths,
		frontend: targets.frontend,
		loadPath: flags['load-path'],
		users: flags.users,
		durationMs: flags.duration * 1000,
		targetP95Ms: flags['target-p95'],
		random: () => randomBytes(18).toString('base64url'),
	};
}

/** The deploy flags (and how the secrets are asked for) as the engine's request takes them. */
export function deploySettings(
	flags: Values<typeof deployFlags>,
	answers: ReturnType<typeof deployAnswers>,
	context: {readonly env: Env; readonly dotenv: Readonly<Record<string, string>>; readonly log: SessionLog; readonly command: string},
) {
	return {
		release: flags.release,
		valuesFiles: flags.values,
		helmArgs: flags['helm-arg'],
		env: context.env,
		dotenv: context.dotenv,
		...answers,
		random: () => randomBytes(24).toString('base64url'),
		timeoutMs: flags.timeout * 1000,
		recover: flags.recover,
		keepWrites: flags['on-failure'] === 'keep',
		onSecrets: (secrets: readonly string[]) => context.log.addSecrets(secrets),
		lock: {command: context.command, timeoutMs: flags['lock-timeout'] * 1000},
	};
}

/** The build and scan flags as the engine's request takes them; buildArgs: imageBuildArgs of the project. */
export function imageSettings(flags: Values<typeof scanFlags> & {readonly rebuild: boolean}, root: string, buildArgs: BuildArgs) {
	const list = flags.severity === undefined ? undefined : parseSeverities(flags.severity);
	return {
		buildArgs,
		rebuild: flags.rebuild,
		// --severity (with --ignore-unfixed) is the gate; without it, fixable CRITICAL findings fail.
		gate: list ? {severities: list, fixableOnly: flags['ignore-unfixed'], ignored: []} : defaultGate,
		skipDbUpdate: flags['skip-db-update'],
		rescan: flags.rescan,
		scansDir: path.join(root, '.todo-deploy', 'reports'),
	};
}
