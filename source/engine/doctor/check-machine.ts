// The machine's checks: the platform (WSL, systemd, CPUs, memory), Docker and KVM2.
import {detectDockerCli, dockerEndpoint, probeDockerDaemon} from '../../adapters/docker.js';
import {detectPlatform, startDockerCommand} from './platform.js';
import {describeProxy, proxyFacts} from './proxy.js';
import {cgroupV1Kubernetes, minikubeNeeds, type CheckOutcome, type DockerFacts, type PlatformFacts} from './types.js';
import type {System} from '../../adapters/system.js';
import {defineCheck} from './check.js';

const gib = (mib: number) => `${(mib / 1024).toFixed(1)} GiB`;

function describePlatform(platform: PlatformFacts): string {
	const os = platform.os === 'linux' ? 'Linux' : platform.os === 'darwin' ? 'macOS' : platform.os;
	const wsl = platform.wsl ? `, WSL ${platform.wsl}${platform.wslDistro ? ` (${platform.wslDistro})` : ''}` : '';
	return `${os} ${platform.arch}${wsl}, ${platform.cpus} CPUs, ${gib(platform.memoryMiB)} memory${platform.os === 'linux' ? `, systemd ${platform.systemd ? 'on' : 'off'}` : ''}`;
}

export const platformCheck = defineCheck('platform', 'Platform', 2000, async system => {
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

	// What stops a cluster later: each with what to type.
	const problems: Array<{detail: string; fix: string}> = [];
	if (short.length > 0) {
		problems.push({
			detail: `Short for minikube: ${short.join(', ')}.`,
			fix:
				facts.wsl === 2
					? 'Give WSL more: in %UserProfile%\\.wslconfig set [wsl2] processors=2 and memory=6GB, then run wsl --shutdown in PowerShell.'
					: 'kind needs less than minikube; close other programs or use a bigger machine.',
		});
	}

	const inotify = await readInotify(system);
	const inotifyFix = inotifyProblem(inotify, facts);
	if (inotifyFix) {
		problems.push(inotifyFix);
	}

	const disk = await system.freeSpace(facts.userBin);
	if (disk && lowOnDisk(disk)) {
		problems.push({
			detail: `Only ${gib(disk.free / 1024 / 1024)} free of ${gib(disk.total / 1024 / 1024)} on the disk of ${facts.userBinForShell}: tools, images and the cluster's node need room (minikube stops at 95% used).`,
			fix: 'Free some: docker system df shows what Docker holds, docker system prune -a removes unused images and build cache.',
		});
	}

	const proxy = describeProxy(proxyFacts(system.env));
	if (proxy.problem) {
		problems.push(proxy.problem);
	} else if (proxy.note) {
		notes.push(proxy.note);
	}

	if (problems.length > 0) {
		return {
			status: 'warn',
			summary,
			detail: [...problems.map(problem => problem.detail), ...notes].join(' '),
			fix: problems.map(problem => problem.fix).join(' Then: '),
			facts,
		};
	}

	return {status: 'ok', summary, detail: notes.length > 0 ? notes.join(' ') : undefined, facts};
});

/** Free space that is about to run out: under 10% of the disk, or under 5 GB. */
export const lowOnDisk = (disk: {readonly free: number; readonly total: number}) => disk.free < 5e9 || disk.free / Math.max(1, disk.total) < 0.1;

/** kind's known-issues values: below them, kind's node never reports ready, and pods fail with "too many open files". */
const inotifyNeeds = {watches: 524_288, instances: 512};

async function readInotify(system: System): Promise<{readonly watches: number; readonly instances: number} | undefined> {
	if (system.platform !== 'linux') {
		return undefined;
	}

	const [watches, instances] = await Promise.all([
		system.readFile('/proc/sys/fs/inotify/max_user_watches'),
		system.readFile('/proc/sys/fs/inotify/max_user_instances'),
	]);
	const number = (text: string | undefined) => (text === undefined ? Number.NaN : Number.parseInt(text.trim(), 10));
	return Number.isFinite(number(watches)) && Number.isFinite(number(instances)) ? {watches: number(watches), instances: number(instances)} : undefined;
}

function inotifyProblem(
	inotify: {readonly watches: number; readonly instances: number} | undefined,
	facts: PlatformFacts,
): {detail: string; fix: string} | undefined {
	if (!inotify || (inotify.watches >= inotifyNeeds.watches && inotify.instances >= inotifyNeeds.instances)) {
		return undefined;
	}

	const set = `fs.inotify.max_user_watches=${Math.max(inotify.watches, inotifyNeeds.watches)} fs.inotify.max_user_instances=${Math.max(inotify.instances, inotifyNeeds.instances)}`;
	const lasting =
		facts.wsl === 2 && !facts.systemd
			? `to keep it after wsl --shutdown, add to /etc/wsl.conf: [boot] command = sysctl -w ${set}`
			: `to keep it: printf '%s\\n' ${set} | sudo tee /etc/sysctl.d/99-inotify.conf`;
	return {
		detail: `inotify limits are low (max_user_watches ${inotify.watches}, max_user_instances ${inotify.instances}; kind needs ${inotifyNeeds.watches} and ${inotifyNeeds.instances}): kind's node then never gets to "Reached target Multi-User System", and pods fail with "too many open files".`,
		fix: `sudo sysctl -w ${set}; ${lasting}.`,
	};
}

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

		const disk = facts.dataDisk;
		if (disk && lowOnDisk(disk)) {
			problems.push({
				detail: `Only ${gib(disk.free / 1024 / 1024)} free of ${gib(disk.total / 1024 / 1024)} where Docker keeps its data (${disk.path}): images, the cluster's node and its volumes live there, and a node whose disk fills stops taking pods.`,
				fix: 'docker system df shows what Docker holds; docker system prune -a removes unused images and build cache (docker builder prune the cache alone).',
			});
		}

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

export const dockerCheck = defineCheck('docker', 'Docker', 6000, async system => {
	const [platform, cli, daemon] = await Promise.all([detectPlatform(system), detectDockerCli(system, 4000), probeDockerDaemon(system.env, 3000)]);
	// Docker Desktop keeps its data in its own VM: only a folder on this machine is measured.
	const rootDir = daemon.type === 'reachable' ? daemon.rootDir : undefined;
	const rootDisk = rootDir && (await system.exists(rootDir)) ? await system.freeSpace(rootDir) : undefined;
	const facts: DockerFacts = {
		cli: cli.type,
		cliPath: cli.path,
		cliVersion: cli.version,
		stubMessage: cli.stubMessage,
		host: dockerEndpoint(system.env).host,
		daemon,
		dataDisk: rootDir && rootDisk ? {path: rootDir, ...rootDisk} : undefined,
		shellProxy: proxyFacts(system.env).proxy,
	};
	return {...describeDocker(facts, platform), facts};
});

export const kvm2Check = defineCheck('kvm2', 'KVM2', 3000, async system => {
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
});
