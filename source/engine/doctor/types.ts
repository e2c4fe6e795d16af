// The doctor's vocabulary: the checks, the facts each one finds, their outcomes, and the recommendation.
export const checkIds = ['platform', 'docker', 'kvm2', 'minikube', 'kind', 'kubectl', 'cluster', 'helm', 'trivy'] as const;
export type CheckId = (typeof checkIds)[number];

/** What minikube asks for by default, and the least it starts with. */
export const minikubeNeeds = {cpus: 2, memoryMiB: 4096, minimumMemoryMiB: 1800} as const;

/** The last Kubernetes whose kubelet still starts on cgroup v1 by default (1.35 refuses it). */
export const cgroupV1Kubernetes = 'v1.34.0';

export type CheckStatus = 'ok' | 'warn' | 'fail' | 'missing';

export type WslVersion = 1 | 2 | null;

export type PlatformFacts = {
	readonly os: string;
	readonly arch: string;
	readonly kernel: string;
	readonly wsl: WslVersion;
	readonly wslDistro: string | null;
	readonly systemd: boolean;
	readonly cpus: number;
	readonly memoryMiB: number;
	/** Where todo-deploy install puts tools, and whether PATH already has it. */
	readonly userBin: string;
	/** The same, as a shell line should say it ($HOME/… when it is under the home folder). */
	readonly userBinForShell: string;
	readonly userBinOnPath: boolean;
	/** WSL 2: why the Windows browser will not reach http://localhost:PORT held here, and the fix; absent when it will (or not WSL). */
	readonly windowsBrowser?: {readonly detail: string; readonly fix: string} | undefined;
};

export type DockerDaemonState =
	| {
			readonly type: 'reachable';
			readonly version: string;
			readonly apiVersion: string;
			readonly osType: string;
			readonly cpus: number | undefined;
			readonly memoryMiB: number | undefined;
			/** docker info's CgroupVersion ("1", "2") and CgroupDriver ("systemd", "cgroupfs"). */
			readonly cgroupVersion?: string | undefined;
			readonly cgroupDriver?: string | undefined;
			/** docker info's DockerRootDir: where the engine keeps images and containers. */
			readonly rootDir?: string | undefined;
			/** The engine's own proxy (GET /info's HttpsProxy or HttpProxy), masked. */
			readonly proxy?: string | undefined;
	  }
	| {readonly type: 'permission-denied'; readonly socket: string}
	| {readonly type: 'no-socket'; readonly socket: string}
	| {readonly type: 'refused'; readonly message: string}
	| {readonly type: 'timeout'}
	| {readonly type: 'error'; readonly message: string};

/** Docker Desktop from inside a WSL 2 distro (docker-desktop.ts). */
export type DesktopFacts = {
	/** A link of the integration into /mnt/wsl/docker-desktop ("/usr/bin/docker -> …"): it is on for this distro. */
	readonly link: string | undefined;
	/** Whether what the links point to exists (Docker Desktop runs); undefined without links. */
	readonly running: boolean | undefined;
	/** Docker Desktop.exe is installed on the Windows side. */
	readonly installed: boolean;
};

export type DockerFacts = {
	readonly cli: 'present' | 'missing' | 'desktop-stub';
	readonly cliPath: string | undefined;
	readonly cliVersion: string | undefined;
	/** What the Docker Desktop stub printed, when it is the `docker` on PATH. */
	readonly stubMessage: string | undefined;
	readonly host: string;
	/** The docker context the host comes from (not DOCKER_HOST, not the default). */
	readonly context?: string | undefined;
	readonly daemon: DockerDaemonState;
	/** Free and total bytes where the engine keeps images and containers, when that folder is on this machine. */
	readonly dataDisk?: {readonly path: string; readonly free: number; readonly total: number} | undefined;
	/** Docker Desktop's data lives in a virtual disk on Windows' C: drive, which grows only into C:'s free space: C: as /mnt/c measures it. */
	readonly desktopDisk?: {readonly path: string; readonly free: number; readonly total: number} | undefined;
	/** Docker Desktop's marks in a WSL 2 distro. */
	readonly desktop?: DesktopFacts | undefined;
	/** The proxy this shell uses (masked), to compare with the engine's own. */
	readonly shellProxy?: string | undefined;
};

