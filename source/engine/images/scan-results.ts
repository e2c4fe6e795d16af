// Pure: Trivy's JSON output -> counts by severity, the worst findings, and the gate's verdict.
// The gate is applied here as well as by Trivy's own flags, so a report read back from the cache
// or produced by another Trivy version is judged by the same rule.

export const severities = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'] as const;
export type Severity = (typeof severities)[number];

export type Finding = {
	readonly id: string;
	readonly severity: Severity;
	readonly pkg: string;
	readonly installed: string;
	/** Empty when no fixed version exists. */
	readonly fixed: string;
	readonly title: string;
	readonly target: string;
};

/** A secret Trivy found in the image's files (its value is never in the report: Trivy masks it). */
export type SecretFinding = {
	readonly rule: string;
	readonly severity: Severity;
	readonly title: string;
	readonly target: string;
	readonly line: number | undefined;
};

export type GateRule = {
	/** Findings at these severities fail the gate. */
	readonly severities: readonly Severity[];
	/** Only findings with a fixed version count (the default: you can act on them). */
	readonly fixableOnly: boolean;
	/** Vulnerability IDs from .trivyignore. */
	readonly ignored: readonly string[];
};

export type ScanSummary = {
	readonly counts: Readonly<Record<Severity, number>>;
	readonly fixable: Readonly<Record<Severity, number>>;
	readonly total: number;
	readonly ignored: number;
	readonly worst: readonly Finding[];
	/** Secrets in the image's files: any one fails the gate. */
	readonly secrets: readonly SecretFinding[];
	readonly gate: {readonly passed: boolean; readonly blocking: number; readonly rule: string};
	readonly os: string | undefined;
};

export const defaultGate: GateRule = {severities: ['CRITICAL'], fixableOnly: true, ignored: []};

export class ScanResultsError extends Error {}

type TrivyVulnerability = {VulnerabilityID?: string; PkgName?: string; InstalledVersion?: string; FixedVersion?: string; Severity?: string; Title?: string};
type TrivySecret = {RuleID?: string; Category?: string; Severity?: string; Title?: string; StartLine?: number};
type TrivyOutput = {
	Results?: Array<{Target?: string; Vulnerabilities?: TrivyVulnerability[] | null; Secrets?: TrivySecret[] | null}> | null;
	Metadata?: {OS?: {Family?: string; Name?: string}};
};

const asSeverity = (value: string | undefined): Severity => ((severities as readonly string[]).includes(value ?? '') ? (value as Severity) : 'UNKNOWN');

/** Reads the IDs out of a .trivyignore: one a line, "#" comments, "exp:" expiry suffixes dropped. */
export function parseTrivyignore(text: string, today = new Date()): string[] {
	const ids: string[] = [];
	for (const raw of text.split('\n')) {
		const line = raw.replace(/#.*$/, '').trim();
		if (!line) {
			continue;
		}

		const [id = '', ...rest] = line.split(/\s+/);
		const expiry = rest.find(part => part.startsWith('exp:'))?.slice(4);
		if (expiry && !Number.isNaN(Date.parse(expiry)) && Date.parse(expiry) < today.getTime()) {
			continue;
		}

		ids.push(id);
	}

	return ids;
}

export function parseSeverities(text: string): Severity[] | undefined {
	const list = text
		.split(',')
		.map(part => part.trim().toUpperCase())
		.filter(Boolean);
	return list.length > 0 && list.every(part => (severities as readonly string[]).includes(part)) ? (list as Severity[]) : undefined;
}

export function describeGate(rule: GateRule): string {
	return `fail on ${rule.severities.join(', ')}${rule.fixableOnly ? ' with a fix available' : ''}, or any secret in the image`;
}

export function summarizeScan(json: string, rule: GateRule, worstCount = 5): ScanSummary {
	let parsed: unknown;
	try {
		parsed = JSON.parse(json);
	} catch (error) {
		throw new ScanResultsError(`Trivy's report is not JSON (${error instanceof Error ? error.message : String(error)})`, {cause: error});
	}

	if (typeof parsed !== 'object' || parsed === null) {
		throw new ScanResultsError("Trivy's report is not a JSON object.");
	}

	const output = parsed as TrivyOutput;

	const ignored = new Set(rule.ignored);
	const counts = Object.fromEntries(severities.map(severity => [severity, 0])) as Record<Severity, number>;
	const fixable = {...counts};
	const findings: Finding[] = [];
	const seen = new Set<string>();
	let ignoredCount = 0;
	const secrets: SecretFinding[] = [];
	for (const result of output.Results ?? []) {
		for (const secret of result.Secrets ?? []) {
			if (ignored.has(secret.RuleID ?? '')) {
				ignoredCount++;
				continue;
			}

			secrets.push({
				rule: secret.RuleID ?? '?',
				severity: asSeverity(secret.Severity),
				title: secret.Title ?? secret.Category ?? '',
				target: result.Target ?? '',
				line: secret.StartLine,
			});
		}

		for (const vulnerability of result.Vulnerabilities ?? []) {
			const finding: Finding = {
				id: vulnerability.VulnerabilityID ?? '?',
				severity: asSeverity(vulnerability.Severity),
				pkg: vulnerability.PkgName ?? '?',
				installed: vulnerability.InstalledVersion ?? '',
				fixed: vulnerability.FixedVersion ?? '',
				title: vulnerability.Title ?? '',
				target: result.Target ?? '',
			};
			// The same CVE in the same package at the same version counts once.
			const key = `${finding.id}|${finding.pkg}|${finding.installed}|${finding.target}`;
			if (seen.has(key)) {
				continue;
			}

			seen.add(key);
			if (ignored.has(finding.id)) {
				ignoredCount++;
				continue;
			}

			counts[finding.severity]++;
			if (finding.fixed) {
				fixable[finding.severity]++;
			}

			findings.push(finding);
		}
	}

	const rank = (finding: Finding) => severities.indexOf(finding.severity) * 2 + (finding.fixed ? 0 : 1);
	const worst = [...findings].sort((a, b) => rank(a) - rank(b) || a.pkg.localeCompare(b.pkg) || a.id.localeCompare(b.id)).slice(0, worstCount);
	const blocking = findings.filter(finding => rule.severities.includes(finding.severity) && (!rule.fixableOnly || finding.fixed !== '')).length;
	const os =
		output.Metadata?.OS?.Family && output.Metadata.OS.Family !== 'none' ? `${output.Metadata.OS.Family} ${output.Metadata.OS.Name ?? ''}`.trim() : undefined;
	const gate = {passed: blocking === 0 && secrets.length === 0, blocking: blocking + secrets.length, rule: describeGate(rule)};
	return {counts, fixable, total: findings.length, ignored: ignoredCount, worst, secrets, gate, os};
}
