// The Docker check: the CLI, the daemon it reaches (DOCKER_HOST or the docker context), and what the
// engine lacks for a cluster (cgroup v2, disk, a proxy); in WSL 2, Docker Desktop stopped or not integrated.
import {detectDockerCli, dockerEndpoint, probeDockerDaemon} from '../../adapters/docker.js';
import {defineCheck} from './check.js';
import {lowOnDisk} from './check-machine.js';
import {detectDesktop} from './docker-desktop.js';
import {detectPlatform, startDockerCommand} from './platform.js';
import {proxyFacts} from './proxy.js';
import {cgroupV1Kubernetes, type CheckOutcome, type DockerFacts, type PlatformFacts} from './types.js';

const gib = (mib: number) => `${(mib / 1024).toFixed(1)} GiB`;

function dockerDesktopFix(distro: string | null): string {
	return `Open Docker Desktop > Settings > Resources > WSL integration, turn on ${distro ?? 'this distro'}, press Apply & restart, then open a new terminal.`;
}

type Outcome = Omit<CheckOutcome<'docker'>, 'facts'>;
type Reachable = Extract<DockerFacts['daemon'], {type: 'reachable'}>;

export function describeDocker(facts: DockerFacts, platform: PlatformFacts): Outcome {
	const {daemon} = facts;
	if (facts.cli === 'desktop-stub') {
		return {
			status: 'fail',
			summary: "Docker Desktop's WSL integration is off for this distro",
			detail: `Docker Desktop runs (its stand-in is here), but \`docker\` here is only that stand-in, which prints:\n${facts.stubMessage ?? ''}\nThis is why minikube says DRV_NOT_DETECTED: it finds no working docker.`,
			// The stand-in can stay after the integration was turned on (docker/for-win#14775's neighbours): a restart ends it.
			fix: `${dockerDesktopFix(platform.wslDistro)} If it is on already there, the stand-in outlived the change: quit Docker Desktop, run wsl --shutdown in PowerShell, then start Docker Desktop again.`,
		};
	}

	if (daemon.type === 'reachable') {
		return describeReachable(facts, daemon, platform);
	}

	return describeUnreachable(facts, daemon, platform);
}

function describeReachable(facts: DockerFacts, daemon: Reachable, platform: PlatformFacts): Outcome {
	if (daemon.osType !== 'linux') {
		return {
			status: 'fail',
			summary: `Docker Engine ${daemon.version} runs ${daemon.osType} containers`,
			fix: 'Switch Docker Desktop to Linux containers (tray icon > Switch to Linux containers).',
		};
	}

	const resources = `Linux containers, ${daemon.cpus ?? '?'} CPUs and ${daemon.memoryMiB === undefined ? '?' : gib(daemon.memoryMiB)} for the engine.`;
	const summary = `Docker Engine ${daemon.version} (API ${daemon.apiVersion}) answers at ${facts.host}${facts.context ? ` (docker context ${facts.context})` : ''}`;
	if (facts.cli === 'missing') {
		return {
			status: 'warn',
			summary,
			detail: `${resources} The daemon answers, but the docker command is not on PATH; minikube and kind drive Docker through it.`,
			fix: platform.wsl === 2 ? dockerDesktopFix(platform.wslDistro) : 'Install the Docker CLI: sudo apt-get install -y docker.io (or docker-ce-cli).',
		};
	}

	const problems = engineProblems(facts, daemon, platform);
	if (problems.length > 0) {
		return {
			status: 'warn',
			summary,
			detail: [resources, ...problems.map(problem => problem.detail)].join(' '),
			fix: problems.map(problem => problem.fix).join(' Then: '),
		};
	}

	return {status: 'ok', summary, detail: resources};
}

/** What the engine lacks for a cluster: cgroup v2, a proxy the shell has, disk. */
function engineProblems(facts: DockerFacts, daemon: Reachable, platform: PlatformFacts): Array<{detail: string; fix: string}> {
	const problems: Array<{detail: string; fix: string}> = [];
	if (daemon.cgroupVersion === '1') {
		problems.push({
			detail: `It runs containers with cgroup v1 (driver ${daemon.cgroupDriver ?? '?'}): Kubernetes 1.35 and later refuse cgroup v1 by default, so the current kind and minikube node images do not start on it.`,
			fix:
				platform.wsl === 2
					? `Switch WSL to cgroup v2: in %UserProfile%\\.wslconfig set [wsl2] kernelCommandLine = cgroup_no_v1=all systemd.unified_cgroup_hierarchy=1, then wsl --shutdown in PowerShell. Or use a Kubernetes that still runs on v1: minikube start --kubernetes-version=${cgroupV1Kubernetes} (kind: --image kindest/node:${cgroupV1Kubernetes}); the recommendation below does that.`
					: `Boot with cgroup v2 (add systemd.unified_cgroup_hierarchy=1 to GRUB_CMDLINE_LINUX, then sudo update-grub and reboot), or use a Kubernetes that still runs on v1: minikube start --kubernetes-version=${cgroupV1Kubernetes} (kind: --image kindest/node:${cgroupV1Kubernetes}); the recommendation below does that.`,
		});
	}

	if (facts.shellProxy && !daemon.proxy) {
		problems.push({
			detail: `This shell goes through a proxy (${facts.shellProxy}), but the engine has none: it pulls images itself, so minikube's node image, kind's and postgres would not download.`,
			fix:
				platform.wsl === 2 && facts.host.includes('docker-desktop')
					? 'Docker Desktop: Settings > Resources > Proxies, set the same proxy, Apply & restart.'
					: 'Give the engine the proxy: a drop-in /etc/systemd/system/docker.service.d/http-proxy.conf with [Service] Environment="HTTPS_PROXY=…" "NO_PROXY=localhost,127.0.0.1", then sudo systemctl daemon-reload && sudo systemctl restart docker (Docker Desktop: Settings > Resources > Proxies).',
		});
	}

	const vm = facts.desktopDisk;
	if (vm && lowOnDisk(vm)) {
		problems.push({
			detail: `Only ${gib(vm.free / 1024 / 1024)} free of ${gib(vm.total / 1024 / 1024)} on Windows' ${vm.path} drive, where Docker Desktop keeps its data: in its VM's virtual disk (…\\Docker\\wsl\\disk\\docker_data.vhdx), which grows only into that drive's free space. Images, the cluster's node and its volumes live there, and a node whose disk fills stops taking pods.`,
			fix: 'docker system prune -a removes unused images and build cache; the virtual disk does not shrink by itself: Docker Desktop > Troubleshoot > Clean / Purge data, or move it to a bigger drive (Settings > Resources > Advanced > Disk image location). Freeing space on C: helps too.',
		});
	}

	const disk = facts.dataDisk;
	if (disk && lowOnDisk(disk)) {
		problems.push({
			detail: `Only ${gib(disk.free / 1024 / 1024)} free of ${gib(disk.total / 1024 / 1024)} where Docker keeps its data (${disk.path}): images, the cluster's node and its volumes live there, and a node whose disk fills stops taking pods.`,
			fix: 'docker system df shows what Docker holds; docker system prune -a removes unused images and build cache (docker builder prune the cache alone).',
		});
	}

	return problems;
}

