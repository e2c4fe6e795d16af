// A kind cluster's local registry, the pattern kind documents (and ctlptl automates): a registry
// container beside the nodes, each node's containerd told where it is (certs.d/HOST/hosts.toml), and
// the kube-public/local-registry-hosting ConfigMap (KEP-1755) that says so to every tool. Images are
// pushed there, so a change sends only the layers the registry lacks; `kind load` sends the whole image.
// A cluster that documents a registry is used as it is; one is set up only when asked (or when
// todo-deploy made the cluster with the containerd setting that needs).
import {openDocker} from '../../adapters/docker.js';
import {
	connectNetwork,
	ensureImage,
	freeLoopbackPort,
	inspectRegistryContainer,
	nodeNetworks,
	readNodeFile,
	startExisting,
	startRegistryContainer,
	writeNodeFile,
	type RegistryContainerSpec,
} from '../../adapters/kind-registry.js';
import {kindNodes} from '../../adapters/kind.js';
import {createOrReplace, openKubeRest, readObject, type KubeRest} from '../../adapters/kube-rest.js';
import type {DockerClient} from '../../adapters/images.js';
import {probeRegistry, registryHasImage} from '../../adapters/registry.js';
import type {System} from '../../adapters/system.js';
import type {ClusterTarget} from '../cluster-target.js';
import {messageOf} from '../errors.js';
import type {LoadTarget} from './actions.js';

export const registryName = 'kind-registry';
/** The image kind's own script runs; TODO_DEPLOY_REGISTRY_IMAGE names a mirror's copy. */
export const defaultRegistryImage = 'registry:2';
const firstPort = 5001;
const certsDir = '/etc/containerd/certs.d';

/**
 * `kind create cluster --config` for a cluster whose nodes read registry settings from certs.d, and
 * whose control-plane node publishes the given ports (extraPortMappings lines, engine/browser/kind-mapping.ts).
 */
export function kindClusterConfig(portMappings: readonly string[] = []): string {
	return [
		'# Written by todo-deploy: a kind cluster whose containerd reads registry settings from /etc/containerd/certs.d,',
		'# so a local registry can be added without restarting it (https://kind.sigs.k8s.io/docs/user/local-registry/),',
		"# and whose node maps the app's NodePorts to this machine's localhost (https://kind.sigs.k8s.io/docs/user/ingress/).",
		'kind: Cluster',
		'apiVersion: kind.x-k8s.io/v1alpha4',
		'containerdConfigPatches:',
		'- |-',
		'  [plugins."io.containerd.grpc.v1.cri".registry]',
		`    config_path = "${certsDir}"`,
		...(portMappings.length > 0 ? ['nodes:', '- role: control-plane', ...portMappings] : []),
		'',
	].join('\n');
}

/** Does this containerd config.toml read hosts.toml files from certs.d? */
export function readsCertsDir(configToml: string): boolean {
	return configToml.split('\n').some(line => /^\s*config_path\s*=\s*"([^"]*)"/.exec(line)?.[1]?.split(':').includes(certsDir) === true);
}

/** The host the ConfigMap's localRegistryHosting.v1 names: `host: "localhost:5001"`. */
export function parseRegistryHosting(data: Readonly<Record<string, string>> | undefined): string | undefined {
	const text = data?.['localRegistryHosting.v1'] ?? '';
	return /^host:\s*"?([^"\s]+)"?\s*$/m.exec(text)?.[1];
}

const hostingPath = '/api/v1/namespaces/kube-public/configmaps';

/** The registry host the cluster documents, undefined when it documents none. */
async function documentedRegistry(rest: KubeRest): Promise<string | undefined> {
	const found = await readObject<{data?: Record<string, string>}>(rest, `${hostingPath}/local-registry-hosting`, 'reading kube-public/local-registry-hosting');
	return parseRegistryHosting(found?.data);
}

export function registryHostingConfigMap(host: string): Record<string, unknown> {
	return {
		apiVersion: 'v1',
		kind: 'ConfigMap',
		metadata: {name: 'local-registry-hosting', namespace: 'kube-public', labels: {'app.kubernetes.io/managed-by': 'todo-deploy'}},
		data: {'localRegistryHosting.v1': `host: "${host}"\nhelp: "https://kind.sigs.k8s.io/docs/user/local-registry/"\n`},
	};
}

export const hostsToml = (endpoint: string) => `[host."${endpoint}"]\n  capabilities = ["pull", "resolve"]\n`;

/**
 * The registry container beside the nodes, and the address the nodes pull from. On kind's own network it
 * is published on this machine's loopback and the nodes find it by name; nodes on the host's network
 * (a rootless or host-network setup) reach it on loopback as this machine does.
 */
