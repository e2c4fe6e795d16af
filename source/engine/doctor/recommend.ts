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

export function recommend(outcomes: Outcomes): Recommendation {
	const platform = facts(outcomes, 'platform');
	const docker = facts(outcomes, 'docker');
	const cluster = facts(outcomes, 'cluster');
	const minikube = facts(outcomes, 'minikube');
	const kind = facts(outcomes, 'kind');
	const kvm2 = facts(outcomes, 'kvm2');
	const wsl1 = platform?.wsl === 1;
	const daemon = docker?.daemon.type === 'reachable' ? docker.daemon : undefined;
	const dockerUsable = !wsl1 && daemon !== undefined && daemon.osType === 'linux' && docker?.cli === 'present';
	const dockerWhy = wsl1 ? 'WSL 1 cannot run Docker' : dockerUsable ? '' : why(outcomes.docker, 'Docker');
	// On cgroup v1 a new cluster runs the last Kubernetes whose kubelet still starts there.
	const cgroupV1 = daemon?.cgroupVersion === '1';
	const pinned = cgroupV1 ? ` on Kubernetes ${cgroupV1Kubernetes}, the last that starts on Docker's cgroup v1` : '';

	// 1. A local cluster that already answers.
	const reachableLocal = [...(cluster?.contexts ?? [])]
		.filter(context => context.local && context.reachable)
		.sort((a, b) => Number(b.current) - Number(a.current));
	const existing = reachableLocal[0];
	const unreachableLocal = (cluster?.contexts ?? []).filter(context => context.local && context.reachable === false);
	const existingCandidate: Candidate = existing
		? {
				target: 'existing-context',
				viable: true,
				why: `${existing.name} is a ${existing.local ?? 'local'} cluster that answers (Kubernetes ${existing.serverVersion ?? '?'}); nothing needs to be created.`,
				start: {program: 'kubectl', args: ['config', 'use-context', existing.name], creates: undefined},
				needs: [],
			}
		: {
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

	// 2. minikube with the docker driver, sized to what the engine has.
	const engineCpus = daemon?.cpus ?? platform?.cpus ?? 0;
	const engineMiB = daemon?.memoryMiB ?? platform?.memoryMiB ?? 0;
	const cpus = Math.min(4, engineCpus);
	const memory = Math.min(minikubeNeeds.memoryMiB, Math.floor((engineMiB * 0.75) / 256) * 256);
	const dockerProfile = minikube?.profiles.find(profile => profile.driver === 'docker');
	let minikubeWhyNot = '';
	if (!dockerUsable) {
		minikubeWhyNot = dockerWhy;
	} else if (engineCpus < minikubeNeeds.cpus) {
		minikubeWhyNot = `Docker has ${engineCpus} CPU; minikube needs ${minikubeNeeds.cpus}`;
	} else if (memory < minikubeNeeds.minimumMemoryMiB) {
		minikubeWhyNot = `Docker has ${engineMiB} MiB memory; minikube needs at least ${minikubeNeeds.minimumMemoryMiB} MiB for the cluster`;
	}

	const minikubeCandidate: Candidate = {
		target: 'minikube-docker',
		viable: minikubeWhyNot === '',
		why:
			minikubeWhyNot ||
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

	// 3. kind, also on Docker.
	const kindCluster = kind?.clusters[0];
	const kindCandidate: Candidate = {
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

	// 4. minikube in a KVM virtual machine.
	const kvmUsable = !wsl1 && kvm2?.devKvm === 'yes' && kvm2.virsh !== undefined;
	const kvmCandidate: Candidate = {
		target: 'minikube-kvm2',
		viable: kvmUsable,
		why: kvmUsable ? 'KVM and libvirt are usable; minikube runs the cluster in a virtual machine.' : wsl1 ? 'WSL 1 has no KVM' : why(outcomes.kvm2, 'KVM2'),
		start: {program: 'minikube', args: ['start', '--driver=kvm2'], creates: {type: 'minikube', name: 'minikube'}},
		needs: minikube?.path ? [] : ['minikube'],
	};

	const ranked = [existingCandidate, minikubeCandidate, kindCandidate, kvmCandidate];
	const chosen = ranked.find(candidate => candidate.viable);
	const rejected = ranked
		.filter(candidate => candidate !== chosen)
		.map(candidate => ({
			target: candidate.target,
			why: candidate.viable ? `also possible, ranked after ${chosen?.target ?? ''}: ${candidate.why}` : candidate.why,
		}));

	const alwaysNeeded: ToolName[] = [];
	const helm = facts(outcomes, 'helm');
	const trivy = facts(outcomes, 'trivy');
	const kubectl = facts(outcomes, 'kubectl');
	if (helm && !helm.path) {
		alwaysNeeded.push('helm');
	}

	if (trivy && !trivy.path) {
		alwaysNeeded.push('trivy');
	}

	if (kubectl && !kubectl.path) {
		alwaysNeeded.push('kubectl');
	}

	const install: InstallStep[] = [...(chosen?.needs ?? []), ...alwaysNeeded].map(tool => ({
		tool,
		version: pinnedTool(tool).version,
		why: pinnedTool(tool).why,
		command: `npx todo-deploy install ${tool}`,
	}));
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

	// Nothing works: the smallest set of fixes, in the order they unblock each other.
	const fixes: string[] = [];
	if (wsl1 && outcomes.platform?.fix) {
		fixes.push(outcomes.platform.fix);
	}

	if (!dockerUsable && outcomes.docker?.fix) {
		fixes.push(outcomes.docker.fix);
	} else if (dockerUsable && minikubeWhyNot) {
		fixes.push(
			platform?.wsl === 2
				? 'Give WSL 2 more: in %UserProfile%\\.wslconfig set [wsl2] processors=2 and memory=6GB, then wsl --shutdown in PowerShell.'
				: 'Give Docker at least 2 CPUs and 2 GB of memory (Docker Desktop > Settings > Resources).',
		);
	}

	if (fixes.length === 0) {
		fixes.push('Install Docker Engine (or turn on Docker Desktop), then run todo-deploy doctor again.');
	}

	return {
		target: null,
		command: null,
		start: null,
		why: `No cluster can be started here yet: ${[wsl1 ? 'this is WSL 1' : '', dockerWhy].filter(Boolean).join('; ')}.`,
		install,
		installCommand,
		pathSetup,
		rejected,
		fixes,
	};
}
