// Pure: the checks' outcomes -> the path that will work here, why, and why not the others.
import {pinnedTool} from '../tools/catalog.js';
import {
	cgroupV1Kubernetes,
	commandText,
	minikubeNeeds,
	type CheckFacts,
	type CheckId,
	type CheckOutcome,
	type InstallStep,
	type Recommendation,
	type RecommendationTarget,
	type StartCommand,
	type ToolName,
} from './types.js';

export type Outcomes = Partial<{[Id in CheckId]: CheckOutcome<Id>}>;

type Candidate = {
	readonly target: RecommendationTarget;
	readonly viable: boolean;
	readonly why: string;
	readonly start: StartCommand | undefined;
	readonly needs: readonly ToolName[];
};

const facts = <Id extends CheckId>(outcomes: Outcomes, id: Id): CheckFacts[Id] | undefined => outcomes[id]?.facts as CheckFacts[Id] | undefined;

function why(outcome: CheckOutcome | undefined, fallback: string): string {
	if (!outcome) {
		return fallback;
	}

	if (outcome.incomplete) {
		return `the ${fallback} check could not finish: ${outcome.summary}`;
	}

	return outcome.summary;
}

/** What every candidate reads: whether Docker can carry a cluster here, and why not. */
type Ground = {
	readonly outcomes: Outcomes;
	readonly platform: CheckFacts['platform'] | undefined;
	readonly daemon: Extract<CheckFacts['docker']['daemon'], {type: 'reachable'}> | undefined;
	readonly wsl1: boolean;
	readonly dockerUsable: boolean;
	readonly dockerWhy: string;
	readonly cgroupV1: boolean;
	/** On cgroup v1 a new cluster runs the last Kubernetes whose kubelet still starts there. */
	readonly pinned: string;
};

function groundOf(outcomes: Outcomes): Ground {
	const platform = facts(outcomes, 'platform');
	const docker = facts(outcomes, 'docker');
	const wsl1 = platform?.wsl === 1;
	const daemon = docker?.daemon.type === 'reachable' ? docker.daemon : undefined;
	const dockerUsable = !wsl1 && daemon !== undefined && daemon.osType === 'linux' && docker?.cli === 'present';
	const cgroupV1 = daemon?.cgroupVersion === '1';
	return {
		outcomes,
		platform,
		daemon,
		wsl1,
		dockerUsable,
		dockerWhy: wsl1 ? 'WSL 1 cannot run Docker' : dockerUsable ? '' : why(outcomes.docker, 'Docker'),
		cgroupV1,
		pinned: cgroupV1 ? ` on Kubernetes ${cgroupV1Kubernetes}, the last that starts on Docker's cgroup v1` : '',
	};
}

/** 1. A local cluster that already answers. */
function existingCandidate({outcomes}: Ground): Candidate {
	const cluster = facts(outcomes, 'cluster');
	const contexts = cluster?.contexts ?? [];
	const [existing] = contexts.filter(context => context.local && context.reachable).sort((a, b) => Number(b.current) - Number(a.current));
	if (existing) {
		return {
			target: 'existing-context',
			viable: true,
			why: `${existing.name} is a ${existing.local ?? 'local'} cluster that answers (Kubernetes ${existing.serverVersion ?? '?'}); nothing needs to be created.`,
			start: {program: 'kubectl', args: ['config', 'use-context', existing.name], creates: undefined},
			needs: [],
		};
	}

	const unreachableLocal = contexts.filter(context => context.local && context.reachable === false);
	return {
		target: 'existing-context',
		viable: false,
		why:
			unreachableLocal.length > 0
				? `no local cluster answers: ${unreachableLocal.map(context => `${context.name} (${context.error ?? 'no answer'})`).join('; ')}`
				: cluster?.error
					? `the kubeconfig cannot be read: ${cluster.error}`
					: 'no local cluster (minikube, kind, docker-desktop, k3d) is set up yet',
		start: undefined,
		needs: [],
	};
}

/** 2. minikube with the docker driver, sized to what the engine has. */
function minikubeCandidate(ground: Ground): Candidate {
	const {outcomes, platform, daemon, dockerUsable, dockerWhy, cgroupV1, pinned} = ground;
	const minikube = facts(outcomes, 'minikube');
	const engineCpus = daemon?.cpus ?? platform?.cpus ?? 0;
	const engineMiB = daemon?.memoryMiB ?? platform?.memoryMiB ?? 0;
	const cpus = Math.min(4, engineCpus);
	const memory = Math.min(minikubeNeeds.memoryMiB, Math.floor((engineMiB * 0.75) / 256) * 256);
	const dockerProfile = minikube?.profiles.find(profile => profile.driver === 'docker');
	const whyNot = !dockerUsable
		? dockerWhy
		: engineCpus < minikubeNeeds.cpus
			? `Docker has ${engineCpus} CPU; minikube needs ${minikubeNeeds.cpus}`
			: memory < minikubeNeeds.minimumMemoryMiB
				? `Docker has ${engineMiB} MiB memory; minikube needs at least ${minikubeNeeds.minimumMemoryMiB} MiB for the cluster`
				: '';
	return {
		target: 'minikube-docker',
		viable: whyNot === '',
		why:
			whyNot ||
			`Docker Engine ${daemon?.version ?? ''} answers with ${engineCpus} CPUs and ${(engineMiB / 1024).toFixed(1)} GiB; minikube's docker driver runs the whole cluster in one container${platform?.wsl === 2 ? ', which is the driver that works in WSL 2' : ''}${pinned}.`,
		start: dockerProfile
			? {program: 'minikube', args: ['start', '-p', dockerProfile.name], creates: undefined}
			: {
					program: 'minikube',
					args: ['start', '--driver=docker', `--cpus=${cpus}`, `--memory=${memory}mb`, ...(cgroupV1 ? [`--kubernetes-version=${cgroupV1Kubernetes}`] : [])],
					creates: {type: 'minikube', name: 'minikube'},
				},
		needs: minikube?.path ? [] : ['minikube'],
	};
}

