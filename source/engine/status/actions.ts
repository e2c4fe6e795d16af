// What the status screen's watches and keys dispatch, the port-forward's state, and the panels a key
// opens.
import type {ImageTree} from '../../diagnose/module-context.js';
import type {KubernetesObject} from '@kubernetes/client-node';
import type {Snapshot, WatchKind} from '../../adapters/cluster.js';
import type {LocalImages} from '../../diagnose/pod.js';
import type {HeldAddress} from '../browser/hold.js';
import type {Opened} from '../browser/open.js';

export type StatusAction =
	| {readonly type: 'status/snapshot'; readonly snapshot: Snapshot}
	/** Watch events that arrived within the same millisecond, applied together (as Tilt batches actions). */
	| {
			readonly type: 'status/batch';
			readonly changes: ReadonlyArray<{readonly op: 'upsert' | 'remove'; readonly kind: WatchKind; readonly object: KubernetesObject}>;
	  }
	| {readonly type: 'status/connected'; readonly kind: WatchKind}
	| {readonly type: 'status/reconnecting'; readonly kind: WatchKind; readonly reason: string; readonly delayMs: number}
	| {readonly type: 'status/failed'; readonly message: string}
	| {readonly type: 'status/select'; readonly pod: string | undefined}
	/** The container whose logs l, f and p show (c moves on); undefined: the pod's first. */
	| {readonly type: 'status/container'; readonly container: string | undefined}
	| {readonly type: 'status/panel'; readonly panel: StatusPanel}
	| {readonly type: 'status/notice'; readonly text: string | undefined}
	| {readonly type: 'status/log-line'; readonly pod: string; readonly container: string; readonly line: string}
	| {readonly type: 'status/forward'; readonly forward: ForwardState | undefined}
	/** The browser's addresses the screen holds, and what is behind each now. */
	| {readonly type: 'status/addresses'; readonly addresses: readonly HeldAddress[]}
	/** The browser asked to open at the frontend's address (b), and what came of it. */
	| {readonly type: 'status/browser'; readonly url: string; readonly opened: Opened | undefined}
	/** What the local cluster (kind, minikube) has loaded, for image diagnoses. */
	| {readonly type: 'status/local-images'; readonly images: LocalImages}
	/** The files an image holds under its WORKDIR (a module uvicorn could not import), or that it could not be looked into. */
	| {readonly type: 'status/image-tree'; readonly image: string; readonly tree: ImageTree | 'unknown'}
	/** A crashed container's last lines (its previous run), for its diagnosis. */
	| {readonly type: 'status/crash-logs'; readonly pod: string; readonly container: string; readonly restarts: number; readonly lines: readonly string[]};

/** The port-forward started from the screen (one at a time). */
export type ForwardState =
	| {readonly state: 'starting'; readonly pod: string; readonly remote: number; readonly local: number | undefined}
	| {readonly state: 'running'; readonly pod: string; readonly remote: number; readonly url: string; readonly trouble?: string}
	| {readonly state: 'failed'; readonly pod: string; readonly remote: number; readonly message: string};

export type StatusPanel =
	| {readonly type: 'diagnosis'}
	| {
			readonly type: 'logs';
			readonly pod: string;
			readonly container: string;
			readonly previous: boolean;
			readonly lines: readonly string[] | undefined;
			readonly error?: string;
			readonly following?: boolean;
	  }
	/** The selected pod's events. */
	| {readonly type: 'events'}
	/** The namespace's Warning events. */
	| {readonly type: 'warnings'}
	/** The selected pod, describe-like. */
	| {readonly type: 'detail'}
	| {readonly type: 'confirm-restart'; readonly pod: string}
	/** Choosing the ports of a port-forward: one of the pod's declared ports, and the local port being typed (empty: any free one). */
	| {readonly type: 'forward'; readonly pod: string; readonly ports: readonly number[]; readonly remote: number; readonly local: string};
