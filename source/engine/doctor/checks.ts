// The doctor's checks as data: each finds facts through an adapter and says what they mean for the user.
import {detectDockerCli, dockerEndpoint, probeDockerDaemon} from '../../adapters/docker.js';
import {probeHelm} from '../../adapters/helm.js';
import {probeKind} from '../../adapters/kind.js';
import {classifyLocalContext, loadKubeconfig, probeContextVersion, probeKubectl} from '../../adapters/kube.js';
import {probeMinikube} from '../../adapters/minikube.js';
import {describeRunFailure, type System, type ToolProbe} from '../../adapters/system.js';
import {probeTrivy} from '../../adapters/trivy.js';
import {detectPlatform, startDockerCommand} from './platform.js';
import {
	minikubeNeeds,
	type CheckFacts,
	type CheckId,
	type CheckOutcome,
	type DockerFacts,
	type KubeContextFacts,
	type MinikubeProfile,
	type PlatformFacts,
} from './types.js';

export type Check<Id extends CheckId = CheckId> = {
	readonly id: Id;
	readonly title: string;
	/** The whole check, every run inside it included, ends by then. */
	readonly timeoutMs: number;
	run(system: System): Promise<CheckOutcome<Id>>;
};

const gib = (mib: number) => `${(mib / 1024).toFixed(1)} GiB`;

function describePlatform(platform: PlatformFacts): string {
	const os = platform.os === 'linux' ? 'Linux' : platform.os === 'darwin' ? 'macOS' : platform.os;
	const wsl = platform.wsl ? `, WSL ${platform.wsl}${platform.wslDistro ? ` (${platform.wslDistro})` : ''}` : '';
	return `${os} ${platform.arch}${wsl}, ${platform.cpus} CPUs, ${gib(platform.memoryMiB)} memory${platform.os === 'linux' ? `, systemd ${platform.systemd ? 'on' : 'off'}` : ''}`;
}

const platformCheck: Check<'platform'> = {
	id: 'platform',
	title: 'Platform',
	timeoutMs: 2000,
	async run(system) {
		const facts = await detectPlatform(system);
		const summary = describePlatform(facts);
		if (facts.wsl === 1) {
			return {
				status: 'fail',
				summary,
				detail: `Kernel ${facts.kernel} is WSL 1, which emulates Linux and cannot run Docker or Kubernetes.`,
				fix: `In Windows PowerShell: wsl --set-version ${facts.wslDistro ?? '<distro>'} 2, then open this terminal again.`,
				facts,
			};
		}

		if (facts.os === 'win32') {
			return {
				status: 'fail',
				summary,
				detail: 'todo-deploy runs inside Linux: on Windows, use a WSL 2 distro.',
				fix: 'In PowerShell: wsl --install -d Ubuntu, then run npx todo-deploy inside Ubuntu.',
				facts,
			};
		}

		const short: string[] = [];
		if (facts.cpus < minikubeNeeds.cpus) {
			short.push(`${facts.cpus} CPU (minikube needs ${minikubeNeeds.cpus})`);
		}

		if (facts.memoryMiB < minikubeNeeds.memoryMiB) {
			short.push(`${gib(facts.memoryMiB)} memory (minikube wants 4 GB by default)`);
		}

		const notes: string[] = [];
		if (facts.wsl === 2 && !facts.systemd) {
			notes.push('systemd is off in this distro, so a Docker Engine installed inside it does not start by itself.');
		}

		if (short.length > 0) {
			return {
				status: 'warn',
				summary,
				detail: [`Short for minikube: ${short.join(', ')}.`, ...notes].join(' '),
				fix:
					facts.wsl === 2
						? 'Give WSL more: in %UserProfile%\\.wslconfig set [wsl2] processors=2 and memory=6GB, then run wsl --shutdown in PowerShell.'
						: 'kind needs less than minikube; close other programs or use a bigger machine.',
				facts,
			};
		}

		return {status: 'ok', summary, detail: notes.length > 0 ? notes.join(' ') : undefined, facts};
	},
};

