// deploy's first step, before anything in the cluster changes: the secrets, checked where they were
// given (a placeholder or a value of only spaces stops here, before the cluster is even asked), then
// resolved with what the cluster's Secret already holds, and the one nobody gave asked for.
import {ClusterError, type Cluster} from '../../adapters/cluster.js';
import {messageOf} from '../errors.js';
import {addSecrets} from '../mask.js';
import {resolveSecrets, type ResolvedSecret, type SecretProblem, type SecretSpec} from './secrets.js';

export type Collected =
	| {readonly ok: true; readonly secrets: ResolvedSecret[]; readonly existing: Readonly<Record<string, string>> | undefined; readonly notes: readonly string[]}
	| {readonly ok: false; readonly problems: readonly SecretProblem[]; readonly unreachable?: string; readonly forbidden?: boolean};

export type CollectInputs = {
	readonly env: Readonly<Record<string, string | undefined>>;
	readonly dotenv: Readonly<Record<string, string>>;
	readonly random: () => string;
	readonly prompt: ((spec: SecretSpec) => Promise<string | undefined>) | undefined;
};

export async function collectSecrets(cluster: Cluster, secretName: string, specs: readonly SecretSpec[], inputs: CollectInputs): Promise<Collected> {
	const given = resolveSecrets({...inputs, prompted: {}, existing: undefined}, specs);
	const placeholders = given.problems.filter(problem => problem.kind === 'placeholder');
	if (placeholders.length > 0) {
		return {ok: false, problems: placeholders};
	}

	let existing: Readonly<Record<string, string>> | undefined;
	try {
		existing = await cluster.readSecret(secretName);
	} catch (error) {
		return {ok: false, problems: [], unreachable: messageOf(error), forbidden: error instanceof ClusterError && error.status === 403};
	}

	const prompted: Record<string, string> = {};
	const first = resolveSecrets({...inputs, prompted, existing}, specs);
	// Only what nobody gave and nothing can generate is asked for: the Gemini key, an app's own API key.
	for (const secret of first.secrets) {
		const spec = specs.find(candidate => candidate.name === secret.name);
		if (secret.source === 'not set' && inputs.prompt && spec) {
			const answer = await inputs.prompt(spec);
			if (answer) {
				prompted[secret.name] = answer;
			}
		}
	}

	const resolved = resolveSecrets({...inputs, prompted, existing}, specs);
	if (resolved.problems.length > 0) {
		return {ok: false, problems: resolved.problems};
	}

	addSecrets(resolved.secrets.map(secret => secret.value));
	return {ok: true, secrets: resolved.secrets, existing, notes: resolved.notes};
}

/**
 * The secrets again, against a Secret another run wrote after this one read none: what that run
 * generated (the database password first) is kept, what was given or typed here still wins.
 */
export function resettleSecrets(
	secrets: readonly ResolvedSecret[],
	theirs: Readonly<Record<string, string>>,
	specs: readonly SecretSpec[],
	inputs: Omit<CollectInputs, 'prompt'>,
): Collected {
	const prompted = Object.fromEntries(secrets.flatMap(secret => (secret.source === 'prompt' && secret.value ? [[secret.name, secret.value]] : [])));
	const resolved = resolveSecrets({...inputs, prompted, existing: theirs}, specs);
	if (resolved.problems.length > 0) {
		return {ok: false, problems: resolved.problems};
	}

	addSecrets(resolved.secrets.map(secret => secret.value));
	return {ok: true, secrets: resolved.secrets, existing: theirs, notes: resolved.notes};
}

/** What is wrong with the secrets as given (placeholders, only spaces), before anything else is asked. */
export function givenSecretProblems(inputs: Omit<CollectInputs, 'prompt'>, specs: readonly SecretSpec[]): SecretProblem[] {
	return resolveSecrets({...inputs, prompted: {}, existing: undefined}, specs).problems.filter(problem => problem.kind === 'placeholder');
}
