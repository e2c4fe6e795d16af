// Pure: what verify checks, from the app's contract: the backend's port and health paths, and the
// frontend's health, the routes through which it reaches the backend, and how it finds the backend.
import type {AppContract} from '../project/read-contract.js';
import type {FrontendTarget} from './run.js';

/** The shipped chart's frontend Service port. */
const frontendServicePort = 80;

export function verifyTargets(contract: AppContract | undefined): {
	readonly servicePort: number | undefined;
	readonly healthPaths: readonly string[];
	readonly frontend: FrontendTarget | undefined;
} {
	const frontend = contract?.frontend;
	const addresses = (frontend?.env ?? []).filter(entry => entry.target === 'backend');
	return {
		servicePort: contract?.backend?.port,
		healthPaths: contract?.backend?.health ?? [],
		frontend: frontend
			? {
					servicePort: frontendServicePort,
					health: frontend.health,
					proxies: frontend.proxies ?? [],
					addressHint:
						addresses.length > 0
							? addresses
									.map(
										entry =>
											`${entry.name} (${entry.kind === 'build-time' ? 'baked in when the image is built' : "in the pod's environment"}, ${entry.from[0] ?? ''})`,
									)
									.join(', ')
							: undefined,
				}
			: undefined,
	};
}
