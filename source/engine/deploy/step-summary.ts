// What deploy's rows say, as data: render/deploy-words.ts words it.
import type {ReleaseState} from '../../adapters/helm.js';
import type {StatusSnapshot} from '../status/snapshot.js';
import type {ResolvedSecret} from './secrets.js';

/** A secret as it may be shown: where it came from, never its value. */
export type PublicSecret = Omit<ResolvedSecret, 'value'>;

/** What deploy wrote before helm ran. */
export type Wrote = {readonly secret: string; readonly namespace: string; readonly namespaceCreated: boolean};

export type DeployStepSummary =
	| {readonly kind: 'deploy/secrets'; readonly secrets: readonly PublicSecret[]}
	/** The release as helm knows it, and that the chart renders: a first install, or an upgrade from a revision. */
	| {readonly kind: 'deploy/release'; readonly release: string; readonly namespace: string; readonly previous: ReleaseState | undefined}
	/** helm upgrade --install running, after what was written. */
	| {readonly kind: 'deploy/helm'; readonly release: string; readonly chart: string; readonly wrote: Wrote | undefined}
	| {readonly kind: 'deploy/installed'; readonly revision: number | undefined; readonly status: string | undefined; readonly wrote: Wrote}
	/** The same chart, images, values and secrets as the installed revision: helm was not run. */
	| {readonly kind: 'deploy/unchanged'; readonly revision: number}
	| {
			readonly kind: 'deploy/rollout';
			readonly snapshot: StatusSnapshot;
			readonly outcome: 'running' | 'ready' | 'timeout' | 'cancelled';
			readonly timeoutMs: number;
			readonly elapsedMs: number;
	  };
