// What the current user may do where deploy will write, as `kubectl auth can-i --list` asks it: one
// SelfSubjectRulesReview for deploy's namespace (todo unless -n says otherwise), and one for the
// context's own namespace when it names another than default (on a shared cluster, the one the admin gave you).
// The rules are matched against what a deploy of todo-deploy's chart needs; what is missing is named
// with the Role rule that grants it.
import type {RulesReview} from '../../adapters/cluster.js';
import type {System} from '../../adapters/system.js';
import {timedOut, withDeadline} from '../deadline.js';
import {deniedAccess, ownChartNeeds, rulesAllow, type AccessCheck} from '../deploy/access.js';
import {messageOf} from '../errors.js';

export const deployNamespace = 'todo';

export type NamespaceAccess = {
	readonly namespace: string;
	/** Undefined when the API could not be asked (no authorization API, no answer in time). */
	readonly check: AccessCheck | undefined;
	/** Why the rules are not the whole story (a webhook authorizer lists none), or why nothing was asked. */
	readonly note: string | undefined;
};

export type ClusterAccess = {readonly context: string; readonly namespaces: readonly NamespaceAccess[]};

const askWithinMs = 2500;

const unknown = (namespace: string, note: string): NamespaceAccess => ({namespace, check: undefined, note});

/** The rules the review gives, matched against what a deploy of todo-deploy's chart needs there. */
function namespaceAccess(namespace: string, review: RulesReview | undefined): NamespaceAccess {
	if (!review) {
		return unknown(namespace, 'the cluster has no authorization API to ask (deploy finds out as it writes)');
	}

	const needs = ownChartNeeds(namespace);
	const check = deniedAccess(
		needs,
		needs.map(ask => rulesAllow(review.rules, ask)),
	);
	const partial = review.incomplete
		? `the cluster could not list every rule${review.evaluationError ? ` (${review.evaluationError})` : ''}: some of what looks missing may be allowed (deploy asks each one before it writes)`
		: undefined;
	return {namespace, check, note: partial};
}

/** What the user may do in deploy's namespace, and in the context's own namespace when it names another. */
export async function clusterAccess(system: System, context: string, contextNamespace: string | undefined): Promise<ClusterAccess> {
	// "default" is what most contexts name without meaning it: not a namespace anyone was given to deploy in.
	const own = contextNamespace && contextNamespace !== 'default' ? [contextNamespace] : [];
	const namespaces = [...new Set([deployNamespace, ...own])];
	const [{resolveClusterTarget}, {connectCluster}] = await Promise.all([import('../cluster-target.js'), import('../../adapters/cluster.js')]);
	// One connection; one review per namespace.
	const asked = (async () => {
		const cluster = await connectCluster(await resolveClusterTarget(system, {context, namespace: deployNamespace}));
		// Each namespace's answer on its own: one that fails leaves the others known.
		return Promise.allSettled(namespaces.map(async namespace => cluster.rules(namespace)));
	})();
	try {
		const reviews = await withDeadline(asked, askWithinMs);
		if (reviews === timedOut) {
			asked.catch(() => undefined);
			const late = `the cluster did not say within ${askWithinMs / 1000} s what you may do (deploy asks again before it writes)`;
			return {context, namespaces: namespaces.map(namespace => unknown(namespace, late))};
		}

		return {
			context,
			namespaces: namespaces.map((namespace, index) => {
				const review = reviews[index];
				return review?.status === 'rejected'
					? unknown(namespace, `could not ask what you may do: ${messageOf(review.reason)}`)
					: namespaceAccess(namespace, review?.value);
			}),
		};
	} catch (error) {
		return {context, namespaces: namespaces.map(namespace => unknown(namespace, `could not ask what you may do: ${messageOf(error)}`))};
	}
}

export type AccessWords = {readonly lines: string[]; readonly blocked: boolean; readonly fix: string | undefined};

/** The lines of the doctor's cluster check: what is allowed, what is missing and the Role that grants it, and where deploy can go instead. */
export function accessWords(access: ClusterAccess): AccessWords {
	const lines: string[] = [];
	const [deploy, own] = access.namespaces;
	const allowed = (entry: NamespaceAccess | undefined) => entry?.check !== undefined && entry.check.missing.length === 0;
	for (const entry of access.namespaces) {
		const suffix = entry.note ? ` (${entry.note})` : '';
		if (!entry.check) {
			lines.push(`Rights in the namespace ${entry.namespace}: not known: ${entry.note ?? 'not asked'}`);
		} else if (entry.check.missing.length === 0) {
			lines.push(`Rights in the namespace ${entry.namespace}: all that a deploy needs${suffix}`);
		} else {
			lines.push(
				`Rights in the namespace ${entry.namespace}: not allowed: ${entry.check.missing.join('; ')}${suffix}`,
				`  a Role in ${entry.namespace} with these rules grants it:`,
				...entry.check.rules.map(rule => `    ${rule}`),
			);
		}
	}

	const blocked = deploy?.check !== undefined && !allowed(deploy);
	const listing = `kubectl auth can-i --list -n ${deploy?.namespace ?? deployNamespace} shows every rule you hold`;
	const fix = !blocked
		? undefined
		: allowed(own)
			? `Deploy where you may: todo-deploy up -n ${own?.namespace ?? ''} (the context's own namespace, where you hold all a deploy needs). ${listing}.`
			: `Ask the cluster's admin for a Role with the rules above in ${deploy.namespace} (or deploy with -n NAMESPACE where you hold one). ${listing}.`;
	return {lines, blocked, fix};
}
