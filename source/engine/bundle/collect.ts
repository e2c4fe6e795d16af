// When nothing fits: one archive a teammate can read, with what todo-deploy knows. The doctor's findings,
// the contract, the state, the report and the session logs; for each pod that is not ready, its
// diagnosis, its object, its events and its last log lines (before and after a crash); helm's status
// and values. Every secret this machine and the cluster know of is masked in every file, with its
// URL-encoded and base64 forms and any password inside a URL, and the bundle lists by name what was
// masked. Pure but for the reads it is given.
import type {CoreV1Event, V1Pod} from '@kubernetes/client-node';
import {dump} from 'js-yaml';
import {diagnosePod} from '../../diagnose/pod.js';
import {eventsFor, eventLine} from '../../diagnose/explain.js';
import {secretVariable} from '../mask.js';
import {envExampleNames} from '../project/env-reads.js';

export type BundleFile = {readonly name: string; readonly content: string};

/** A secret known by name (where it came from) and its value. */
export type KnownSecret = {readonly name: string; readonly value: string};

/** What the cluster gives the bundle: its pods and events, a container's logs. */
export type BundleCluster = {
	readonly pods: readonly V1Pod[];
	readonly events: readonly CoreV1Event[];
	logs(pod: string, container: string, previous: boolean): Promise<string | undefined>;
};

export type BundleInputs = {
	readonly made: Date;
	readonly command: string;
	readonly files: readonly BundleFile[];
	/** The cluster, or why it could not be read. */
	readonly cluster: BundleCluster | {readonly why: string};
	readonly secrets: readonly KnownSecret[];
	/** What could not be gathered, a line each. */
	readonly missing: readonly string[];
};

const tailLines = 100;
const shortest = 6;

/** The secret-looking values of a parsed values tree (helm's values), each by its path. */
export function secretsInValues(values: unknown, at = 'values'): KnownSecret[] {
	if (typeof values === 'string') {
		return [];
	}

	if (Array.isArray(values)) {
		return values.flatMap((item, index) => secretsInValues(item, `${at}[${index}]`));
	}

	if (typeof values !== 'object' || values === null) {
		return [];
	}

	return Object.entries(values).flatMap(([key, value]) =>
		typeof value === 'string'
			? secretVariable.test(key) && value.length >= shortest
				? [{name: `${at}.${key}`, value}]
				: []
			: secretsInValues(value, `${at}.${key}`),
	);
}

/** The secret-like variables of a .env text, read as discovery reads .env files, by file and name. */
export function secretsInEnvText(text: string, file: string): KnownSecret[] {
	return envExampleNames(text, file).flatMap(({name, fallback: value = ''}) =>
		(secretVariable.test(name) || /:\/\/[^:/\s]+:[^@\s]+@/.test(value)) && value.length >= shortest ? [{name: `${file} ${name}`, value}] : [],
	);
}

/** Every form of a value a file may hold it in. */
const formsOf = (value: string) => [...new Set([value, encodeURIComponent(value), Buffer.from(value).toString('base64')])];

/** The files with every known secret masked, and the names of those that were found in them. */
export function maskFiles(files: readonly BundleFile[], secrets: readonly KnownSecret[]): {files: BundleFile[]; masked: string[]} {
	const masked = new Set<string>();
	// Longer first: a value that holds another is masked whole.
	const forms = secrets
		.filter(secret => secret.value.length >= shortest)
		.flatMap(secret => formsOf(secret.value).map(form => ({name: secret.name, form})))
		.sort((a, b) => b.form.length - a.form.length);
	const out = files.map(file => {
		let content = file.content;
		for (const {name, form} of forms) {
			if (content.includes(form)) {
				content = content.split(form).join('****');
				masked.add(name);
			}
		}

		// A password inside any URL, known or not.
		content = content.replaceAll(/(\b[a-z][\w+.-]*:\/\/[^:/@\s"']+:)([^@\s"'*][^@\s"']*)@/gi, (_whole, head: string) => {
			masked.add('a password inside a URL');
			return `${head}****@`;
		});
		return {name: file.name, content};
	});
	return {files: out, masked: [...masked].sort()};
}

