// Why a node could not pull an image, from the kubelet's words: a table of rules, most exact first.
import {certificateTime, certificateWords, clockFix, type CertificateTime} from './certificate-time.js';
import {firstRule, type Rule} from './rules.js';

/** Every waiting reason of a container that cannot get its image: the one list diagnosis and the status screen share. */
export const imageReasons = ['ImagePullBackOff', 'ErrImagePull', 'ErrImageNeverPull', 'InvalidImageName'] as const;
export type ImageReason = (typeof imageReasons)[number];
export const isImageReason = (reason: string | undefined): reason is ImageReason => (imageReasons as readonly string[]).includes(reason ?? '');

export type PullInput = {
	/** The kubelet's message (its Failed event, or the waiting message). */
	readonly message: string;
	readonly image: string;
	/** The registry part of the image name (localhost:5001, ghcr.io), or its first path segment. */
	readonly imageHost: string;
	/** How to load the image from this machine instead ("docker pull X && kind load …"). */
	readonly preload: string;
};

export type PullCause = {
	readonly cause: string;
	readonly fix: string;
	/** The pull failed on the way (the network, a certificate, the rate limit): loading it from this machine is a way round. */
	readonly network: boolean;
	/** A local registry the node is not pointed at: the image is in a registry, so loading it is not the first fix. */
	readonly wiring: boolean;
};

const onTheWay = (cause: string, fix: string): PullCause => ({cause, fix, network: true, wiring: false});
const atTheRegistry = (cause: string, fix: string): PullCause => ({cause, fix, network: false, wiring: false});
const wiring = (cause: string, fix: string): PullCause => ({cause, fix, network: false, wiring: true});
const checkName = 'Check the image name and tag, and the registry credentials (imagePullSecrets).';

