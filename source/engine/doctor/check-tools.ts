// The tools' checks: minikube and kind (with their profiles and clusters), kubectl, Helm and Trivy.
import {probeHelm} from '../../adapters/helm.js';
import {probeKind} from '../../adapters/kind.js';
import {probeKubectl} from '../../adapters/kube.js';
import {probeMinikube} from '../../adapters/minikube.js';
import {describeRunFailure, type ToolProbe} from '../../adapters/system.js';
import {probeTrivy} from '../../adapters/trivy.js';
import {type CheckFacts, type CheckOutcome, type MinikubeProfile} from './types.js';
import type {Check} from './check.js';

function missingTool(name: string, why: string): string {
	return `${name} is not installed (${why})`;
}

function toolOutcome<Id extends 'kubectl' | 'helm' | 'trivy'>(
	name: string,
	why: string,
	probe: ToolProbe,
	extra?: (version: string) => Omit<CheckOutcome<Id>, 'facts'> | undefined,
): CheckOutcome<Id> {
	const facts = {path: probe.path, version: probe.version} as CheckFacts[Id];
	if (!probe.path) {
		return {status: 'missing', summary: missingTool(name, why), facts};
	}

	if (!probe.version) {
		return {
			status: 'warn',
			summary: `${name} at ${probe.path} did not tell its version`,
			detail: probe.result ? describeRunFailure(`${name} version`, probe.result) : undefined,
			fix: `Run ${probe.path} version yourself; reinstall it if it fails.`,
			facts,
		};
	}

	return {...(extra?.(probe.version) ?? {status: 'ok', summary: `${name} ${probe.version} at ${probe.path}`}), facts};
}

const majorOf = (version: string) => Number(/^v?(\d+)/.exec(version)?.[1] ?? 0);

/** minikube and kind: the tool, its version, and what it lists (profiles, clusters). */
function listingOutcome<Id extends 'minikube' | 'kind', Item>(
	name: string,
	probe: ToolProbe,
	listing: {readonly items: readonly Item[] | undefined; readonly error: string | undefined; readonly noun: string; describe(items: readonly Item[]): string},
	facts: CheckFacts[Id],
): CheckOutcome<Id> {
	if (!probe.path) {
		return {status: 'missing', summary: missingTool(name, 'runs the local cluster'), facts};
	}

	if (!probe.version) {
		return {
			status: 'warn',
			summary: `${name} at ${probe.path} did not tell its version`,
			detail: probe.result ? describeRunFailure(`${name} version`, probe.result) : undefined,
			facts,
		};
	}

	if (!listing.items) {
		return {status: 'warn', summary: `${name} ${probe.version}; its ${listing.noun} could not be listed`, detail: listing.error, facts};
	}

	return {
		status: 'ok',
		summary: `${name} ${probe.version}, ${listing.items.length === 0 ? `no ${listing.noun} yet` : `${listing.noun}: ${listing.describe(listing.items)}`}`,
		facts,
	};
}

export const minikubeCheck: Check<'minikube'> = {
	id: 'minikube',
	title: 'minikube',
	timeoutMs: 10_000,
	async run(system) {
		const probe = await probeMinikube(system, 8000);
		return listingOutcome<'minikube', MinikubeProfile>(
			'minikube',
			probe,
			{
				items: probe.profiles,
				error: probe.profileError,
				noun: 'profiles',
				describe: profiles => profiles.map(profile => `${profile.name} (${profile.status}${profile.driver ? `, ${profile.driver}` : ''})`).join(', '),
			},
			{path: probe.path, version: probe.version, profiles: probe.profiles ?? []},
		);
	},
};

export const kindCheck: Check<'kind'> = {
	id: 'kind',
	title: 'kind',
	timeoutMs: 8000,
	async run(system) {
		const probe = await probeKind(system, 6000);
		return listingOutcome<'kind', string>(
			'kind',
			probe,
			{
				items: probe.clusters,
				error: probe.clusterError,
				noun: 'clusters',
				describe: clusters => clusters.join(', '),
			},
			{path: probe.path, version: probe.version, clusters: probe.clusters ?? []},
		);
	},
};

export const kubectlCheck: Check<'kubectl'> = {
	id: 'kubectl',
	title: 'kubectl',
	timeoutMs: 5000,
	async run(system) {
		return toolOutcome<'kubectl'>('kubectl', 'optional for todo-deploy, handy for you', await probeKubectl(system, 4000));
	},
};

export const helmCheck: Check<'helm'> = {
	id: 'helm',
	title: 'Helm',
	timeoutMs: 5000,
	async run(system) {
		return toolOutcome<'helm'>('Helm', 'deploys the chart', await probeHelm(system, 4000), version =>
			majorOf(version) < 3
				? {
						status: 'warn',
						summary: `Helm ${version} is Helm 2, which needs Tiller and cannot install this chart`,
						fix: 'Install Helm 3 or newer (todo-deploy install helm puts it in your user directory).',
					}
				: undefined,
		);
	},
};

export const trivyCheck: Check<'trivy'> = {
	id: 'trivy',
	title: 'Trivy',
	timeoutMs: 5000,
	async run(system) {
		return toolOutcome<'trivy'>('Trivy', 'scans the images', await probeTrivy(system, 4000));
	},
};