function dockerDesktopFix(distro: string | null): string {
	return `Open Docker Desktop > Settings > Resources > WSL integration, turn on ${distro ?? 'this distro'}, press Apply & restart, then open a new terminal.`;
}

export function describeDocker(facts: DockerFacts, platform: PlatformFacts): Omit<CheckOutcome<'docker'>, 'facts'> {
	const {daemon} = facts;
	if (facts.cli === 'desktop-stub') {
		return {
			status: 'fail',
			summary: "Docker Desktop's WSL integration is off for this distro",
			detail: `\`docker\` here is Docker Desktop's stand-in, which only prints:\n${facts.stubMessage ?? ''}\nThis is why minikube says DRV_NOT_DETECTED: it finds no working docker.`,
			fix: dockerDesktopFix(platform.wslDistro),
		};
	}

	if (daemon.type === 'reachable') {
		if (daemon.osType !== 'linux') {
			return {
				status: 'fail',
				summary: `Docker Engine ${daemon.version} runs ${daemon.osType} containers`,
				fix: 'Switch Docker Desktop to Linux containers (tray icon > Switch to Linux containers).',
			};
		}

		const resources = `Linux containers, ${daemon.cpus ?? '?'} CPUs and ${daemon.memoryMiB === undefined ? '?' : gib(daemon.memoryMiB)} for the engine.`;
		const summary = `Docker Engine ${daemon.version} (API ${daemon.apiVersion}) answers at ${facts.host}`;
		if (facts.cli === 'missing') {
			return {
				status: 'warn',
				summary,
				detail: `${resources} The daemon answers, but the docker command is not on PATH; minikube and kind drive Docker through it.`,
				fix: platform.wsl === 2 ? dockerDesktopFix(platform.wslDistro) : 'Install the Docker CLI: sudo apt-get install -y docker.io (or docker-ce-cli).',
			};
		}

		return {status: 'ok', summary, detail: resources};
	}

	if (facts.cli === 'missing' && (daemon.type === 'no-socket' || daemon.type === 'refused')) {
		const fix =
			platform.wsl === 2
				? `${dockerDesktopFix(platform.wslDistro)} Without Docker Desktop: sudo apt-get install -y docker.io && ${startDockerCommand(platform)}.`
				: platform.os === 'darwin'
					? 'Install Docker Desktop (or colima: brew install colima docker && colima start).'
					: `Install Docker Engine: sudo apt-get install -y docker.io && ${startDockerCommand(platform)} && sudo usermod -aG docker $USER, then open a new login shell.`;
		return {
			status: 'missing',
			summary: 'Docker is not installed here',
			detail: `No docker command on PATH and no daemon at ${facts.host}. This is what minikube reports as DRV_NOT_DETECTED.`,
			fix,
		};
	}

	switch (daemon.type) {
		case 'permission-denied': {
			return {
				status: 'fail',
				summary: `Permission denied on ${daemon.socket}`,
				detail: 'The daemon runs, but this user may not use its socket (minikube: "permission denied while trying to connect to the Docker daemon socket").',
				fix: 'sudo usermod -aG docker $USER, then start a new login shell (or run: newgrp docker) so the group applies.',
			};
		}

		case 'no-socket':
		case 'refused': {
			const where = daemon.type === 'no-socket' ? `no socket at ${daemon.socket}` : `${facts.host} refused the connection`;
			const start =
				platform.wsl === 2
					? `Start Docker Desktop on Windows (with WSL integration on for this distro), or the engine in this distro: ${startDockerCommand(platform)}.`
					: `${startDockerCommand(platform)}${platform.os === 'linux' ? ' (and sudo systemctl enable docker to start it at boot)' : ''}.`;
			return {
				status: 'fail',
				summary: `The Docker daemon is not running (${where})`,
				fix: facts.host === `unix:///var/run/docker.sock` ? start : `${start} If DOCKER_HOST=${facts.host} is stale, unset DOCKER_HOST.`,
			};
		}

		case 'timeout': {
			return {
				status: 'fail',
				summary: `The Docker daemon at ${facts.host} did not answer in time`,
				detail: 'It accepts connections but does not reply: it may be starting, or hung.',
				fix: 'Wait for Docker to finish starting, or restart it, then run todo-deploy doctor again.',
			};
		}

		case 'error': {
			return {
				status: 'fail',
				summary: `Docker at ${facts.host} could not be reached`,
				detail: daemon.message,
				fix: 'Check DOCKER_HOST (unset it to use the local socket), then run todo-deploy doctor again.',
			};
		}
	}
}

