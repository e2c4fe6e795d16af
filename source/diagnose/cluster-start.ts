// Pure: why `minikube start` or `kind create cluster` failed, read from the tool's own output. minikube
// ends with an "Exiting due to REASON: …" line followed by its advice and a box asking for a bug report,
// so the last line says nothing; kind says it in its last "ERROR:" line. Each known cause is a rule
// (its plain words and the exact fix, and the captured output that fires it); the tool's own lines
// are kept as the evidence.
import {certificateTime, certificateWords, clockFix, type CertificateTime} from './certificate-time.js';
import {credentialHelperFix, missingCredentialHelper, type MissingHelper} from './credential-helper.js';
import {firstRule, type Rule} from './rules.js';

export type ClusterStartFailure = {
	/** minikube's reason code (GUEST_PROVISION, RSRC_INSUFFICIENT_CORES…); undefined for kind. */
	readonly reason: string | undefined;
	/** The rule that knew the cause (its id in minikubeRules or kindRules); undefined when none did. */
	readonly rule?: string | undefined;
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

/** What a minikube rule reads: the reason code and line, the lines after it, and how to start again. */
type MinikubeExit = {
	readonly reason: string;
	/** The words after "Exiting due to REASON:". */
	readonly first: string;
	/** The reason's line with the lines that follow it, in one. */
	readonly message: string;
	/** The whole output, for what minikube says before the reason. */
	readonly everything: string;
	readonly lines: readonly string[];
	readonly advice: readonly string[];
	readonly profile: string;
	/** "run minikube delete …, then try again" */
	readonly again: string;
	readonly startDocker: string | undefined;
};

type Said = {readonly cause: string; readonly fix: string};

const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

export const minikubeRules: ReadonlyArray<Rule<MinikubeExit, unknown, Said>> = [
	{
		id: 'docker-not-running',
		fixture: 'minikube/minikube-start-PROVIDER_DOCKER_NOT_RUNNING-v1.18.1-wsl.txt',
		matches: ({reason, message}) => reason === 'PROVIDER_DOCKER_NOT_RUNNING' || /Cannot connect to the Docker daemon/.test(message),
		says: (_found, {startDocker}) => ({
			cause: 'Docker is not running: minikube asked it for its version and got no answer.',
			fix: `Start Docker (${startDocker ?? 'sudo service docker start, or open Docker Desktop'}), wait until docker info answers, then run again.`,
		}),
	},
	{
		id: 'docker-permission-denied',
		fixture: 'minikube/minikube-start-PROVIDER_DOCKER_NEWGRP-v1.22.0-centos.txt',
		matches: ({reason, message}) =>
			reason === 'PROVIDER_DOCKER_NEWGRP' || /permission denied while trying to connect to the Docker daemon socket/i.test(message),
		says: () => ({
			cause: 'This user may not use Docker: its socket refuses the connection.',
			fix: 'sudo usermod -aG docker $USER, then open a new login shell (or run newgrp docker) and run again.',
		}),
	},
	{
		id: 'too-few-cpus',
		fixture: 'minikube/minikube-start-RSRC_INSUFFICIENT_CORES-v1.37.0-ko.txt',
		matches: ({reason}) => /^RSRC_(?:INSUFFICIENT_CORES|DOCKER_CORES)$/.test(reason),
		says: (_found, {first}) => ({
			cause: `Docker has fewer CPUs than the cluster asks for (${first}).`,
			fix: 'Kubernetes needs 2 CPUs: start with --cpus=2, or give Docker more (WSL 2: [wsl2] processors=2 in %UserProfile%\\.wslconfig, then wsl --shutdown; Docker Desktop: Settings > Resources > CPUs).',
		}),
	},
	{
		id: 'too-little-memory',
		fixture: 'minikube/minikube-start-MK_USAGE-docker-desktop-memory-v1.37.0-ko.txt',
		matches: ({reason, message}) => /^RSRC_.*MEMORY$/.test(reason) || /has only (\d+)\s*MB memory/i.test(message),
		says: (_found, {message, first}) => {
			const only = /has only (\d+)\s*MB memory/i.exec(message);
			const fits = only ? Math.floor((Number(only[1]) * 0.75) / 256) * 256 : undefined;
			return {
				cause: `Docker has less memory than the cluster asks for (${first}).`,
				fix: `${fits && fits >= 1800 ? `Start with --memory=${fits}mb` : 'Ask for less memory (minikube needs at least 1800 MB)'}, or give Docker more (WSL 2: [wsl2] memory=6GB in %UserProfile%\\.wslconfig, then wsl --shutdown; Docker Desktop: Settings > Resources > Memory).`,
			};
		},
	},
	{
		id: 'disk-full',
		fixture: 'minikube/minikube-start-RSRC_DOCKER_STORAGE-v1.34.0-arch.txt',
		matches: ({reason, message}) => /^RSRC_.*STORAGE$/.test(reason) || /no space left on device/i.test(message),
		says: () => ({
			cause: 'The disk Docker writes to is full.',
			fix: 'Free space: docker system df shows what Docker holds, docker system prune -a removes unused images and build cache; then run again.',
		}),
	},
	{
		id: 'node-image-blocked',
		fixture: 'minikube/minikube-start-GUEST_PROVISION-kicbase-gcr-timeout-v1.37.0.txt',
		matches: ({message}) => /Unable to find image '[^']*kicbase/.test(message) && networkFailure.test(message),
		says: (_found, {again}) => ({
			cause:
				"Docker cannot download minikube's node image (gcr.io/k8s-minikube/kicbase): this machine does not reach the registry, or reaches it only through a proxy Docker does not use.",
			fix: `Give Docker the proxy (Docker Desktop: Settings > Resources > Proxies; Docker Engine: Environment="HTTPS_PROXY=…" "NO_PROXY=localhost,127.0.0.1" in /etc/systemd/system/docker.service.d/http-proxy.conf, then sudo systemctl daemon-reload && sudo systemctl restart docker), then ${again}. kind needs the same: its node image comes from Docker Hub.`,
		}),
	},
	{
		// kubeadm inside the node refuses a certificate for its dates: minikube's own, kept past their end, or a clock behind.
		id: 'certificate-time',
		fixture: 'minikube/minikube-start-GUEST_START-certificate-expired-v1.24-EXCERPT.txt',
		matches: ({everything}) => (/certs\.go|kubeadm|\[certs\]|apiserver/.test(everything) ? certificateTime(everything) : undefined),
		says: (found, {again, profile}) => {
			const time = found as CertificateTime;
			return time.kind === 'clock-behind'
				? {
						cause: `${capital(certificateWords(time, "The cluster's"))}.`,
						fix: `${capital(clockFix)}; then start again (its certificates are kept: they are right, the clock was not).`,
					}
				: {
						cause: `${capital(certificateWords(time, "minikube's own (the cluster's)"))}: certificates made when the profile ${profile} was created last a limited time (kubeadm's, a year), and this one is past it.`,
						fix: `${capital(again)} (a new cluster, with new certificates; what it held is lost). To keep it, renew them inside the node: minikube ssh${profile === 'minikube' ? '' : ` -p ${profile}`} -- sudo kubeadm certs renew all --config /var/tmp/minikube/kubeadm.yaml, then minikube stop and start. If the machine's clock is wrong instead, ${clockFix}.`,
					};
		},
	},
	{
		id: 'api-server-never-healthy',
		fixture: 'minikube/minikube-start-GUEST_START-apiserver-healthz-registry-unreachable.txt',
		matches: ({reason, message}) => reason === 'GUEST_START' && /apiserver healthz never reported healthy|wait for healthy API server/.test(message),
		says: (_found, {lines, again}) => {
			const unreachable = registryWarnings(lines);
			return {
				cause: `minikube's node started, but Kubernetes' API server never became healthy in the 6 minutes minikube waits.${unreachable.length > 0 ? ` minikube also said it cannot reach ${unreachable.join(', ')}, so the node could not pull Kubernetes' own images.` : ''}`,
				fix: `${unreachable.length > 0 ? 'Fix the network first (the proxy or VPN: see the lines below). ' : ''}Then ${again}. If it fails the same way, minikube logs --file=logs.txt says why the kubelet stopped: Docker on cgroup v1 with Kubernetes 1.35 or later (todo-deploy doctor checks it), or too little memory.`,
			};
		},
	},
	{
		id: 'driver-mismatch',
		fixture: 'minikube/minikube-start-GUEST_DRIVER_MISMATCH-v1.38.1-podman.txt',
		matches: ({reason}) => reason === 'GUEST_DRIVER_MISMATCH',
		says: (_found, {profile, again}) => ({
			cause: `The minikube profile ${profile} exists already, made with another driver.`,
			fix: `${capital(again)} (its cluster is lost), or start another profile: --minikube NAME.`,
		}),
	},
	{
		id: 'as-root',
		fixture: 'minikube/minikube-start-DRV_AS_ROOT-v1.23.1-centos.txt',
		matches: ({reason}) => reason === 'DRV_AS_ROOT',
		says: () => ({
			cause: "minikube's docker driver will not run as root.",
			fix: 'Run todo-deploy as your own user, in the docker group (sudo usermod -aG docker $USER, then a new login shell).',
		}),
	},
	{
		id: 'no-driver',
		fixture: 'minikube/minikube-start-DRV_NOT_DETECTED-v1.37.0-ubuntu24.04.txt',
		matches: ({reason}) => reason === 'DRV_NOT_DETECTED' || reason === 'DRV_NOT_HEALTHY',
		says: () => ({
			cause: 'minikube found no driver that works here: Docker does not answer this user.',
			fix: 'npx todo-deploy doctor says why Docker does not answer and what to type.',
		}),
	},
];

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
	const evidence = [lines[at]!.trim(), ...rest.slice(0, 6).map(line => `  ${line.trim()}`), ...advice.slice(0, 5).map(line => `  ${line.trim()}`)];
	const profile = flag(context.args, ['-p', '--profile']) ?? 'minikube';
	const exit: MinikubeExit = {
		reason,
		first,
		message: [first, ...rest.map(line => line.trim())].join(' '),
		everything: lines.join('\n'),
		lines,
		advice,
		profile,
		again: `run minikube delete${profile === 'minikube' ? '' : ` -p ${profile}`}, then try again`,
		startDocker: context.startDocker,
	};
	const matched = firstRule(minikubeRules, exit);
	if (matched) {
		return {reason, rule: matched.id, ...matched.said, evidence};
	}

	// A reason todo-deploy does not know, said as minikube says it, with its own suggestion.
	const suggestion = advice.map(line => /^\s*(?:💡|\*)\s*[^:]*:\s*(.*)$/u.exec(line)?.[1]).find(Boolean);
	return {
		reason,
		cause: reason === 'GUEST_PROVISION' ? `minikube could not create its node container: ${first}` : `minikube stopped with ${reason}: ${first}`,
		fix:
			reason === 'GUEST_PROVISION' || !suggestion
				? `${capital(exit.again)}; ${reason === 'GUEST_PROVISION' ? "if it fails the same way, the lines below are minikube's own and minikube logs --file=logs.txt has the rest" : 'minikube logs --file=logs.txt has the details'}.`
				: `minikube suggests: ${suggestion}.`,
		evidence,
	};
}

