// deploy's rows in words: the secrets' sources, the release, helm, the rollout and why pods are not ready.
import type {SecretProblem} from '../engine/deploy/secrets.js';
import type {PublicSecret, DeployStepReport, Wrote} from '../engine/deploy/step-report.js';
import {notReady, type StatusReport} from '../engine/status/report.js';
import type {Failure} from './images-report.js';

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
export function problemLines(report: StatusReport): string[] {
	return notReady(report).flatMap(row => [
		`${row.name}: ${row.diagnosis.title}`,
		`  ${row.diagnosis.explanation}`,
		`  fix: ${row.diagnosis.fix}`,
		...row.diagnosis.evidence.slice(0, 2).map(line => `  | ${line}`),
	]);
}

const wroteWords = (wrote: Wrote) => `Secret ${wrote.secret} written${wrote.namespaceCreated ? `, namespace ${wrote.namespace} created` : ''}`;

const seconds = (ms: number) => Math.round(ms / 100) / 10;

/** The rollout while it runs: how many pods are ready, and the one it waits for (a failing one first). */
function rolloutProgress(report: StatusReport): string {
	const waitingFor = notReady(report);
	const waiting = waitingFor.find(row => row.diagnosis.state === 'failing') ?? waitingFor[0];
	return `${report.pods.length - waitingFor.length}/${report.pods.length} pods ready${waiting ? `; ${waiting.name}: ${waiting.diagnosis.title}` : ''}`;
}

export function deployWords(report: DeployStepReport): Failure {
	const plain = (text: string): Failure => ({text, fix: undefined, evidence: []});
	switch (report.kind) {
		case 'deploy/secrets': {
			return plain(describeSecrets(report.secrets));
		}

		case 'deploy/release': {
			const {previous} = report;
			return plain(
				previous === undefined || previous.lastDeployed === undefined
					? `first install of ${report.release} into ${report.namespace}; the chart renders`
					: `upgrade of ${report.release} from revision ${previous.revision} (${previous.status}); the chart renders`,
			);
		}

		case 'deploy/helm': {
			return plain(`${report.wrote ? `${wroteWords(report.wrote)}; ` : ''}helm upgrade --install ${report.release}${report.wrote ? '' : ` ${report.chart}`}`);
		}

		case 'deploy/installed': {
			return plain(`revision ${report.revision ?? '?'} ${report.status ?? 'applied'} (${wroteWords(report.wrote)})`);
		}

		case 'deploy/unchanged': {
			return plain(`revision ${report.revision} already has this chart, these images and values: helm not run`);
		}

		case 'deploy/rollout': {
			return rolloutWords(report);
		}
	}
}

function rolloutWords(report: Extract<DeployStepReport, {kind: 'deploy/rollout'}>): Failure {
	switch (report.outcome) {
		case 'running': {
			return {text: rolloutProgress(report.report), fix: undefined, evidence: []};
		}

		case 'ready': {
			return {text: `${report.report.pods.length} pods ready in ${seconds(report.elapsedMs)} s`, fix: undefined, evidence: []};
		}

		case 'cancelled': {
			return {text: 'Cancelled while the pods were starting.', fix: undefined, evidence: problemLines(report.report)};
		}

		case 'timeout': {
			const failing = notReady(report.report);
			return {
				text: `${failing.length} of ${report.report.pods.length} pods not ready after ${Math.round(report.timeoutMs / 1000)} s${failing[0] ? `: ${failing[0].name}: ${failing[0].diagnosis.title}` : ''}.`,
				fix: failing[0]?.diagnosis.fix,
				evidence: problemLines(report.report),
			};
		}
	}
}

/** The secrets as given are wrong (a placeholder, only spaces): each with its fix, and that nothing changed. */
export function givenSecretWords(problems: readonly SecretProblem[]): string {
	return `${problems.map(problem => `todo-deploy: ${problem.message}\n  fix: ${problem.fix}\n`).join('')}Nothing was changed.\n`;
}
