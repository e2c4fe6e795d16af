// Verify the app as its user meets it; a passing load check of exactly this deployment is not measured again.
import {readReportState, recordSection} from '../../report/run.js';
import {runVerify, verifySteps, type VerifyResult} from '../../verify/run.js';
import type {LoadSummary} from '../../verify/stats.js';
import {defineStage, next, stop} from '../stage.js';
import type {PublicSecret} from '../../deploy/step-summary.js';

/** Whether deploy gave the chatbot its key. */
const chatbotKeyOf = (secrets: readonly PublicSecret[]) => {
	const gemini = secrets.find(secret => secret.name === 'geminiApiKey');
	return gemini ? (gemini.source === 'not set' ? ('absent' as const) : ('given' as const)) : undefined;
};

declare module '../stage.js' {
	interface UpFacts {
		readonly verify: VerifyResult;
	}
}

export const verifyStage = defineStage({
	id: 'verify',
	rows: verifySteps.map(step => ({...step, off: step.id === 'load' ? (['verify', 'load-check'] as const) : (['verify'] as const)})),
	reads: ['skip', 'target', 'deploy'],
	adds: ['verify'],
	skip: ({skip}) => (skip.has('verify') ? 'switched off' : undefined),
	async run({skip, target, deploy}, base) {
		const {request} = base;
		const loadSettings = {
			users: request.verify.users,
			durationMs: request.verify.durationMs,
			targetP95Ms: request.verify.targetP95Ms,
			path: request.verify.loadPath,
			url: request.verify.url ?? null,
		};
		const earlier = (await readReportState(request.root)).sections.verify;
		const earlierData = earlier?.data as {fingerprint?: string; loadSettings?: unknown; load?: LoadSummary} | undefined;
		const reuseLoad =
			earlier &&
			earlierData?.load &&
			deploy.unchanged &&
			earlier.status === 'verified' &&
			earlierData.fingerprint === deploy.fingerprint &&
			earlierData.load.passed &&
			JSON.stringify(earlierData.loadSettings) === JSON.stringify(loadSettings)
				? {summary: earlierData.load, at: earlier.at}
				: undefined;
		const verified = await runVerify(base.system, base.flow, {
			...request.verify,
			namespace: target.namespace,
			release: request.deploy.release,
			cluster: target,
			load: !skip.has('load-check'),
			reuseLoad,
			signal: request.signal,
			// The frontend checked at the address the user opens, held while verify runs.
			addresses: {root: request.root, contract: request.contract, release: request.deploy.release},
			chatbotKey: chatbotKeyOf(deploy.secrets),
		});
		await recordSection(request.root, 'verify', {
			status: verified.passed ? 'verified' : 'failed',
			data: {...verified, fingerprint: deploy.fingerprint, loadSettings, loadMeasuredAt: reuseLoad?.at ?? new Date().toISOString()},
		});
		return verified.passed
			? next({verify: verified})
			: stop(base.flow.getState().steps.find(step => step.status.type === 'failed')?.id ?? 'health', verified.failure ?? 'verify', 'verify failed', {
					verify: verified,
				});
	},
});