export type Kvm2Facts = {
	readonly devKvm: 'yes' | 'no' | 'absent';
	readonly virsh: string | undefined;
	readonly driver: string | undefined;
};

export type ToolFacts = {
	readonly path: string | undefined;
	readonly version: string | undefined;
};

export type MinikubeProfile = {
	readonly name: string;
	readonly status: string;
	readonly driver: string | undefined;
};

export type MinikubeFacts = ToolFacts & {readonly profiles: readonly MinikubeProfile[]};
export type KindFacts = ToolFacts & {readonly clusters: readonly string[]};

export type LocalKind = 'minikube' | 'kind' | 'docker-desktop' | 'k3d' | 'rancher-desktop';

export type KubeContextFacts = {
	readonly name: string;
	readonly cluster: string;
	readonly server: string | undefined;
	readonly local: LocalKind | null;
	readonly current: boolean;
	/** Undefined when it was not probed (remote contexts other than the current one). */
	readonly reachable: boolean | undefined;
	readonly serverVersion: string | undefined;
	readonly error: string | undefined;
};

export type ClusterFacts = {
	readonly kubeconfig: readonly string[];
	readonly contexts: readonly KubeContextFacts[];
	readonly currentContext: string | undefined;
	readonly error: string | undefined;
	/** What the user may do in deploy's namespace (and the context's own), when a context answers: what a deploy lacks there. */
	readonly access?: ReadonlyArray<{
		readonly namespace: string;
		readonly missing: readonly string[] | undefined;
		readonly rules: readonly string[] | undefined;
		readonly note: string | undefined;
	}>;
};

export type CheckFacts = {
	platform: PlatformFacts;
	docker: DockerFacts;
	kvm2: Kvm2Facts;
	minikube: MinikubeFacts;
	kind: KindFacts;
	kubectl: ToolFacts;
	cluster: ClusterFacts;
	helm: ToolFacts;
	trivy: ToolFacts;
};

export type CheckOutcome<Id extends CheckId = CheckId> = {
	readonly status: CheckStatus;
	readonly summary: string;
	readonly detail?: string | undefined;
	readonly fix?: string | undefined;
	/** Set when the check could not finish (timeout, crash); facts are then absent. */
	readonly incomplete?: boolean;
	readonly facts?: CheckFacts[Id] | undefined;
};

export type CheckState =
	| {readonly type: 'pending'}
	| {readonly type: 'running'; readonly startedAt: number}
	| {readonly type: 'done'; readonly outcome: CheckOutcome; readonly durationMs: number};

export type RecommendationTarget = 'existing-context' | 'minikube-docker' | 'kind' | 'minikube-kvm2';

export type InstallStep = {
	readonly tool: ToolName;
	readonly version: string;
	readonly why: string;
	readonly command: string;
};

export type ToolName = 'helm' | 'kubectl' | 'minikube' | 'kind' | 'trivy';

/** A command that starts (or creates) a cluster, as data: what runs, and what it creates. */
export type StartCommand = {
	readonly program: 'minikube' | 'kind' | 'docker' | 'kubectl';
	readonly args: readonly string[];
	/** The cluster it creates, which `down --delete-cluster` may then remove; undefined when it only starts or picks one. */
	readonly creates: {readonly type: 'kind' | 'minikube'; readonly name: string} | undefined;
};

export const commandText = (start: StartCommand) => [start.program, ...start.args].join(' ');

export type Recommendation = {
	readonly target: RecommendationTarget | null;
	/** The exact next command (as shown), or null when the user must fix something first. */
	readonly command: string | null;
	/** The same command as data, for the wizard to run. */
	readonly start: StartCommand | null;
	readonly why: string;
	/** Tools to install before going on, each with the exact command. */
	readonly install: readonly InstallStep[];
	/** One command that installs them all, or null when nothing is missing. */
	readonly installCommand: string | null;
	/** The command that puts the install directory on PATH, when it is not there yet. */
	readonly pathSetup: string | null;
	readonly rejected: ReadonlyArray<{readonly target: RecommendationTarget; readonly why: string}>;
	/** When nothing works: the smallest set of fixes, in order. */
	readonly fixes: readonly string[];
};
