// Pure checks of a rendered chart: what helm lint does not catch, said as what will happen at deploy time.
import {workloadsOf, type K8sObject} from './objects.js';
import {checkImages, checkSecurity} from './check-pods.js';
import {checkSecrets} from './check-secrets.js';
import {checkContract} from './check-contract.js';
import {checkProbes, checkReferences, checkServices} from './check-wiring.js';
import {indexObjects, type Finding, type LintContext} from './finding.js';

export type {Finding, LintContext, LintTarget, Severity} from './finding.js';
export {looksDoubleEncoded, passwordInUrl, placeholderReason} from './secret-values.js';

export function lintObjects(objects: readonly K8sObject[], context: LintContext): Finding[] {
	const index = indexObjects(objects);
	const workloads = workloadsOf(objects);
	const findings = [
		...workloads.flatMap(workload => checkReferences(workload, index, context)),
		...checkServices(objects, workloads),
		...workloads.flatMap(workload => checkProbes(workload)),
		...workloads.flatMap(workload => checkImages(workload, context)),
		...checkSecrets(objects, workloads, index, context.contract),
		...workloads.flatMap(workload => checkSecurity(workload)),
		...checkContract(context.contract, workloads, index, context.external ?? new Set()),
	];
	// One finding once, however many references say it.
	const seen = new Set<string>();
	return findings.filter(finding => {
		const key = JSON.stringify([finding.rule, finding.object, finding.container, finding.message]);
		return !seen.has(key) && Boolean(seen.add(key));
	});
}
