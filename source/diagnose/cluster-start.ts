// Pure: why `minikube start` or `kind create cluster` failed, read from the tool's own output. minikube
// ends with an "Exiting due to REASON: …" line followed by its advice and a box asking for a bug report,
// so the last line says nothing; kind says it in its last "ERROR:" line. Each known cause gets plain
// words and the exact fix; the tool's own lines are kept as the evidence.

export type ClusterStartFailure = {
	/** minikube's reason code (GUEST_PROVISION, RSRC_INSUFFICIENT_CORES…); undefined for kind. */
	readonly reason: string | undefined;
	readonly cause: string;
	readonly fix: string;
	/** The tool's own lines that say it: the reason line, what follows it, its advice and issue links. */
	readonly evidence: readonly string[];
};

export type StartContext = {
	readonly program: string;
	readonly args: readonly string[];
	/** How Docker is started on this machine (doctor's answer), for "Docker is not running". */
	readonly startDocker?: string | undefined;
};

// eslint-disable-next-line no-control-regex
const ansi = /\u001B\[[\d;?]*[A-Za-z]/g;
const boxLine = /^\s*[╭│╰]/;
const minikubeIssue = /https:\/\/github\.com\/kubernetes\/minikube\/issues\/\d+/;
const networkFailure = /Client\.Timeout|i\/o timeout|no such host|TLS handshake timeout|x509|connection refused|proxyconnect|network is unreachable/i;

const cleanLines = (output: string) =>
	output
		.replaceAll(ansi, '')
		.replaceAll('\r', '')
		.split('\n')
		.map(line => line.trimEnd());

const flag = (args: readonly string[], names: readonly string[]) => {
	const index = args.findIndex(arg => names.includes(arg));
	return index === -1 ? undefined : args[index + 1];
};

/** The cause and fix of a failed start; a tool it does not know, or output without its reason, gets its last lines. */
export function explainClusterStart(context: StartContext, output: string): ClusterStartFailure {
	const lines = cleanLines(output);
	if (context.program === 'kind') {
		return explainKind(lines, flag(context.args, ['--name', '-n']) ?? 'kind');
	}

	if (context.program === 'minikube') {
		const failure = explainMinikube(lines, context);
		if (failure) {
			return failure;
		}
	}

	const last = lines.filter(line => line.trim() && !boxLine.test(line)).slice(-8);
	return {
		reason: undefined,
		cause: last.at(-1)?.trim() ?? 'it stopped without saying why',
		fix: "todo-deploy doctor explains what the machine lacks; the lines below are the tool's own.",
		evidence: last,
	};
}

function explainMinikube(lines: readonly string[], context: StartContext): ClusterStartFailure | undefined {
	const at = lines.findLastIndex(line => /Exiting due to [A-Z][A-Z\d_]+:/.test(line));
	if (at === -1) {
		return undefined;
	}

	const [, reason = '', first = ''] = /Exiting due to ([A-Z][A-Z\d_]+):\s*(.*)$/.exec(lines[at] ?? '') ?? [];
	const after = lines.slice(at + 1);
	const end = after.findIndex(line => boxLine.test(line));
	const block = (end === -1 ? after : after.slice(0, end)).filter(line => line.trim() && !/^\s*\*\s*$/.test(line));
	// Advice comes labelled with an emoji (💡 📘 🍿) or, without emoji, "* Suggestion:"; issue links as list items.
	const isAdvice = (line: string) => /^\s*(?:💡|📘|🍿|\* (?:Suggestion|Documentation|Related issues?):)/u.test(line) || minikubeIssue.test(line);
	const advice = block.filter(line => isAdvice(line));
	const rest = block.filter(line => !isAdvice(line));
	const message = [first, ...rest.map(line => line.trim())].join(' ');
	const everything = lines.join('\n');
	const evidence = [lines[at]!.trim(), ...rest.slice(0, 6).map(line => `  ${line.trim()}`), ...advice.slice(0, 5).map(line => `  ${line.trim()}`)];
	const profile = flag(context.args, ['-p', '--profile']) ?? 'minikube';
	const again = `run minikube delete${profile === 'minikube' ? '' : ` -p ${profile}`}, then try again`;
	const againFirst = again.charAt(0).toUpperCase() + again.slice(1);
	const said = (cause: string, fix: string): ClusterStartFailure => ({reason, cause, fix, evidence});

	if (reason === 'PROVIDER_DOCKER_NOT_RUNNING' || /Cannot connect to the Docker daemon/.test(message)) {
		return said(
			'Docker is not running: minikube asked it for its version and got no answer.',
			`Start Docker (${context.startDocker ?? 'sudo service docker start, or open Docker Desktop'}), wait until docker info answers, then run again.`,
		);
	}

	if (reason === 'PROVIDER_DOCKER_NEWGRP' || /permission denied while trying to connect to the Docker daemon socket/i.test(message)) {
		return said(
			'This user may not use Docker: its socket refuses the connection.',
			'sudo usermod -aG docker $USER, then open a new login shell (or run newgrp docker) and run again.',
		);
	}

	if (/^RSRC_(?:INSUFFICIENT_CORES|DOCKER_CORES)$/.test(reason)) {
		return said(
			`Docker has fewer CPUs than the cluster asks for (${first}).`,
			'Kubernetes needs 2 CPUs: start with --cpus=2, or give Docker more (WSL 2: [wsl2] processors=2 in %UserProfile%\\.wslconfig, then wsl --shutdown; Docker Desktop: Settings > Resources > CPUs).',
		);
	}

	const only = /has only (\d+)\s*MB memory/i.exec(message);
	if (/^RSRC_.*MEMORY$/.test(reason) || only) {
		const fits = only ? Math.floor((Number(only[1]) * 0.75) / 256) * 256 : undefined;
		return said(
			`Docker has less memory than the cluster asks for (${first}).`,
			`${fits && fits >= 1800 ? `Start with --memory=${fits}mb` : 'Ask for less memory (minikube needs at least 1800 MB)'}, or give Docker more (WSL 2: [wsl2] memory=6GB in %UserProfile%\\.wslconfig, then wsl --shutdown; Docker Desktop: Settings > Resources > Memory).`,
		);
	}

	if (/^RSRC_.*STORAGE$/.test(reason) || /no space left on device/i.test(message)) {
		return said(
			'The disk Docker writes to is full.',
			'Free space: docker system df shows what Docker holds, docker system prune -a removes unused images and build cache; then run again.',
		);
	}

	if (/Unable to find image '[^']*kicbase/.test(message) && networkFailure.test(message)) {
		return said(
			"Docker cannot download minikube's node image (gcr.io/k8s-minikube/kicbase): this machine does not reach the registry, or reaches it only through a proxy Docker does not use.",
			`Give Docker the proxy (Docker Desktop: Settings > Resources > Proxies; Docker Engine: Environment="HTTPS_PROXY=…" "NO_PROXY=localhost,127.0.0.1" in /etc/systemd/system/docker.service.d/http-proxy.conf, then sudo systemctl daemon-reload && sudo systemctl restart docker), then ${again}. kind needs the same: its node image comes from Docker Hub.`,
		);
	}

	if (/Pool overlaps|no free private network subnets|non-overlapping IPv4 address pool/i.test(everything)) {
		return said(
			"Docker found no free address range for minikube's network: a VPN, or networks left behind, take the ranges it tries.",
			`docker network prune removes unused networks; if a VPN holds the range, add "default-address-pools": [{"base": "10.201.0.0/16", "size": 24}] to /etc/docker/daemon.json and restart Docker; then ${again}.`,
		);
	}

	if (reason === 'GUEST_START' && /apiserver healthz never reported healthy|wait for healthy API server/.test(message)) {
		const unreachable = registryWarnings(lines);
		return said(
			`minikube's node started, but Kubernetes' API server never became healthy in the 6 minutes minikube waits.${unreachable.length > 0 ? ` minikube also said it cannot reach ${unreachable.join(', ')}, so the node could not pull Kubernetes' own images.` : ''}`,
			`${unreachable.length > 0 ? 'Fix the network first (the proxy or VPN: see the lines below). ' : ''}Then ${again}. If it fails the same way, minikube logs --file=logs.txt says why the kubelet stopped: Docker on cgroup v1 with Kubernetes 1.35 or later (todo-deploy doctor checks it), or too little memory.`,
		);
	}

	if (reason === 'GUEST_DRIVER_MISMATCH') {
		return said(
			`The minikube profile ${profile} exists already, made with another driver.`,
			`${againFirst} (its cluster is lost), or start another profile: --minikube NAME.`,
		);
	}

	if (reason === 'DRV_AS_ROOT') {
		return said(
			"minikube's docker driver will not run as root.",
			'Run todo-deploy as your own user, in the docker group (sudo usermod -aG docker $USER, then a new login shell).',
		);
	}

	if (reason === 'DRV_NOT_DETECTED' || reason === 'DRV_NOT_HEALTHY') {
		return said(
			'minikube found no driver that works here: Docker does not answer this user.',
			'npx todo-deploy doctor says why Docker does not answer and what to type.',
		);
	}

	if (reason === 'GUEST_PROVISION') {
		return said(
			`minikube could not create its node container: ${first}`,
			`${againFirst}; if it fails the same way, the lines below are minikube's own and minikube logs --file=logs.txt has the rest.`,
		);
	}

	const suggestion = advice.map(line => /^\s*(?:💡|\*)\s*[^:]*:\s*(.*)$/u.exec(line)?.[1]).find(Boolean);
	return said(
		`minikube stopped with ${reason}: ${first}`,
		suggestion ? `minikube suggests: ${suggestion}.` : `${againFirst}; minikube logs --file=logs.txt has the details.`,
	);
}