const dockerCheck: Check<'docker'> = {
	id: 'docker',
	title: 'Docker',
	timeoutMs: 6000,
	async run(system) {
		const [platform, cli, daemon] = await Promise.all([detectPlatform(system), detectDockerCli(system, 4000), probeDockerDaemon(system.env, 3000)]);
		const facts: DockerFacts = {
			cli: cli.type,
			cliPath: cli.path,
			cliVersion: cli.version,
			stubMessage: cli.stubMessage,
			host: dockerEndpoint(system.env).host,
			daemon,
		};
		return {...describeDocker(facts, platform), facts};
	},
};

const kvm2Check: Check<'kvm2'> = {
	id: 'kvm2',
	title: 'KVM2',
	timeoutMs: 3000,
	async run(system) {
		const platform = await detectPlatform(system);
		if (platform.os !== 'linux') {
			return {status: 'missing', summary: 'KVM is only on Linux', facts: {devKvm: 'absent', virsh: undefined, driver: undefined}};
		}

		const [devKvm, virsh, driverOnPath, driverInMinikube] = await Promise.all([
			system.canReadWrite('/dev/kvm'),
			system.which('virsh'),
			system.which('docker-machine-driver-kvm2'),
			system.exists(`${system.homedir}/.minikube/bin/docker-machine-driver-kvm2`),
		]);
		const driver = driverOnPath ?? (driverInMinikube ? `${system.homedir}/.minikube/bin/docker-machine-driver-kvm2` : undefined);
		const facts = {devKvm, virsh, driver};
		if (devKvm === 'absent') {
			return {
				status: 'missing',
				summary: '/dev/kvm is absent: no hardware virtualisation here',
				detail:
					platform.wsl === 2
						? 'WSL 2 itself runs in a Hyper-V virtual machine; KVM inside it needs nested virtualisation, which Windows offers only on some builds and CPUs, and libvirtd running in the distro. The docker driver is the path that works in WSL 2.'
						: 'Virtualisation is off in the firmware, the kvm module is not loaded, or this is a virtual machine without nested virtualisation.',
				fix: platform.wsl === 2 ? undefined : 'Turn on VT-x/AMD-V in the firmware, then: sudo modprobe kvm_intel (or kvm_amd).',
				facts,
			};
		}

		if (devKvm === 'no') {
			return {status: 'fail', summary: '/dev/kvm exists but this user may not open it', fix: 'sudo usermod -aG kvm,libvirt $USER, then log in again.', facts};
		}

		if (!virsh) {
			return {
				status: 'warn',
				summary: '/dev/kvm is usable, but libvirt (virsh) is not installed',
				fix: 'sudo apt-get install -y qemu-kvm libvirt-daemon-system && sudo usermod -aG libvirt $USER, then log in again.',
				facts,
			};
		}

		return {
			status: 'ok',
			summary: `/dev/kvm usable, libvirt at ${virsh}${driver ? ', kvm2 driver present' : ' (minikube fetches the kvm2 driver itself)'}`,
			facts,
		};
	},
};

function missingTool(name: string, why: string): string {
	return `${name} is not installed (${why})`;
}

function toolOutcome<Id extends 'kubectl' | 'helm' | 'trivy'>(
	name: string,
	why: string,
	probe: ToolProbe,
	extra?: (version: string) => Omit<CheckOutcome<Id>, 'facts'> | undefined,
): CheckOutcome<Id> {
	const facts = {path: probe.path, version: probe.version} as CheckFacts[Id];
	if (!probe.path) {
		return {status: 'missing', summary: missingTool(name, why), facts};
	}

	if (!probe.version) {
		return {
			status: 'warn',
			summary: `${name} at ${probe.path} did not tell its version`,
			detail: probe.result ? describeRunFailure(`${name} version`, probe.result) : undefined,
			fix: `Run ${probe.path} version yourself; reinstall it if it fails.`,
			facts,
		};
	}

	return {...(extra?.(probe.version) ?? {status: 'ok', summary: `${name} ${probe.version} at ${probe.path}`}), facts};
}