/** 3. kind, also on Docker. */
function kindCandidate({outcomes, dockerUsable, dockerWhy, cgroupV1, pinned}: Ground): Candidate {
	const kind = facts(outcomes, 'kind');
	const kindCluster = kind?.clusters[0];
	return {
		target: 'kind',
		viable: dockerUsable,
		why: dockerUsable ? `Docker answers; kind runs Kubernetes in Docker containers and needs less memory than minikube${pinned}.` : dockerWhy,
		start: kindCluster
			? {program: 'docker', args: ['start', `${kindCluster}-control-plane`], creates: undefined}
			: {
					program: 'kind',
					args: ['create', 'cluster', '--name', 'todo', ...(cgroupV1 ? ['--image', `kindest/node:${cgroupV1Kubernetes}`] : [])],
					creates: {type: 'kind', name: 'todo'},
				},
		needs: kind?.path ? [] : ['kind'],
	};
}

/** 4. minikube in a KVM virtual machine. */
function kvmCandidate({outcomes, wsl1}: Ground): Candidate {
	const kvm2 = facts(outcomes, 'kvm2');
	const usable = !wsl1 && kvm2?.devKvm === 'yes' && kvm2.virsh !== undefined;
	return {
		target: 'minikube-kvm2',
		viable: usable,
		why: usable ? 'KVM and libvirt are usable; minikube runs the cluster in a virtual machine.' : wsl1 ? 'WSL 1 has no KVM' : why(outcomes.kvm2, 'KVM2'),
		start: {program: 'minikube', args: ['start', '--driver=kvm2'], creates: {type: 'minikube', name: 'minikube'}},
		needs: facts(outcomes, 'minikube')?.path ? [] : ['minikube'],
	};
}

/** What the chosen path needs, then helm, trivy and kubectl when their checks found none. */
function installSteps(outcomes: Outcomes, chosen: Candidate | undefined): InstallStep[] {
	const missing = (['helm', 'trivy', 'kubectl'] as const).filter(tool => {
		const found = facts(outcomes, tool);
		return found !== undefined && !found.path;
	});
	return [...(chosen?.needs ?? []), ...missing].map(tool => ({
		tool,
		version: pinnedTool(tool).version,
		why: pinnedTool(tool).why,
		command: `npx todo-deploy install ${tool}`,
	}));
}

/** Nothing works: the smallest set of fixes, in the order they unblock each other. */
function fixesFor(ground: Ground, minikube: Candidate): string[] {
	const {outcomes, platform, wsl1, dockerUsable} = ground;
	const fixes: string[] = [];
	if (wsl1 && outcomes.platform?.fix) {
		fixes.push(outcomes.platform.fix);
	}

	if (!dockerUsable && outcomes.docker?.fix) {
		fixes.push(outcomes.docker.fix);
	} else if (dockerUsable && !minikube.viable) {
		fixes.push(
			platform?.wsl === 2
				? 'Give WSL 2 more: in %UserProfile%\\.wslconfig set [wsl2] processors=2 and memory=6GB, then wsl --shutdown in PowerShell.'
				: 'Give Docker at least 2 CPUs and 2 GB of memory (Docker Desktop > Settings > Resources).',
		);
	}

	if (fixes.length === 0) {
		fixes.push('Install Docker Engine (or turn on Docker Desktop), then run todo-deploy doctor again.');
	}

	return fixes;
}

export function recommend(outcomes: Outcomes): Recommendation {
	const ground = groundOf(outcomes);
	const {platform} = ground;
	const minikube = minikubeCandidate(ground);
	const ranked = [existingCandidate(ground), minikube, kindCandidate(ground), kvmCandidate(ground)];
	const chosen = ranked.find(candidate => candidate.viable);
	const rejected = ranked
		.filter(candidate => candidate !== chosen)
		.map(candidate => ({
			target: candidate.target,
			why: candidate.viable ? `also possible, ranked after ${chosen?.target ?? ''}: ${candidate.why}` : candidate.why,
		}));
	const install = installSteps(outcomes, chosen);
	const installCommand = install.length > 0 ? `npx todo-deploy install ${install.map(step => step.tool).join(' ')}` : null;
	const pathSetup =
		install.length > 0 && platform && !platform.userBinOnPath
			? `export PATH="${platform.userBinForShell}:$PATH" && echo 'export PATH="${platform.userBinForShell}:$PATH"' >> ~/.${platform.os === 'darwin' ? 'zshrc' : 'bashrc'}`
			: null;
	if (chosen) {
		return {
			target: chosen.target,
			command: chosen.start ? commandText(chosen.start) : null,
			start: chosen.start ?? null,
			why: chosen.why,
			install,
			installCommand,
			pathSetup,
			rejected,
			fixes: [],
		};
	}

	return {
		target: null,
		command: null,
		start: null,
		why: `No cluster can be started here yet: ${[ground.wsl1 ? 'this is WSL 1' : '', ground.dockerWhy].filter(Boolean).join('; ')}.`,
		install,
		installCommand,
		pathSetup,
		rejected,
		fixes: fixesFor(ground, minikube),
	};
}
