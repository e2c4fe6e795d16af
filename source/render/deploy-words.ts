// deploy's rows in words: the secrets' sources, the release, helm, the rollout and why pods are not ready.
import type {SecretProblem} from '../engine/deploy/secrets.js';
import type {PublicSecret, DeployStepSummary, Wrote} from '../engine/deploy/step-summary.js';
import {notReady, type StatusSnapshot} from '../engine/status/snapshot.js';
import type {Failure} from './images-words.js';

const sourceWords = (secret: PublicSecret): string => {
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

/** "database password generated; auth secret kept from the cluster; Gemini API key not set (chatbot off)". */
export function describeSecrets(secrets: readonly PublicSecret[]): string {
	return secrets.map(secret => `${secret.label} ${sourceWords(secret)}`).join('; ');
}

/** Failing pods as evidence lines: name, what is wrong, the fix. */
export function problemLines(snapshot: StatusSnapshot): string[] {
	return notReady(snapshot).flatMap(row => [
		`${row.name}: ${row.diagnosis.title}`,
		`  ${row.diagnosis.explanation}`,
		`  fix: ${row.diagnosis.fix}`,
		...row.diagnosis.evidence.slice(0, 2).map(line => `  | ${line}`),
	]);
}

const wroteWords = (wrote: Wrote) => `Secret ${wrote.secret} written${wrote.namespaceCreated ? `, namespace ${wrote.namespace} created` : ''}`;

const seconds = (ms: number) => Math.round(ms / 100) / 10;

/** The rollout while it runs: how many pods are ready, and the one it waits for (a failing one first). */
function rolloutProgress(snapshot: StatusSnapshot): string {
	const waitingFor = notReady(snapshot);
	const waiting = waitingFor.find(row => row.diagnosis.state === 'failing') ?? waitingFor[0];
	return `${snapshot.pods.length - waitingFor.length}/${snapshot.pods.length} pods ready${waiting ? `; ${waiting.name}: ${waiting.diagnosis.title}` : ''}`;
}

export function deployWords(summary: DeployStepSummary): Failure {
	const plain = (text: string): Failure => ({text, fix: undefined, evidence: []});
	switch (summary.kind) {
		case 'deploy/secrets': {
			return plain(describeSecrets(summary.secrets));
		}

		case 'deploy/release': {
			const {previous} = summary;
			return plain(
				previous === undefined || previous.lastDeployed === undefined
					? `first install of ${summary.release} into ${summary.namespace}; the chart renders`
					: `upgrade of ${summary.release} from revision ${previous.revision} (${previous.status}); the chart renders`,
			);
		}

		case 'deploy/helm': {
			return plain(
				`${summary.wrote ? `${wroteWords(summary.wrote)}; ` : ''}helm upgrade --install ${summary.release}${summary.wrote ? '' : ` ${summary.chart}`}`,
			);
		}

		case 'deploy/installed': {
			return plain(`revision ${summary.revision ?? '?'} ${summary.status ?? 'applied'} (${wroteWords(summary.wrote)})`);
		}

		case 'deploy/unchanged': {
			return plain(`revision ${summary.revision} already has this chart, these images and values: helm not run`);
		}

		case 'deploy/rollout': {
			return rolloutWords(summary);
		}
	}
}

function rolloutWords(summary: Extract<DeployStepSummary, {kind: 'deploy/rollout'}>): Failure {
	switch (summary.outcome) {
		case 'running': {
			return {text: rolloutProgress(summary.snapshot), fix: undefined, evidence: []};
		}

		case 'ready': {
			return {text: `${summary.snapshot.pods.length} pods ready in ${seconds(summary.elapsedMs)} s`, fix: undefined, evidence: []};
		}

		case 'cancelled': {
			return {text: 'Cancelled while the pods were starting.', fix: undefined, evidence: problemLines(summary.snapshot)};
		}

		case 'timeout': {
			const failing = notReady(summary.snapshot);
			return {
				text: `${failing.length} of ${summary.snapshot.pods.length} pods not ready after ${Math.round(summary.timeoutMs / 1000)} s${failing[0] ? `: ${failing[0].name}: ${failing[0].diagnosis.title}` : ''}.`,
				fix: failing[0]?.diagnosis.fix,
				evidence: problemLines(summary.snapshot),
			};
		}
	}
}

/** The secrets as given are wrong (a placeholder, only spaces): each with its fix, and that nothing changed. */
export function givenSecretWords(problems: readonly SecretProblem[]): string {
	return `${problems.map(problem => `todo-deploy: ${problem.message}\n  fix: ${problem.fix}\n`).join('')}Nothing was changed.\n`;
}