function describeUnreachable(facts: DockerFacts, daemon: Exclude<DockerFacts['daemon'], Reachable>, platform: PlatformFacts): Outcome {
	// In WSL 2, Docker Desktop stopped and its integration off both leave no working docker: told apart by their marks.
	const desktop = facts.desktop;
	if (desktop?.running === false) {
		return {
			status: 'fail',
			summary: 'Docker Desktop is not running',
			detail: `This distro's WSL integration is on (${desktop.link ?? ''}), but what it points to is gone: Docker Desktop is stopped on Windows.`,
			fix: 'Start Docker Desktop from the Windows Start menu, wait until it says "Engine running", then run todo-deploy doctor again.',
		};
	}

	// The links alive, so Docker Desktop runs, yet its socket in this distro does not answer: the integration's own
	// process stopped (Docker Desktop's "WSL integration with distro … unexpectedly stopped", docker/for-win#14775).
	if (desktop?.running === true && (daemon.type === 'no-socket' || daemon.type === 'refused' || daemon.type === 'timeout')) {
		const distro = platform.wslDistro ?? 'this distro';
		return {
			status: 'fail',
			summary: `Docker Desktop runs, but its WSL integration with ${distro} stopped`,
			detail: `The integration's links are here and alive (${desktop.link ?? ''}), so Docker Desktop runs on Windows, but the engine's socket in this distro does not answer: the integration stopped, which Docker Desktop shows as "WSL integration with distro '${distro}' unexpectedly stopped. Do you want to restart it?". It is not Docker Desktop being stopped.`,
			fix: `Choose Restart in that Docker Desktop message. If it stops again: Docker Desktop > Settings > Resources > WSL integration, turn ${distro} off, Apply & restart, then on again; if it still stops, wsl --shutdown in PowerShell, then start Docker Desktop again.`,
		};
	}

	if (desktop?.installed && desktop.running === undefined && facts.cli === 'missing' && daemon.type !== 'permission-denied') {
		return {
			status: 'fail',
			summary: 'Docker Desktop is installed on Windows but not running',
			detail:
				'When Docker Desktop runs, this distro gets its docker command (integration on) or a stand-in that asks to turn the integration on; neither is here, so it is stopped.',
			fix: `Start Docker Desktop from the Windows Start menu; if docker then says "activate the WSL integration", turn it on: ${dockerDesktopFix(platform.wslDistro)}`,
		};
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
				fix:
					facts.host === `unix:///var/run/docker.sock`
						? start
						: facts.context
							? `${start} It is the docker context ${facts.context}'s; if that one is stale: docker context use default.`
							: `${start} If DOCKER_HOST=${facts.host} is stale, unset DOCKER_HOST.`,
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

export const dockerCheck = defineCheck('docker', 'Docker', 6000, async system => {
	const [platform, cli, daemon] = await Promise.all([detectPlatform(system), detectDockerCli(system, 4000), probeDockerDaemon(system.env, 3000)]);
	const endpoint = dockerEndpoint(system.env);
	const desktop = platform.wsl === 2 ? await detectDesktop(system) : undefined;
	// Docker Desktop keeps its data in its own VM: only a folder on this machine is measured.
	const rootDir = daemon.type === 'reachable' ? daemon.rootDir : undefined;
	const rootDisk = rootDir && (await system.exists(rootDir)) ? await system.freeSpace(rootDir) : undefined;
	// Its VM's virtual disk is a file on C: that grows into C:'s free space: that is what runs out.
	const onWindows = desktop?.running === true && daemon.type === 'reachable' && !rootDisk ? await system.freeSpace('/mnt/c') : undefined;
	const facts: DockerFacts = {
		cli: cli.type,
		cliPath: cli.path,
		cliVersion: cli.version,
		stubMessage: cli.stubMessage,
		host: endpoint.host,
		context: endpoint.context,
		daemon,
		dataDisk: rootDir && rootDisk ? {path: rootDir, ...rootDisk} : undefined,
		desktopDisk: onWindows ? {path: 'C:', ...onWindows} : undefined,
		shellProxy: proxyFacts(system.env).proxy,
		desktop,
	};
	return {...describeDocker(facts, platform), facts};
});