export function registryContainerPlan(options: {image: string; network: string; port: number}): {spec: RegistryContainerSpec; endpoint: string} {
	const {image, network, port} = options;
	const labels = {'app.kubernetes.io/managed-by': 'todo-deploy'};
	const restart = {Name: 'always'};
	if (network === 'host') {
		return {
			spec: {
				name: registryName,
				Image: image,
				Labels: labels,
				Env: [`REGISTRY_HTTP_ADDR=127.0.0.1:${port}`],
				HostConfig: {NetworkMode: 'host', RestartPolicy: restart},
			},
			endpoint: `http://127.0.0.1:${port}`,
		};
	}

	return {
		spec: {
			name: registryName,
			Image: image,
			Labels: labels,
			ExposedPorts: {'5000/tcp': {}},
			HostConfig: {NetworkMode: network, RestartPolicy: restart, PortBindings: {'5000/tcp': [{HostIp: '127.0.0.1', HostPort: String(port)}]}},
		},
		endpoint: `http://${registryName}:5000`,
	};
}

export type KindRegistryRoute =
	/** Push to this host; `how` says what was found or set up. */
	| {readonly type: 'registry'; readonly host: string; readonly how: string}
	/** kind load, and why not a registry (with the way to have one). */
	| {readonly type: 'load'; readonly why: string; readonly fix?: string | undefined};

export type KindRegistryOptions = {
	/** The kind cluster's API (its kube context resolved); undefined when there is none to reach. */
	readonly api: ClusterTarget | undefined;
	/** Set one up when the cluster has none (--local-registry, or a cluster todo-deploy just made). */
	readonly setUp: boolean;
	readonly onProgress?: ((detail: string) => void) | undefined;
};

const askAgain = 'todo-deploy up --local-registry';

/** How images reach this kind cluster: its local registry when it has one (or one is set up now), else kind load. */
export async function kindRegistryRoute(system: System, cluster: string, options: KindRegistryOptions): Promise<KindRegistryRoute> {
	const progress = options.onProgress ?? (() => undefined);
	const kind = await system.which('kind');
	if (!kind) {
		return {type: 'load', why: 'kind is not installed'};
	}

	const opened = await openDocker(system.env);
	if (!opened.ok) {
		return {type: 'load', why: opened.message};
	}

	const {docker} = opened;
	const {nodes} = await kindNodes(system, kind, cluster, 30_000);
	if (nodes.length === 0) {
		return {type: 'load', why: `kind cluster "${cluster}" has no nodes`};
	}

	if (!options.api) {
		return {type: 'load', why: `no kube context reaches kind cluster "${cluster}"`};
	}

	try {
		const rest = await openKubeRest(options.api);
		const documented = await documentedRegistry(rest);

		const configs = await Promise.all(nodes.map(async node => readNodeFile(docker, node, '/etc/containerd/config.toml')));
		const unready = nodes.filter((_, index) => !readsCertsDir(configs[index] ?? ''));
		if (documented) {
			const pointed = await Promise.all(nodes.map(async node => readNodeFile(docker, node, `${certsDir}/${documented}/hosts.toml`)));
			const blind = nodes.filter((node, index) => unready.includes(node) || pointed[index] === undefined);
			if (blind.length > 0) {
				return {
					type: 'load',
					why: `the cluster names a local registry (${documented}), but the node${blind.length === 1 ? '' : 's'} ${blind.join(', ')} ${blind.length === 1 ? 'is' : 'are'} not pointed at it`,
					fix: `${askAgain} points them at it`,
				};
			}

			const probe = await probeRegistry(documented, 3000);
			if (probe.type !== 'answers') {
				const container = await inspectRegistryContainer(docker, registryName);
				if (container && !container.running) {
					progress(`starting the stopped registry container ${registryName}`);
					await startExisting(docker, registryName);
					if (await answersSoon(documented)) {
						return {type: 'registry', host: documented, how: `its local registry ${documented} (the stopped container ${registryName} started again)`};
					}
				}

				return {
					type: 'load',
					why: `its local registry ${documented} does not answer (${probe.message})`,
					fix: `docker start ${registryName}, or docker logs ${registryName}`,
				};
			}

			return {type: 'registry', host: documented, how: `its local registry ${documented}`};
		}

		if (!options.setUp) {
			return {
				type: 'load',
				why: `kind cluster "${cluster}" has no local registry, so each change sends the whole image`,
				fix: `${askAgain} adds one (a registry container the nodes pull from); then a change sends only its new layers`,
			};
		}

		if (unready.length > 0) {
			return {
				type: 'load',
				why: `the nodes' containerd was started without a registry folder (config_path ${certsDir}); adding one means restarting containerd on every node`,
				fix: `Make the cluster again with it: kind delete cluster --name ${cluster}, then todo-deploy up --kind ${cluster} (todo-deploy creates kind clusters with that setting)`,
			};
		}

		return await setUpRegistry(docker, nodes, rest, system.env['TODO_DEPLOY_REGISTRY_IMAGE'] ?? defaultRegistryImage, progress);
	} catch (error) {
		return {type: 'load', why: `the local registry could not be used: ${messageOf(error)}`};
	}
}