export const pullRules: ReadonlyArray<Rule<PullInput, unknown, PullCause>> = [
	{
		id: 'rate-limit',
		fixture: 'k8s/pull-failures/toomanyrequests-containerd.txt',
		matches: ({message}) => /toomanyrequests|429 Too Many Requests|pull rate limit/i.test(message),
		says: (_found, {preload}) =>
			onTheWay(
				"Docker Hub's pull rate limit for anonymous pulls was reached (429 Too Many Requests)",
				`Load it once from this machine so the node never pulls it: ${preload}. Or wait (the limit resets within hours), or give the node Docker Hub credentials (an imagePullSecret).`,
			),
	},
	{
		// Refused for its dates, not for who signed it: the node's clock, or a certificate that expired.
		id: 'certificate-time',
		fixture: 'k8s/pull-failures/x509-certificate-expired-current-time-after.txt',
		matches: ({message}) => certificateTime(message),
		says: (found, {preload}) => {
			const time = found as CertificateTime;
			return onTheWay(
				certificateWords(time, "the registry's TLS"),
				time.kind === 'clock-behind'
					? `The node's clock is this machine's (minikube and kind share its kernel): ${clockFix}. Then restart the pod (r).`
					: `${time.current ? `If ${time.current} is not the time now, the clock is off: ${clockFix}. Otherwise the` : `Compare date with the real time; if it is off, ${clockFix}. Otherwise the`} registry must renew its certificate; meanwhile load the image from this machine: ${preload}.`,
			);
		},
	},
	{
		id: 'untrusted-certificate',
		fixture: 'k8s/pull-failures/x509-minikube-docker.txt',
		matches: ({message}) => /x509|certificate signed by unknown authority|certificate is not valid|tls: failed to verify/i.test(message),
		says: (_found, {preload}) =>
			onTheWay(
				"the node does not trust the certificate the registry's connection shows: usually a company proxy that inspects HTTPS with its own CA",
				`Give the node your company's CA (minikube: put its .pem in ~/.minikube/certs and minikube start --embed-certs; kind: mount it into the node and run update-ca-certificates), or load the image from this machine: ${preload}.`,
			),
	},
	{
		id: 'name-does-not-resolve',
		fixture: 'k8s/pods/k8rs-kind-v1.36.1-image.json',
		matches: ({message}) => /no such host|server misbehaving|Temporary failure in name resolution/i.test(message),
		says: (_found, {image, preload}) => {
			// A registry that resolves nowhere (a typo, a made-up host) and a node without DNS read the same.
			const registry = image.includes('/') && /[.:]|^localhost$/.test(image.split('/')[0] ?? '') ? image.split('/')[0] : 'registry-1.docker.io';
			return onTheWay(
				`the node cannot resolve the registry's name ${registry}: a wrong registry in the image name, or no DNS from the cluster's network (a VPN that changed it)`,
				`Check the image name and tag first (is ${registry} the registry you mean?); if it is right, check the node's DNS (minikube ssh -- nslookup ${registry}), or load the image from this machine: ${preload}.`,
			);
		},
	},
	{
		id: 'registry-times-out',
		fixture: 'k8s/pull-failures/io-timeout-docker-hub.txt',
		matches: ({message}) => /i\/o timeout|context deadline exceeded|TLS handshake timeout|Client\.Timeout/i.test(message),
		says: (_found, {preload}) =>
			onTheWay(
				'the registry does not answer the node in time (a proxy this machine uses and the node does not, or a slow network)',
				`Give the node the proxy (minikube start --docker-env HTTPS_PROXY=…; NO_PROXY with the cluster's addresses), or load the image from this machine: ${preload}.`,
			),
	},
	{
		id: 'http-registry-without-hosts-toml',
		fixture: 'k8s/pull-failures/http-registry-no-hosts-toml.txt',
		// containerd asks over HTTPS unless certs.d/HOST/hosts.toml says otherwise; a local registry speaks HTTP.
		matches: ({message}) => /server gave HTTP response to HTTPS client/.test(message),
		says: (_found, {imageHost, preload}) =>
			wiring(
				`the node asked ${imageHost} over HTTPS and it speaks plain HTTP: the node's containerd has no /etc/containerd/certs.d/${imageHost}/hosts.toml pointing at it`,
				`On kind: todo-deploy up --local-registry points every node at the cluster's local registry (a cluster made without containerd's config_path cannot take it: make it again with todo-deploy up --kind NAME). Or load the image from this machine: ${preload}.`,
			),
	},
	{
		id: 'localhost-registry-is-the-node',
		fixture: 'k8s/pull-failures/localhost-registry-refused.txt',
		matches: ({message, imageHost}) => /^localhost(:\d+)?$|^127\./.test(imageHost) && /connection refused/.test(message),
		says: (_found, {imageHost, preload}) =>
			wiring(
				`inside the node, ${imageHost} is the node itself, where no registry listens: the node needs /etc/containerd/certs.d/${imageHost}/hosts.toml naming where the registry really is`,
				`On kind: todo-deploy up --local-registry writes it on every node (and starts the registry container when it is not there). Or load the image from this machine: ${preload}.`,
			),
	},
	{
		id: 'registry-unreachable',
		fixture: 'k8s/pull-failures/connection-refused-docker-hub-EXCERPT.txt',
		matches: ({message}) => /dial tcp|connection refused/.test(message),
		says: () => atTheRegistry('the registry host cannot be reached from the node (it does not exist, or the cluster has no network to it)', checkName),
	},
	{
		id: 'no-such-image',
		fixture: 'k8s/pull-failures/not-found-tag-containerd.txt',
		matches: ({message}) => /not found|manifest unknown|does not exist/i.test(message),
		says: () => atTheRegistry('the registry has no such image or tag', checkName),
	},
	{
		id: 'credentials-refused',
		fixture: 'k8s/pull-failures/forbidden-ecr.txt',
		matches: ({message}) => /unauthorized|denied|authentication required|forbidden|no basic auth credentials/i.test(message),
		says: () => atTheRegistry("the registry refused the node's credentials", 'Add an imagePullSecret with credentials for the registry.'),
	},
];

/** The cause of a failed pull; what no rule knows is said as the registry's refusal or silence. */
export function pullCause(input: PullInput): PullCause & {readonly rule: string | undefined} {
	const matched = firstRule(pullRules, input);
	return matched
		? {...matched.said, rule: matched.id}
		: {...atTheRegistry('the registry could not be reached or refused the image', checkName), rule: undefined};
}