const notReady = (pod: V1Pod) =>
	pod.status?.phase !== 'Succeeded' && !(pod.status?.conditions ?? []).some(condition => condition.type === 'Ready' && condition.status === 'True');

/** One pod that is not ready: what todo-deploy makes of it, its object, its events and its last lines. */
async function podFile(cluster: BundleCluster, pod: V1Pod, now: Date): Promise<BundleFile> {
	const name = pod.metadata?.name ?? 'pod';
	const events = cluster.events.filter(event => event.involvedObject.name === name);
	const logs: Record<string, string[]> = {};
	const sections: string[] = [];
	for (const container of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
		const status = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])].find(item => item.name === container.name);
		const restarted = (status?.restartCount ?? 0) > 0;
		const [current, previous] = await Promise.all([
			cluster.logs(name, container.name, false),
			restarted ? cluster.logs(name, container.name, true) : Promise.resolve(undefined),
		]);
		const lines = (text: string | undefined) => (text ?? '').split('\n').filter(Boolean).slice(-tailLines);
		logs[container.name] = [...lines(previous), ...lines(current)];
		sections.push(
			`--- logs of ${container.name}${previous === undefined ? '' : ' (the instance before the last restart, then the current one)'}, last ${tailLines} lines`,
			...(previous === undefined ? [] : [...lines(previous), '--- current instance']),
			...(current === undefined ? ['(no logs: the container has not started, or they could not be read)'] : lines(current)),
		);
	}

	const diagnosis = diagnosePod({pod, events, logs, now});
	return {
		name: `pods/${name}.txt`,
		content: [
			`${name}: ${diagnosis.title}`,
			'',
			diagnosis.explanation,
			`fix: ${diagnosis.fix}`,
			'',
			'--- events',
			...(events.length > 0 ? eventsFor(events).map(event => eventLine(event)) : ['(none)']),
			...sections,
			'--- the pod as the API server has it',
			dump(pod, {noRefs: true, lineWidth: 160}),
		].join('\n'),
	};
}

/** The bundle's files, masked, with a README that says what is in it and what could not be gathered. */
export async function collectBundle(inputs: BundleInputs): Promise<{files: BundleFile[]; masked: string[]}> {
	const pods: BundleFile[] = [];
	const missing = [...inputs.missing];
	if ('why' in inputs.cluster) {
		missing.push(`the cluster's pods: ${inputs.cluster.why}`);
	} else {
		const cluster = inputs.cluster;
		for (const pod of cluster.pods.filter(candidate => notReady(candidate))) {
			pods.push(await podFile(cluster, pod, inputs.made));
		}
	}

	const {files, masked} = maskFiles([...inputs.files, ...pods], inputs.secrets);
	const readme = [
		`A todo-deploy bundle, made ${inputs.made.toISOString()} by ${inputs.command}.`,
		'',
		'What is in it:',
		...files.map(file => `  ${file.name}`),
		...(pods.length === 0 && !('why' in inputs.cluster) ? ['  (every pod was ready: no pods/ files)'] : []),
		'',
		...(missing.length > 0 ? ['What could not be gathered:', ...missing.map(line => `  ${line}`), ''] : []),
		'Every secret todo-deploy knew of was replaced by ****, in every form (as written, URL-encoded, base64), and so is any password inside a URL.',
		masked.length > 0 ? `Masked (by name, never the value): ${masked.join(', ')}.` : 'No known secret appeared in these files.',
		`Known and not found in any file: ${
			inputs.secrets
				.filter(secret => !masked.includes(secret.name))
				.map(secret => secret.name)
				.join(', ') || 'none'
		}.`,
	].join('\n');
	return {files: [{name: 'README.txt', content: `${readme}\n`}, ...files], masked};
}
