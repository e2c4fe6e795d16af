// The doctor's result as data for --json, and as lines for plain output.
import type {DoctorState} from '../engine/doctor/reducer.js';
import {checkIds, type CheckId, type CheckOutcome, type CheckStatus, type PlatformFacts, type Recommendation} from '../engine/doctor/types.js';
import {checkTitles, commandLines, formatDuration, targetNames, titleWidth} from './format.js';
import {padColumns} from './columns.js';

export type DoctorJson = {
	readonly platform: (PlatformFacts & {readonly wsl: 1 | 2 | null}) | null;
	readonly checks: ReadonlyArray<{
		readonly id: CheckId;
		readonly status: CheckStatus;
		readonly summary: string;
		readonly detail: string | null;
		readonly fix: string | null;
		readonly incomplete: boolean;
		readonly durationMs: number;
		readonly facts: unknown;
	}>;
	readonly recommendation: Recommendation | null;
	readonly durationMs: number | null;
};

export function doctorJson(state: DoctorState): DoctorJson {
	const platformCheck = state.checks.platform;
	const platform = platformCheck.type === 'done' ? ((platformCheck.outcome.facts as PlatformFacts | undefined) ?? null) : null;
	return {
		platform,
		checks: checkIds.flatMap(id => {
			const check = state.checks[id];
			if (check.type !== 'done') {
				return [];
			}

			const {outcome} = check;
			return [
				{
					id,
					status: outcome.status,
					summary: outcome.summary,
					detail: outcome.detail ?? null,
					fix: outcome.fix ?? null,
					incomplete: outcome.incomplete ?? false,
					durationMs: Math.round(check.durationMs),
					facts: outcome.facts ?? null,
				},
			];
		}),
		recommendation: state.recommendation ?? null,
		durationMs: state.phase.type === 'done' ? Math.round(state.phase.durationMs) : null,
	};
}

const plainTags: Readonly<Record<CheckStatus, string>> = {ok: 'ok', warn: 'warn', fail: 'FAIL', missing: 'missing'};

const indent = (text: string, prefix: string) =>
	text
		.split('\n')
		.map(line => `${prefix}${line}`)
		.join('\n');

export function checkLines(id: CheckId, outcome: CheckOutcome): string[] {
	const lines = [`${padColumns(plainTags[outcome.status], 7)} ${padColumns(checkTitles[id], titleWidth)}  ${outcome.summary}`];
	const pad = ' '.repeat(8 + titleWidth + 2);
	if (outcome.detail && outcome.status !== 'ok') {
		lines.push(indent(outcome.detail, pad));
	}

	if (outcome.fix) {
		lines.push(indent(`fix: ${outcome.fix}`, pad));
	}

	return lines;
}

export function recommendationLines(recommendation: Recommendation, durationMs: number | undefined): string[] {
	const lines: string[] = [''];
	if (recommendation.target && recommendation.command) {
		lines.push(`Recommended: ${targetNames[recommendation.target]}`, `  why: ${recommendation.why}`);
		if (recommendation.install.length > 0) {
			lines.push(
				`  1. install ${recommendation.install.map(step => `${step.tool} ${step.version}`).join(', ')} (no sudo, checksum-verified):`,
				`       ${recommendation.installCommand ?? ''}`,
			);
			if (recommendation.pathSetup) {
				lines.push(
					'     and put the tools folder on PATH (now and for new shells):',
					...commandLines([recommendation.pathSetup]).map(line => `       ${line}`),
				);
			}

			lines.push(`  2. then run: ${recommendation.command}`);
		} else {
			lines.push(`  run: ${recommendation.command}`);
		}
	} else {
		lines.push('Nothing can run a cluster here yet.', `  ${recommendation.why}`, '  Fix, in this order:');
		for (const [index, fix] of recommendation.fixes.entries()) {
			lines.push(`    ${index + 1}. ${fix}`);
		}
	}

	if (recommendation.rejected.length > 0) {
		lines.push('  Other paths:');
		for (const rejected of recommendation.rejected) {
			lines.push(`    ${rejected.target}: ${rejected.why}`);
		}
	}

	if (durationMs !== undefined) {
		lines.push('', `Doctor finished in ${formatDuration(durationMs)}.`);
	}

	return lines;
}
