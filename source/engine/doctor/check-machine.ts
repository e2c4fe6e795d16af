// The machine's checks: the platform (WSL, systemd, CPUs, memory, inotify, disk, a proxy) and KVM2; Docker is check-docker.ts.
import {detectPlatform} from './platform.js';
import {describeProxy, proxyFacts} from './proxy.js';
import {readWslDns, wslDnsProblem} from './wsl-dns.js';
import {readWslNetwork, windowsBrowserWords} from './wsl-network.js';
import {minikubeNeeds, type PlatformFacts} from './types.js';
import type {System} from '../../adapters/system.js';
import {defineCheck} from './check.js';

const gib = (mib: number) => `${(mib / 1024).toFixed(1)} GiB`;

function describePlatform(platform: PlatformFacts): string {
	const os = platform.os === 'linux' ? 'Linux' : platform.os === 'darwin' ? 'macOS' : platform.os;
	const wsl = platform.wsl ? `, WSL ${platform.wsl}${platform.wslDistro ? ` (${platform.wslDistro})` : ''}` : '';
	return `${os} ${platform.arch}${wsl}, ${platform.cpus} CPUs, ${gib(platform.memoryMiB)} memory${platform.os === 'linux' ? `, systemd ${platform.systemd ? 'on' : 'off'}` : ''}`;
}

export const platformCheck = defineCheck('platform', 'Platform', 2000, async system => {
	const detected = await detectPlatform(system);
	const [network, dns] = detected.wsl === 2 ? await Promise.all([readWslNetwork(system), readWslDns(system)]) : [];
	const browser = network ? windowsBrowserWords(network) : undefined;
	const facts: PlatformFacts = {...detected, windowsBrowser: browser?.problem};
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

	// In WSL 2 the browser runs on Windows: whether it reaches the addresses held here.
	if (browser?.problem) {
		problems.push(browser.problem);
	} else if (browser) {
		notes.push(browser.note);
	}

	const proxyFound = proxyFacts(system.env);
	// In WSL 2, a VPN or Docker Desktop can leave the distro without name resolution.
	const unresolved = dns ? wslDnsProblem(dns, proxyFound.proxy !== undefined) : undefined;
	if (unresolved) {
		problems.push(unresolved);
	}

	const proxy = describeProxy(proxyFound);
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