const majorOf = (version: string) => Number(/^v?(\d+)/.exec(version)?.[1] ?? 0);

/** minikube and kind: the tool, its version, and what it lists (profiles, clusters). */
function listingOutcome<Id extends 'minikube' | 'kind', Item>(
	name: string,
	probe: ToolProbe,
	listing: {readonly items: readonly Item[] | undefined; readonly error: string | undefined; readonly noun: string; describe(items: readonly Item[]): string},
	facts: CheckFacts[Id],
): CheckOutcome<Id> {
	if (!probe.path) {
		return {status: 'missing', summary: missingTool(name, 'runs the local cluster'), facts};
	}

	if (!probe.version) {
		return {
			status: 'warn',
			summary: `${name} at ${probe.path} did not tell its version`,
			detail: probe.result ? describeRunFailure(`${name} version`, probe.result) : undefined,
			facts,
		};
	}

	if (!listing.items) {
		return {status: 'warn', summary: `${name} ${probe.version}; its ${listing.noun} could not be listed`, detail: listing.error, facts};
	}

	return {
		status: 'ok',
		summary: `${name} ${probe.version}, ${listing.items.length === 0 ? `no ${listing.noun} yet` : `${listing.noun}: ${listing.describe(listing.items)}`}`,
		facts,
	};
}

const minikubeCheck: Check<'minikube'> = {
	id: 'minikube',
	title: 'minikube',
	timeoutMs: 10_000,
	async run(system) {
		const probe = await probeMinikube(system, 8000);
		return listingOutcome<'minikube', MinikubeProfile>(
			'minikube',
			probe,
			{
				items: probe.profiles,
				error: probe.profileError,
				noun: 'profiles',
				describe: profiles => profiles.map(profile => `${profile.name} (${profile.status}${profile.driver ? `, ${profile.driver}` : ''})`).join(', '),
			},
			{path: probe.path, version: probe.version, profiles: probe.profiles ?? []},
		);
	},
};

const kindCheck: Check<'kind'> = {
	id: 'kind',
	title: 'kind',
	timeoutMs: 8000,
	async run(system) {
		const probe = await probeKind(system, 6000);
		return listingOutcome<'kind', string>(
			'kind',
			probe,
			{
				items: probe.clusters,
				error: probe.clusterError,
				noun: 'clusters',
				describe: clusters => clusters.join(', '),
			},
			{path: probe.path, version: probe.version, clusters: probe.clusters ?? []},
		);
	},
};

const kubectlCheck: Check<'kubectl'> = {
	id: 'kubectl',
	title: 'kubectl',
	timeoutMs: 5000,
	async run(system) {
		return toolOutcome<'kubectl'>('kubectl', 'optional for todo-deploy, handy for you', await probeKubectl(system, 4000));
	},
};

const helmCheck: Check<'helm'> = {
	id: 'helm',
	title: 'Helm',
	timeoutMs: 5000,
	async run(system) {
		return toolOutcome<'helm'>('Helm', 'deploys the chart', await probeHelm(system, 4000), version =>
			majorOf(version) < 3
				? {
						status: 'warn',
						summary: `Helm ${version} is Helm 2, which needs Tiller and cannot install this chart`,
						fix: 'Install Helm 3 or newer (todo-deploy install helm puts it in your user directory).',
					}
				: undefined,
		);
	},
};

const trivyCheck: Check<'trivy'> = {
	id: 'trivy',
	title: 'Trivy',
	timeoutMs: 5000,
	async run(system) {
		return toolOutcome<'trivy'>('Trivy', 'scans the images', await probeTrivy(system, 4000));
	},
};

