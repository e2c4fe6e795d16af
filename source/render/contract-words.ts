// The app's contract as lines: what each side needs, how todo-deploy fills each setting, where it
// learnt it, and what would go into an image that should not.
import type {AppContract} from '../engine/project/read-contract.js';
import type {EnvUse, ServiceContract} from '../engine/project/contract.js';
import {padColumns} from './columns.js';

const fills: Readonly<Record<EnvUse['kind'], (entry: EnvUse) => string>> = {
	'database-url': () => 'the in-cluster PostgreSQL (in the Secret)',
	secret: () => 'into the Secret',
	'service-url': entry =>
		entry.target === 'backend' || entry.target === 'frontend'
			? `the ${entry.target}'s in-cluster address`
			: entry.fallback
				? `kept: ${entry.fallback}`
				: 'not set',
	'build-time': entry => `a build argument${entry.target === 'backend' || entry.target === 'frontend' ? ` (the ${entry.target}'s address)` : ''}`,
	plain: entry =>
		entry.value !== undefined ? `ConfigMap: ${entry.value}` : entry.fallback !== undefined ? `not set: the code uses ${entry.fallback}` : 'not set',
};

const short = (at: string) => at.replace(/^.*\/(?=[^/]+:)/, '');

export function contractLines(side: string, contract: ServiceContract | undefined): string[] {
	if (!contract) {
		return [];
	}

	const width = Math.max(8, ...contract.env.map(entry => entry.name.length));
	return [
		`  port ${contract.port ?? '?'} (${contract.portFrom ?? '?'}), health ${contract.health.join(', ') || 'none found'}`,
		...(contract.env.length > 0 ? ['  settings the code reads:'] : ['  the code reads no settings from the environment']),
		...contract.env.map(
			entry =>
				`    ${padColumns(entry.name, width)}  ${padColumns(entry.kind, 12)}  ${fills[entry.kind](entry)}${entry.required ? ' (required)' : ''}  [${entry.from.map(at => short(at)).join(', ')}]`,
		),
		...((contract.startProblems ?? []).length > 0
			? [`  the ${side} image would not start:`, ...(contract.startProblems ?? []).map(problem => `    ✖ ${problem.message} ${problem.fix}`)]
			: []),
		...(contract.unwanted.length > 0
			? [`  would go into the ${side} image and should not:`, ...contract.unwanted.map(item => `    ${item.secret ? '✖' : '!'} ${item.path}: ${item.why}`)]
			: []),
	];
}

export function credentialLines(contract: AppContract): string[] {
	return contract.credentials.length === 0
		? []
		: [
				'What looks like a real credential in the project (rotate it, and keep it out of git):',
				...contract.credentials.map(item => `  ✖ ${item.path}: ${item.what}`),
			];
}