function explainKind(lines: readonly string[], name: string): ClusterStartFailure {
	const at = lines.findLastIndex(line => line.startsWith('ERROR: '));
	if (at === -1) {
		const last = lines.filter(line => line.trim()).slice(-8);
		return {
			reason: undefined,
			cause: last.at(-1)?.trim() ?? 'kind stopped without saying why',
			fix: 'todo-deploy doctor explains what the machine lacks.',
			evidence: last,
		};
	}

	const error = lines[at]!.replace(/^ERROR: (?:failed to create cluster: )?/, '');
	const output = lines
		.slice(at + 1)
		.filter(line => line.startsWith('Command Output:'))
		.slice(0, 2);
	const text = [error, ...output].join('\n');
	const evidence = [lines[at]!, ...output];
	const said = (cause: string, fix: string): ClusterStartFailure => ({reason: undefined, cause, fix, evidence});
	const again = `run kind delete cluster --name ${name}, then try again`;
	const againFirst = again.charAt(0).toUpperCase() + again.slice(1);

	const existing = /node\(s\) already exist for a cluster with the name "([^"]+)"/.exec(text);
	if (existing) {
		return said(
			`A kind cluster named ${existing[1]} exists already (its node containers are there), but this kubeconfig has no context for it.`,
			`To use it: kind export kubeconfig --name ${existing[1]}, then run again. To start over: kind delete cluster --name ${existing[1]}.`,
		);
	}

	if (/rootless provider requires setting systemd property "Delegate=yes"/.test(text)) {
		return said(
			"kind runs on a rootless Docker or Podman here, and systemd does not hand the cgroup controllers to this user, so kind's node cannot start.",
			'Once: sudo mkdir -p /etc/systemd/system/user@.service.d && printf "[Service]\\nDelegate=yes\\n" | sudo tee /etc/systemd/system/user@.service.d/delegate.conf && sudo systemctl daemon-reload, then log in again. For one run: systemd-run --scope --user -p Delegate=yes kind create cluster.',
		);
	}

	if (/non-overlapping IPv4 address pool|Pool overlaps/.test(text)) {
		return said(
			"Docker found no free address range for kind's network: a VPN, or networks left behind, take all of Docker's default ranges.",
			`docker network prune removes unused networks; if a VPN holds the ranges, add "default-address-pools": [{"base": "10.201.0.0/16", "size": 24}] to /etc/docker/daemon.json and restart Docker; then ${again}.`,
		);
	}

	if (/Reached target \.\*Multi-User System/.test(text)) {
		return said(
			'kind\'s node container never finished booting: most often the inotify limits are too low (its log then says "Too many open files"), or Docker runs on cgroup v1 with Kubernetes 1.35 or later.',
			`sudo sysctl -w fs.inotify.max_user_watches=524288 fs.inotify.max_user_instances=512 (todo-deploy doctor says which limit is low and how to keep it), then ${again}.`,
		);
	}

	if (/failed to init node with kubeadm/.test(text) && /exit status 137/.test(text)) {
		return said(
			'Kubernetes was killed while starting in the node (exit 137): Docker ran out of memory.',
			`Give Docker more memory (WSL 2: [wsl2] memory=6GB in %UserProfile%\\.wslconfig, then wsl --shutdown), then ${again}.`,
		);
	}

	if (/failed to init node with kubeadm|is not running|failed to get kubernetes version from node/.test(text)) {
		return said(
			"Kubernetes did not start inside kind's node container: on WSL 2 and older Linux this is usually Docker on cgroup v1 (Kubernetes 1.35 refuses it) or low inotify limits.",
			`npx todo-deploy doctor checks both and says what to type; then ${again}. To see the node's own log: kind create cluster --name ${name} --retain, then docker logs ${name}-control-plane.`,
		);
	}

	return said(`kind could not create the cluster: ${error}`, `${againFirst}; the lines below are kind's own.`);
}

function registryWarnings(lines: readonly string[]): string[] {
	return [
		...new Set(
			lines.flatMap(line => {
				const match = /(?:trouble accessing|Failing to connect to) (https:\/\/[^\s/]+)/.exec(line);
				return match?.[1] ? [match[1]] : [];
			}),
		),
	];
}

/** What a start said in passing that will matter later (registry unreachable, no own network), even when it worked. */
export function clusterStartNotes(output: string): string[] {
	const lines = cleanLines(output);
	const notes: string[] = [];
	const unreachable = registryWarnings(lines);
	if (unreachable.length > 0) {
		notes.push(
			`minikube cannot reach ${unreachable.join(', ')} from the node: pods whose images come from a registry will fail to pull. Behind a proxy: minikube start --docker-env HTTPS_PROXY=… --docker-env NO_PROXY=localhost,127.0.0.1,192.168.49.0/24,10.96.0.0/12; or let todo-deploy load the images from this machine.`,
		);
	}

	if (lines.some(line => /Unable to create dedicated network/.test(line))) {
		notes.push(
			"minikube could not make its own Docker network (the ranges it tries are taken: a VPN, or networks left behind), so the node's address may change after a restart; docker network prune frees unused ones.",
		);
	}

	return notes;
}