const clusterCheck: Check<'cluster'> = {
	id: 'cluster',
	title: 'Kubernetes contexts',
	timeoutMs: 6000,
	async run(system) {
		const loaded = await loadKubeconfig(system);
		if (loaded.type === 'none') {
			return {
				status: 'missing',
				summary: 'No kubeconfig yet: no cluster has been set up for this user',
				detail: `Looked in ${loaded.files.join(', ')}.`,
				facts: {kubeconfig: loaded.files, contexts: [], currentContext: undefined, error: undefined},
			};
		}

		if (loaded.type === 'broken') {
			return {
				status: 'fail',
				summary: `The kubeconfig ${loaded.file} cannot be read`,
				detail: loaded.message,
				fix: `Repair or move ${loaded.file} (kubectl config view shows what kubectl makes of it); minikube and kind write a fresh one when they create a cluster.`,
				facts: {kubeconfig: loaded.files, contexts: [], currentContext: undefined, error: loaded.message},
			};
		}

		const {config} = loaded;
		const current = config.getCurrentContext() || undefined;
		const contexts = config.getContexts();
		// Local contexts and the current one are probed at once; remote non-current ones are left alone.
		const probed = await Promise.all(
			contexts.map(async (context): Promise<KubeContextFacts> => {
				const cluster = config.getCluster(context.cluster);
				const local = classifyLocalContext(context.name, context.cluster);
				const isCurrent = context.name === current;
				const base = {name: context.name, cluster: context.cluster, server: cluster?.server, local, current: isCurrent};
				if (!local && !isCurrent) {
					return {...base, reachable: undefined, serverVersion: undefined, error: undefined};
				}

				const probe = await probeContextVersion(config, context.name, 3000);
				return probe.reachable
					? {...base, reachable: true, serverVersion: probe.gitVersion, error: undefined}
					: {...base, reachable: false, serverVersion: undefined, error: probe.error};
			}),
		);
		const facts = {kubeconfig: loaded.files, contexts: probed, currentContext: current, error: undefined};
		if (probed.length === 0) {
			return {status: 'missing', summary: `${loaded.files.join(', ')} has no contexts`, facts};
		}

		const list = probed
			.map(
				context =>
					`${context.current ? '* ' : ''}${context.name}${context.local ? ` (${context.local})` : ''}: ${context.reachable === undefined ? 'not probed (remote)' : context.reachable ? `answers, Kubernetes ${context.serverVersion ?? '?'}` : (context.error ?? 'no answer')}`,
			)
			.join('\n');
		const currentFacts = probed.find(context => context.current);
		const reachableLocal = probed.filter(context => context.local && context.reachable);
		if (currentFacts?.local && currentFacts.reachable) {
			return {
				status: 'ok',
				summary: `Current context ${currentFacts.name} (${currentFacts.local}) answers: Kubernetes ${currentFacts.serverVersion ?? '?'}`,
				detail: list,
				facts,
			};
		}

		if (reachableLocal.length > 0) {
			return {
				status: 'ok',
				summary: `Local context ${reachableLocal[0]?.name ?? ''} answers${current ? `; the current context ${current} is ${currentFacts?.local ? 'not answering' : 'not a local cluster'}` : ''}`,
				detail: list,
				facts,
			};
		}

		if (currentFacts?.reachable) {
			return {
				status: 'warn',
				summary: `Current context ${currentFacts.name} answers, but it is not a local cluster`,
				detail: `${list}\ntodo-deploy deploys to a local cluster unless you choose another context yourself.`,
				facts,
			};
		}

		return {
			status: 'warn',
			summary: current ? `Current context ${current} does not answer` : 'No context is selected',
			detail: list,
			fix:
				currentFacts?.local === 'minikube'
					? `minikube start -p ${currentFacts.cluster}`
					: currentFacts?.local === 'kind'
						? `docker start ${currentFacts.cluster.replace(/^kind-/, '')}-control-plane`
						: undefined,
			facts,
		};
	},
};

export const doctorChecks = [platformCheck, dockerCheck, kvm2Check, minikubeCheck, kindCheck, kubectlCheck, clusterCheck, helmCheck, trivyCheck] as const;