/** What a kind rule reads: its ERROR line with the command output under it, and how to start again. */
type KindError = {readonly text: string; readonly name: string; readonly again: string};

export const kindRules: ReadonlyArray<Rule<KindError, unknown, Said>> = [
	{
		// The docker CLI kind runs asks the credential helper of ~/.docker/config.json before any pull.
		id: 'credential-helper',
		fixture: 'kind/kind-create-cluster-credential-helper-not-found.txt',
		matches: ({text}) => missingCredentialHelper(text),
		says: (found, {again}) => {
			const missing = found as MissingHelper;
			return {
				cause: `kind's docker pull of its node image stopped before it began: the Docker config names the credential helper ${missing.program}, which cannot be run here.`,
				fix: `${credentialHelperFix(missing)} Then ${again}.`,
			};
		},
	},
	{
		id: 'cluster-exists',
		fixture: 'kind/kind-create-cluster-node-already-exist.txt',
		matches: ({text}) => /node\(s\) already exist for a cluster with the name "([^"]+)"/.exec(text) ?? undefined,
		says: found => {
			const name = (found as RegExpExecArray)[1] ?? '';
			return {
				cause: `A kind cluster named ${name} exists already (its node containers are there), but this kubeconfig has no context for it.`,
				fix: `To use it: kind export kubeconfig --name ${name}, then run again. To start over: kind delete cluster --name ${name}.`,
			};
		},
	},
	{
		id: 'rootless-delegate',
		fixture: 'kind/kind-create-cluster-rootless-delegate.txt',
		matches: ({text}) => /rootless provider requires setting systemd property "Delegate=yes"/.test(text),
		says: () => ({
			cause: "kind runs on a rootless Docker or Podman here, and systemd does not hand the cgroup controllers to this user, so kind's node cannot start.",
			fix: 'Once: sudo mkdir -p /etc/systemd/system/user@.service.d && printf "[Service]\\nDelegate=yes\\n" | sudo tee /etc/systemd/system/user@.service.d/delegate.conf && sudo systemctl daemon-reload, then log in again. For one run: systemd-run --scope --user -p Delegate=yes kind create cluster.',
		}),
	},
	{
		id: 'no-address-pool',
		fixture: 'kind/kind-create-cluster-no-ipv4-pool-v0.11.1.txt',
		matches: ({text}) => /non-overlapping IPv4 address pool|Pool overlaps/.test(text),
		says: (_found, {again}) => ({
			cause: "Docker found no free address range for kind's network: a VPN, or networks left behind, take all of Docker's default ranges.",
			fix: `docker network prune removes unused networks; if a VPN holds the ranges, add "default-address-pools": [{"base": "10.201.0.0/16", "size": 24}] to /etc/docker/daemon.json and restart Docker; then ${again}.`,
		}),
	},
	{
		id: 'node-never-boots',
		fixture: 'kind/kind-create-cluster-multi-user-system-log-line.txt',
		matches: ({text}) => /Reached target \.\*Multi-User System/.test(text),
		says: (_found, {again}) => ({
			cause:
				'kind\'s node container never finished booting: most often the inotify limits are too low (its log then says "Too many open files"), or Docker runs on cgroup v1 with Kubernetes 1.35 or later.',
			fix: `sudo sysctl -w fs.inotify.max_user_watches=524288 fs.inotify.max_user_instances=512 (todo-deploy doctor says which limit is low and how to keep it), then ${again}.`,
		}),
	},
	{
		id: 'kubeadm-killed',
		fixture: 'kind/kind-create-cluster-wsl2-kubeadm-exit-137-EXCERPT.txt',
		matches: ({text}) => /failed to init node with kubeadm/.test(text) && /exit status 137/.test(text),
		says: (_found, {again}) => ({
			cause: 'Kubernetes was killed while starting in the node (exit 137): Docker ran out of memory.',
			fix: `Give Docker more memory (WSL 2: [wsl2] memory=6GB in %UserProfile%\\.wslconfig, then wsl --shutdown), then ${again}.`,
		}),
	},
	{
		id: 'kubernetes-did-not-start',
		fixture: 'kind/kind-create-cluster-wsl2-kubeadm-init-failed-EXCERPT.txt',
		matches: ({text}) => /failed to init node with kubeadm|is not running|failed to get kubernetes version from node/.test(text),
		says: (_found, {name, again}) => ({
			cause:
				"Kubernetes did not start inside kind's node container: on WSL 2 and older Linux this is usually Docker on cgroup v1 (Kubernetes 1.35 refuses it) or low inotify limits.",
			fix: `npx todo-deploy doctor checks both and says what to type; then ${again}. To see the node's own log: kind create cluster --name ${name} --retain, then docker logs ${name}-control-plane.`,
		}),
	},
];

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
	const evidence = [lines[at]!, ...output];
	const again = `run kind delete cluster --name ${name}, then try again`;
	const matched = firstRule(kindRules, {text: [error, ...output].join('\n'), name, again});
	return matched
		? {reason: undefined, rule: matched.id, ...matched.said, evidence}
		: {reason: undefined, cause: `kind could not create the cluster: ${error}`, fix: `${capital(again)}; the lines below are kind's own.`, evidence};
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

	// minikube keeps an existing profile's CPUs and memory whatever start asks (a warning, and it goes on).
	const kept = ['CPUs', 'memory size'].filter(what => lines.some(line => line.includes(`You cannot change the ${what} for an existing minikube cluster`)));
	if (kept.length > 0) {
		const profile = lines.map(line => /control[- ]plane node \S+ in (?:cluster )?"?([\w.-]+)"?(?: cluster)?/.exec(line)?.[1]).find(Boolean) ?? 'minikube';
		notes.push(
			`minikube kept the profile's own ${kept.join(' and ').replace('memory size', 'memory')}: it does not change them on a cluster that exists, so what was asked for is not what the node has. If pods wait with "Insufficient cpu" or "Insufficient memory", make the cluster anew with what todo-deploy asks: minikube delete${profile === 'minikube' ? '' : ` -p ${profile}`} (what it holds is lost), then todo-deploy up.`,
		);
	}

	if (lines.some(line => /Unable to create dedicated network/.test(line))) {
		notes.push(
			"minikube could not make its own Docker network (the ranges it tries are taken: a VPN, or networks left behind), so the node's address may change after a restart; docker network prune frees unused ones.",
		);
	}

	return notes;
}