async function answersSoon(host: string, timeoutMs = 15_000): Promise<boolean> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if ((await probeRegistry(host, 1000)).type === 'answers') {
			return true;
		}

		await new Promise(resolve => setTimeout(resolve, 200));
	}

	return false;
}

async function setUpRegistry(
	docker: DockerClient,
	nodes: readonly string[],
	rest: KubeRest,
	image: string,
	progress: (detail: string) => void,
): Promise<KindRegistryRoute> {
	const [network = 'kind'] = await nodeNetworks(docker, nodes[0]!);
	const existing = await inspectRegistryContainer(docker, registryName);
	let port = existing?.port;
	let endpoint: string;
	const done: string[] = [];
	if (existing && port) {
		// One registry serves every kind cluster on this machine, as kind's script has it.
		if (!existing.running) {
			await startExisting(docker, registryName);
		}

		if (network !== 'host' && !existing.networks.includes(network)) {
			await connectNetwork(docker, network, registryName);
		}

		endpoint = registryContainerPlan({image, network, port}).endpoint;
		done.push(`the registry container ${registryName} already there`);
	} else {
		port = await freeLoopbackPort(firstPort);
		await ensureImage(docker, image, progress);
		const plan = registryContainerPlan({image, network, port});
		progress(`starting the registry container ${registryName} (${image}) on 127.0.0.1:${port}`);
		await startRegistryContainer(docker, plan.spec);
		endpoint = plan.endpoint;
		done.push(`a registry container ${registryName} (${image}) on 127.0.0.1:${port}`);
	}

	const host = `localhost:${port}`;
	for (const node of nodes) {
		progress(`pointing ${node}'s containerd at ${endpoint}`);
		await writeNodeFile(docker, node, `${certsDir}/${host}/hosts.toml`, hostsToml(endpoint));
	}

	done.push(`${certsDir}/${host}/hosts.toml on ${nodes.length === 1 ? 'the node' : `${nodes.length} nodes`}`);
	await createOrReplace(rest, hostingPath, 'local-registry-hosting', registryHostingConfigMap(host), 'the ConfigMap kube-public/local-registry-hosting');

	done.push('kube-public/local-registry-hosting');
	if (!(await answersSoon(host))) {
		return {type: 'load', why: `the registry container ${registryName} was started but ${host} does not answer`, fix: `docker logs ${registryName}`};
	}

	return {type: 'registry', host, how: `a local registry ${host}, set up now: ${done.join(', ')}`};
}

/**
 * The target with its local registry when the route is one, and the route in words: which path the
 * images take and why. choice: undefined uses a registry that is there, true sets one up, false is kind load.
 */
export async function routeKindTarget(
	system: System,
	target: LoadTarget,
	options: {
		readonly choice: boolean | undefined;
		readonly api: ClusterTarget | undefined;
		readonly created?: boolean;
		readonly onProgress?: (detail: string) => void;
	},
): Promise<{readonly target: LoadTarget; readonly words: string | undefined}> {
	if (target.type !== 'kind') {
		return {target, words: undefined};
	}

	if (options.choice === false) {
		return {target, words: 'images: kind load (--kind-load).'};
	}

	const route = await kindRegistryRoute(system, target.cluster, {
		api: options.api,
		setUp: options.created === true || options.choice === true,
		onProgress: options.onProgress,
	});
	return route.type === 'registry'
		? {target: {...target, registry: route.host}, words: `images go through ${route.how}.`}
		: {target, words: `images: kind load (${route.why})${route.fix ? `; ${route.fix}` : ''}.`};
}

/**
 * For deploy alone: the local registry of the kind cluster behind this context, when it holds every
 * image the values name (pushed there by load or up); undefined otherwise (the nodes have them, or not).
 */
export async function kindRegistryHolding(cluster: ClusterTarget, values: Readonly<Record<string, string>>): Promise<string | undefined> {
	if (cluster.local?.type !== 'kind') {
		return undefined;
	}

	try {
		const host = await documentedRegistry(await openKubeRest(cluster));
		if (!host) {
			return undefined;
		}

		const images = (['backend', 'frontend'] as const).flatMap(side => {
			const repository = values[`${side}.image.repository`];
			const tag = values[`${side}.image.tag`];
			return repository && tag ? [{repository, tag}] : [];
		});
		const held = await Promise.all(images.map(async image => registryHasImage(host, image.repository, image.tag)));
		return images.length > 0 && held.every(Boolean) ? host : undefined;
	} catch {
		return undefined;
	}
}

/** After a kind cluster is deleted: the shared registry container stays, said with how to remove it. */
export async function registryLeftBehind(system: System): Promise<string | undefined> {
	const opened = await openDocker(system.env);
	const container = opened.ok ? await inspectRegistryContainer(opened.docker, registryName) : undefined;
	return container
		? `the local registry container ${registryName} stays (other kind clusters may pull from it; docker rm -f ${registryName} removes it and the images in it)`
		: undefined;
}
