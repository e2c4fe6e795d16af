// Helm's failures, the secrets' sources and the failing pods, in words for the person.
import {notReady, type StatusReport} from '../status/report.js';
import type {ResolvedSecret} from './secrets.js';

/** Helm's own words, explained: the lines a person needs first. */
export function explainHelmFailure(output: string, release: string, namespace: string): {message: string; fix: string | undefined} {
	if (/another operation \(install\/upgrade\/rollback\) is in progress/.test(output)) {
		return {
			message: `Helm says another operation is in progress on the release "${release}": an earlier helm run was interrupted and left it pending.`,
			fix: `todo-deploy deploy --recover rolls it back to the last good revision (or removes a first install that never finished), then deploys.`,
		};
	}

	if (/cannot re-use a name that is still in use/.test(output)) {
		return {
			message: `A release named "${release}" exists in another state in ${namespace}.`,
			fix: `helm history ${release} -n ${namespace} shows it; helm uninstall ${release} -n ${namespace} removes it.`,
		};
	}

	if (/values don't meet the specifications of the schema|values\.schema\.json/.test(output)) {
		return {
			message: `The values do not fit the chart's schema: ${output.trim().split('\n').filter(Boolean).slice(-3).join(' ')}`,
			fix: 'Fix the value named above (todo-deploy lint shows every value the chart takes).',
		};
	}

	if (/Kubernetes cluster unreachable|connection refused|no such host|i\/o timeout/.test(output)) {
		return {
			message: `Helm could not reach the cluster: ${output.trim().split('\n').at(-1) ?? ''}`,
			fix: 'todo-deploy doctor checks the kube context; is the cluster running?',
		};
	}

	return {message: output.trim().split('\n').filter(Boolean).slice(-3).join(' ') || 'helm failed', fix: undefined};
}

export function describeSecrets(secrets: readonly ResolvedSecret[]): string {
	const from = (secret: ResolvedSecret) => {
		switch (secret.source) {
			case 'environment': {
				return `from $${secret.variable ?? ''}`;
			}

			case '.env': {
				return `from ${secret.variable ?? ''} in .env`;
			}

			case 'prompt': {
				return 'as typed';
			}

			case 'cluster': {
				return 'kept from the cluster';
			}

			case 'generated': {
				return 'generated';
			}

			case 'not set': {
				return secret.name === 'geminiApiKey' ? 'not set (chatbot off)' : 'not set (the code falls back)';
			}
		}
	};

	return secrets.map(secret => `${secret.label} ${from(secret)}`).join('; ');
}

/** Failing pods as evidence lines: name, what is wrong, the fix. */
export function problemLines(report: StatusReport): string[] {
	return notReady(report).flatMap(row => [
		`${row.name}: ${row.diagnosis.title}`,
		`  ${row.diagnosis.explanation}`,
		`  fix: ${row.diagnosis.fix}`,
		...row.diagnosis.evidence.slice(0, 2).map(line => `  | ${line}`),
	]);
}
