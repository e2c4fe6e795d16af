// Pure: an app that cannot use its database, seen with the rest of the namespace: the database's own
// pod next to it (is it running, ready?), and the host the app looks for against the Services there.
import type {V1Pod, V1Service} from '@kubernetes/client-node';
import {podColumns, type PodRow} from './rows.js';

const databaseName = /postgres|mysql|mariadb|mongo|(^|-)db(-|$)|database/i;

function isDatabasePod(pod: V1Pod): boolean {
	const labels = pod.metadata?.labels ?? {};
	return (
		databaseName.test(pod.metadata?.name ?? '') ||
		databaseName.test(labels['app.kubernetes.io/name'] ?? '') ||
		labels['app.kubernetes.io/component'] === 'database'
	);
}

/** The Service among these (sorted) names that looks like the database's. */
const databaseService = (names: readonly string[]) => names.find(service => databaseName.test(service));

/** The row with the database pod's state and, for a host that does not resolve, the Services that do. */
export function withDatabaseContext(row: PodRow, pods: ReadonlyMap<string, V1Pod>, services: ReadonlyMap<string, V1Service> | undefined): PodRow {
	const database = row.diagnosis.database;
	if (!database) {
		return row;
	}

	const databasePods = [...pods.values()].filter(pod => pod.metadata?.name !== row.name && isDatabasePod(pod)).slice(0, 2);
	const lines = databasePods.map(pod => {
		const {ready, status, restarts} = podColumns(pod);
		return `database pod ${pod.metadata?.name ?? '?'}: ${status}, ready ${ready}${restarts > 0 ? `, ${restarts} restart${restarts === 1 ? '' : 's'}` : ''}`;
	});
	if (databasePods.length === 0) {
		lines.push('no database pod in this namespace: the database is outside the cluster, or the chart does not deploy one');
	}

	let fix = row.diagnosis.fix;
	if (database.kind === 'localhost') {
		const own = pods.get(row.name);
		const sidecar = [...(own?.spec?.containers ?? [])].find(container => databaseName.test(`${container.name} ${container.image ?? ''}`));
		if (sidecar) {
			// A database in the app's own pod is the one case where localhost is right: it is not accepting yet.
			return {
				...row,
				diagnosis: {
					...row.diagnosis,
					title: row.diagnosis.title.replace(
						/the database URL points at .+?, which in a pod is the pod itself/,
						'the database in this pod does not accept connections yet',
					),
					explanation: `The app connects to ${database.host ?? 'localhost'}, and this pod runs its database beside it (container ${sidecar.name}): that container is not accepting connections yet, or has failed.`,
					fix: `Look at the container ${sidecar.name} of this pod (kubectl logs ${row.name} -c ${sidecar.name}); once it accepts connections, the next restart of the app connects.`,
					evidence: [...row.diagnosis.evidence, `this pod has a database container: ${sidecar.name} (${sidecar.image ?? 'no image'})`],
				},
			};
		}

		const candidate = services ? databaseService([...services.keys()].sort()) : undefined;
		if (candidate) {
			lines.push(`the database's Service here is ${candidate}`);
			fix = `Here that is ${candidate}: make the database URL's host ${candidate} instead of ${database.host ?? 'localhost'}. ${fix}`;
		}
	} else if (database.kind === 'host' && database.host && !services) {
		lines.push('the Services here could not be listed (the Role does not allow it), so the host was not checked against them');
	} else if (database.kind === 'host' && database.host && services) {
		const name = database.host.split('.')[0] ?? database.host;
		const names = [...services.keys()].sort();
		const candidate = databaseService(names);
		if (services.has(name)) {
			lines.push(`a Service named ${name} exists in this namespace: if the app runs in another namespace, name it ${name}.NAMESPACE.svc`);
		} else {
			lines.push(`no Service named "${name}" here; the Services are: ${names.length > 0 ? names.join(', ') : 'none'}`);
			fix = candidate
				? `Here that is ${candidate}: make the database URL's host ${candidate} (todo-deploy's chart sets it when it deploys the database). ${fix}`
				: fix;
		}
	}

	return {...row, diagnosis: {...row.diagnosis, fix, evidence: [...row.diagnosis.evidence, ...lines]}};
}
