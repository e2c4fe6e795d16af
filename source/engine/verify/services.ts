// The backend's and the frontend's Services as verify reaches them: the release's own (from the
// manifest Helm stored, whatever the chart names them), else the names todo-deploy's chart gives.
import {releaseServices} from '../browser/session.js';
import {sideService} from '../browser/hold.js';
import {connect} from '../cluster.js';
import type {ClusterTarget} from '../cluster-target.js';
import {fullnameOf} from '../deploy/names.js';

export type SideServices = {
	readonly backend: {readonly service: string; readonly servicePort: number};
	readonly frontend: {readonly service: string; readonly servicePort: number | undefined};
};

export async function sideServicesOf(
	cluster: ClusterTarget | undefined,
	release: string,
	ports: {readonly backend: number; readonly frontend: number | undefined},
): Promise<SideServices> {
	const fullname = fullnameOf(release);
	const named: SideServices = {
		backend: {service: `${fullname}-backend`, servicePort: ports.backend},
		frontend: {service: `${fullname}-frontend`, servicePort: ports.frontend},
	};
	if (!cluster) {
		return named;
	}

	// Not reachable, or not allowed to list Services: the reach step says so with the names todo-deploy's chart gives.
	const services = await connect(cluster)
		.then(async reached => releaseServices(reached, release))
		.catch(() => []);
	return {backend: sideService(services, 'backend') ?? named.backend, frontend: sideService(services, 'frontend') ?? named.frontend};
}
