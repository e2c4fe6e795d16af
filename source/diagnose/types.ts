// What a diagnosis reads (a pod, its events and logs, the local cluster's images) and what it says.
import type {CoreV1Event, V1Pod} from '@kubernetes/client-node';
import type {DatabaseCause} from './database.js';

export type PodEvent = Pick<CoreV1Event, 'type' | 'reason' | 'message' | 'count' | 'lastTimestamp' | 'eventTime'> & {
	readonly involvedObject?: {readonly kind?: string; readonly name?: string; readonly fieldPath?: string};
};

export type DiagnosisState = 'ready' | 'progressing' | 'failing' | 'terminating' | 'completed';

export type Diagnosis = {
	readonly state: DiagnosisState;
	/** Kubernetes' own word for it where there is one: CrashLoopBackOff, OOMKilled, Unschedulable… */
	readonly reason: string;
	readonly container: string | undefined;
	/** One line for the table. */
	readonly title: string;
	readonly explanation: string;
	readonly fix: string;
	/** What it was seen in: termination messages, log lines, events. */
	readonly evidence: readonly string[];
	/** The app cannot use its database: which way, and the host it looks for (status adds the database's pod and the Services). */
	readonly database?: {readonly kind: DatabaseCause['kind']; readonly host?: string | undefined} | undefined;
	/** uvicorn cannot import its module: the module, and the image to look into (status adds where the file lies there). */
	readonly module?: {readonly name: string; readonly image: string | undefined} | undefined;
};

export type LocalImages = {
	/** "minikube profile todo", "kind cluster todo". */
	readonly cluster: string;
	readonly images: ReadonlySet<string>;
	/** The command that loads an image there, with IMAGE in it. */
	readonly loadCommand: string;
};

export type DiagnoseInput = {
	readonly pod: V1Pod;
	readonly events?: readonly PodEvent[];
	/** The last log lines of each container (the previous instance after a crash). */
	readonly logs?: Readonly<Record<string, readonly string[]>>;
	readonly localImages?: LocalImages;
	readonly now?: Date;
};
