// build, load and scan as data: an image's plan, where it is sent, each step's status, and the actions
// that change them.
import type {BuildProgress} from './build-progress.js';
import type {ScanSummary} from './scan-results.js';

export type ImageName = 'backend' | 'frontend';

export type ImagePlan = {
	readonly name: ImageName;
	/** "todo-backend:git-3f2c1a9b7d4e" */
	readonly ref: string;
	readonly repository: string;
	readonly tag: string;
	/** The tag the sources alone give (without the build arguments' part): the same sources, the same sourceTag. */
	readonly sourceTag: string;
	/** The names of the build arguments the tag includes (never their values). */
	readonly buildArgs: readonly string[];
	readonly context: string;
	readonly dockerfile: string;
	/** The commit the tag came from, when the sources are in git. */
	readonly commit: string | undefined;
	/** What the daemon is sent, and what .dockerignore kept out. */
	readonly contextBytes: number;
	readonly ignoredFiles: number;
	readonly ignoredBytes: number;
	/** What todo-deploy left out of the context as not belonging in an image (paths from the project root). */
	readonly leftOut?: readonly string[] | undefined;
	/** Files todo-deploy added to the context it sent (never to the project), and why. */
	readonly generated?: ReadonlyArray<{readonly name: string; readonly why: string}> | undefined;
};

export type LoadTarget =
	| {readonly type: 'minikube'; readonly profile: string}
	/** registry: the cluster's local registry (kind-registry.ts), pushed to instead of kind load. */
	| {readonly type: 'kind'; readonly cluster: string; readonly registry?: string | undefined}
	| {readonly type: 'registry'; readonly registry: string};

/** The registry the pods pull the images from (a remote cluster's, or kind's local one); none when loaded into the nodes. */
export function pullRegistryOf(target: LoadTarget | undefined): string | undefined {
	return target?.type === 'registry' || target?.type === 'kind' ? target.registry : undefined;
}

export type BuildStatus =
	| {readonly type: 'pending'}
	| {readonly type: 'preparing'}
	| {readonly type: 'building'; readonly progress: BuildProgress; readonly contextBytes: number; readonly ignoredFiles: number}
	| {
			readonly type: 'done';
			readonly outcome: 'built' | 'up-to-date';
			readonly id: string;
			readonly size: number;
			readonly durationMs: number;
			readonly steps: number;
			readonly cached: number;
	  }
	| {
			readonly type: 'failed';
			readonly message: string;
			readonly step: string | undefined;
			readonly output: readonly string[];
			readonly fix: string | undefined;
	  };

export type LoadStatus =
	| {readonly type: 'pending'}
	| {readonly type: 'checking'}
	| {readonly type: 'loading'; readonly detail: string}
	| {
			readonly type: 'done';
			/** built-in-place: built in the cluster's own engine, so nothing had to travel. */
			readonly outcome: 'loaded' | 'already-present' | 'pushed' | 'built-in-place';
			readonly where: string;
			readonly durationMs: number;
			readonly digest: string | undefined;
			/** What travelled to the cluster, when it is known (an image archive, base images copied once). */
			readonly bytes?: number | undefined;
			/** Why the image was copied rather than built where the cluster runs. */
			readonly why?: string | undefined;
	  }
	| {readonly type: 'failed'; readonly message: string; readonly fix: string | undefined}
	| {readonly type: 'skipped'; readonly reason: string};

export type ScanStatus =
	| {readonly type: 'pending'}
	| {readonly type: 'scanning'}
	| {readonly type: 'done'; readonly summary: ScanSummary; readonly reportPath: string; readonly cached: boolean; readonly durationMs: number}
	| {readonly type: 'failed'; readonly message: string; readonly fix: string | undefined}
	| {readonly type: 'skipped'; readonly reason: string};

export type ImageSteps = {readonly build: boolean; readonly load: boolean; readonly scan: boolean};

export type ImagesAction =
	| {readonly type: 'images/started'; readonly names: readonly ImageName[]; readonly steps: ImageSteps; readonly target: LoadTarget | undefined}
	| {readonly type: 'images/planned'; readonly plan: ImagePlan}
	| {readonly type: 'images/build'; readonly name: ImageName; readonly status: BuildStatus}
	| {readonly type: 'images/load'; readonly name: ImageName; readonly status: LoadStatus}
	| {readonly type: 'images/scan'; readonly name: ImageName; readonly status: ScanStatus}
	| {readonly type: 'images/failed'; readonly message: string; readonly fix: string | undefined; readonly kind: 'input' | 'environment'}
	| {readonly type: 'images/finished'; readonly durationMs: number; readonly cancelled: boolean};
