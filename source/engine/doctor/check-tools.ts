// The tools' checks: minikube and kind (with their profiles and clusters), kubectl, Helm and Trivy.
import {probeHelm} from '../../adapters/helm.js';
import {probeKind} from '../../adapters/kind.js';
import {probeKubectl} from '../../adapters/kube.js';
import {probeMinikube} from '../../adapters/minikube.js';
import {describeRunFailure, type ToolProbe} from '../../adapters/system.js';
import {probeTrivy} from '../../adapters/trivy.js';
import type {System} from '../../adapters/system.js';
import type {CheckFacts, CheckId, CheckOutcome, MinikubeProfile} from './types.js';
import type {Check} from './check.js';

function missingTool(name: string, why: string): string {
	return `${name} is not installed (${why})`;
}

/** The tool is missing, or did not tell its version; undefined when it did. */
function notUsable<Id extends CheckId>(name: string, why: string, probe: ToolProbe, facts: CheckFacts[Id], fix?: string): CheckOutcome<Id> | undefined {
	if (!probe.path) {
		return {status: 'missing', summary: missingTool(name, why), facts};
	}

	if (!probe.version) {
		const detail = probe.result ? describeRunFailure(`${name} version`, probe.result) : undefined;
		return {status: 'warn', summary: `${name} at ${probe.path} did not tell its version`, detail, ...(fix ? {fix} : {}), facts};
	}

	return undefined;
}

/** kubectl, Helm, Trivy: installed and its version; `judge` may say more of a version it found. */
function toolCheck<Id extends 'kubectl' | 'helm' | 'trivy'>(
	id: Id,
	title: string,
	why: string,
	probeOf: (system: System, timeoutMs: number) => Promise<ToolProbe>,
	judge: (version: string) => Omit<CheckOutcome<Id>, 'facts'> | undefined = () => undefined,
): Check<Id> {
	return {
		id,
		title,
		timeoutMs: 5000,
		async run(system) {
			const probe = await probeOf(system, 4000);
			const facts = {path: probe.path, version: probe.version} as CheckFacts[Id];
			const unusable = notUsable<Id>(title, why, probe, facts, `Run ${probe.path ?? title} version yourself; reinstall it if it fails.`);
			return unusable ?? {...(judge(probe.version ?? '') ?? {status: 'ok', summary: `${title} ${probe.version ?? ''} at ${probe.path ?? ''}`}), facts};
		},
	};
}

const majorOf = (version: string) => Number(/^v?(\d+)/.exec(version)?.[1] ?? 0);

type Listing<Item> = {readonly items: readonly Item[] | undefined; readonly error: string | undefined};

/** minikube and kind: the tool, its version, and what it lists (profiles, clusters). */
function listingCheck<Id extends 'minikube' | 'kind', Item>(
	id: Id,
	timeoutMs: number,
	probeOf: (system: System, timeoutMs: number) => Promise<ToolProbe & Listing<Item>>,
	noun: string,
	describe: (items: readonly Item[]) => string,
	factsOf: (probe: ToolProbe, items: readonly Item[]) => CheckFacts[Id],
): Check<Id> {
	return {
		id,
		title: id,
		timeoutMs,
		async run(system) {
			const probe = await probeOf(system, timeoutMs - 2000);
			const facts = factsOf(probe, probe.items ?? []);
			const unusable = notUsable<Id>(id, 'runs the local cluster', probe, facts);
			if (unusable) {
				return unusable;
			}

			if (probe.items === undefined) {
				return {status: 'warn', summary: `${id} ${probe.version ?? ''}; its ${noun} could not be listed`, detail: probe.error, facts};
			}

			return {
				status: 'ok',
				summary: `${id} ${probe.version ?? ''}, ${probe.items.length === 0 ? `no ${noun} yet` : `${noun}: ${describe(probe.items)}`}`,
				facts,
			};
		},
	};
}

export const minikubeCheck = listingCheck<'minikube', MinikubeProfile>(
	'minikube',
	10_000,
	async (system, timeoutMs) => {
		const probe = await probeMinikube(system, timeoutMs);
		return {...probe, items: probe.profiles, error: probe.profileError};
	},
	'profiles',
	profiles => profiles.map(profile => `${profile.name} (${profile.status}${profile.driver ? `, ${profile.driver}` : ''})`).join(', '),
	(probe, profiles) => ({path: probe.path, version: probe.version, profiles}),
);

export const kindCheck = listingCheck<'kind', string>(
	'kind',
	8000,
	async (system, timeoutMs) => {
		const probe = await probeKind(system, timeoutMs);
		return {...probe, items: probe.clusters, error: probe.clusterError};
	},
	'clusters',
	clusters => clusters.join(', '),
	(probe, clusters) => ({path: probe.path, version: probe.version, clusters}),
);

export const kubectlCheck = toolCheck('kubectl', 'kubectl', 'optional for todo-deploy, handy for you', probeKubectl);

export const helmCheck = toolCheck('helm', 'Helm', 'deploys the chart', probeHelm, version =>
	majorOf(version) < 3
		? {
				status: 'warn',
				summary: `Helm ${version} is Helm 2, which needs Tiller and cannot install this chart`,
				fix: 'Install Helm 3 or newer (todo-deploy install helm puts it in your user directory).',
			}
		: undefined,
);

export const trivyCheck = toolCheck('trivy', 'Trivy', 'scans the images', probeTrivy);
