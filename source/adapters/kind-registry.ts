// The Docker side of a kind cluster's local registry (the pattern kind documents): the registry
// container, the network the nodes are on, and the files in each node that point its containerd at the
// registry (/etc/containerd/certs.d/HOST/hosts.toml, read without a restart once config_path is set).
import net from 'node:net';
import {execIn, jsonMessages, orEmpty, type DockerClient} from './images.js';

export type RegistryContainer = {
	readonly running: boolean;
	readonly networks: readonly string[];
	/** The loopback port it serves this machine on: its published port, or its address on the host network. */
	readonly port: number | undefined;
};

export async function inspectRegistryContainer(docker: DockerClient, name: string): Promise<RegistryContainer | undefined> {
	const info = await docker
		.getContainer(name)
		.inspect()
		.catch(() => undefined);
	if (!info) {
		return undefined;
	}

	const published = info.HostConfig.PortBindings?.['5000/tcp'] as Array<{HostPort?: string}> | undefined;
	const address = orEmpty(info.Config.Env, [])
		.find(entry => entry.startsWith('REGISTRY_HTTP_ADDR='))
		?.split(':')
		.at(-1);
	const port = Number(published?.[0]?.HostPort ?? address);
	return {
		running: info.State.Running,
		networks: Object.keys(orEmpty(info.NetworkSettings.Networks, {})),
		port: Number.isInteger(port) && port > 0 ? port : undefined,
	};
}

/** The Docker networks a node container is on ("kind" for real kind nodes). */
export async function nodeNetworks(docker: DockerClient, node: string): Promise<string[]> {
	const info = await docker.getContainer(node).inspect();
	return Object.keys(orEmpty(info.NetworkSettings.Networks, {}));
}

export async function readNodeFile(docker: DockerClient, node: string, file: string): Promise<string | undefined> {
	const answer = await execIn(docker, node, ['cat', file]);
	return answer.exitCode === 0 ? answer.stdout : undefined;
}

export async function writeNodeFile(docker: DockerClient, node: string, file: string, content: string): Promise<void> {
	const folder = file.slice(0, file.lastIndexOf('/'));
	const answer = await execIn(docker, node, ['sh', '-c', 'mkdir -p "$1" && printf "%s" "$2" > "$3"', 'sh', folder, content, file]);
	if (answer.exitCode !== 0) {
		throw new Error(`could not write ${file} in ${node}: ${answer.stderr.trim() || `exit ${String(answer.exitCode)}`}`);
	}
}

/** Has the engine got the image? Pulls it when not, and says the engine's reason when the pull fails. */
export async function ensureImage(docker: DockerClient, image: string, onProgress: (line: string) => void): Promise<void> {
	const there = await docker
		.getImage(image)
		.inspect()
		.catch(() => undefined);
	if (there) {
		return;
	}

	onProgress(`pulling ${image}`);
	const stream = await docker.pull(image);
	for await (const message of jsonMessages(stream)) {
		if (typeof message['error'] === 'string') {
			throw new TypeError(`pulling ${image}: ${message['error']}`);
		}
	}
}

export type RegistryContainerSpec = Parameters<DockerClient['createContainer']>[0];

/** Creates and starts the registry container; kept running across restarts of Docker, as kind's script does. */
export async function startRegistryContainer(docker: DockerClient, spec: RegistryContainerSpec): Promise<void> {
	const container = await docker.createContainer(spec);
	await container.start();
}

export async function startExisting(docker: DockerClient, name: string): Promise<void> {
	await docker.getContainer(name).start();
}

export async function connectNetwork(docker: DockerClient, network: string, container: string): Promise<void> {
	await docker.getNetwork(network).connect({Container: container});
}

/** The first port from `from` that nothing on this machine's loopback listens on. */
export async function freeLoopbackPort(from: number, tries = 50): Promise<number> {
	for (let port = from; port < from + tries; port++) {
		const free = await new Promise<boolean>(resolve => {
			const server = net.createServer();
			server.once('error', () => resolve(false));
			server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
		});
		if (free) {
			return port;
		}
	}

	throw new Error(`no free port on 127.0.0.1 from ${from} to ${from + tries - 1}`);
}

/** A port a kind node publishes on this machine: an extraPortMappings entry, as Docker holds it. */
export type KindPortMapping = {
	readonly cluster: string;
	readonly node: string;
	/** The port in the node (a NodePort). */
	readonly containerPort: number;
	readonly hostIp: string;
	readonly hostPort: number;
};

/** HostConfig.PortBindings ({"30080/tcp": [{"HostIp": "127.0.0.1", "HostPort": "3000"}]}) as mappings, TCP only. */
export function parsePortBindings(cluster: string, node: string, bindings: unknown): KindPortMapping[] {
	if (typeof bindings !== 'object' || bindings === null) {
		return [];
	}

	return Object.entries(bindings as Record<string, unknown>).flatMap(([key, hosts]) => {
		const [port, protocol = 'tcp'] = key.split('/');
		const containerPort = Number(port);
		if (protocol.toLowerCase() !== 'tcp' || !Number.isInteger(containerPort) || !Array.isArray(hosts)) {
			return [];
		}

		return (hosts as Array<{HostIp?: unknown; HostPort?: unknown}>).flatMap(host => {
			const hostPort = Number(host.HostPort);
			return Number.isInteger(hostPort) && hostPort > 0 ? [{cluster, node, containerPort, hostIp: String(host.HostIp ?? ''), hostPort}] : [];
		});
	});
}

/**
 * The ports kind's control-plane nodes publish on this machine (kind labels its nodes
 * io.x-k8s.kind.cluster=NAME and io.x-k8s.kind.role=control-plane), of one cluster or all.
 */
export async function kindPortMappings(docker: DockerClient, cluster?: string): Promise<KindPortMapping[]> {
	const nodes = await docker.listContainers({
		all: false,
		filters: {label: ['io.x-k8s.kind.role=control-plane', cluster ? `io.x-k8s.kind.cluster=${cluster}` : 'io.x-k8s.kind.cluster']},
	});
	const found = await Promise.all(
		nodes.map(async node => {
			const name = node.Names[0]?.replace(/^\//, '') ?? node.Id;
			const info = await docker
				.getContainer(node.Id)
				.inspect()
				.catch(() => undefined);
			return parsePortBindings(node.Labels['io.x-k8s.kind.cluster'] ?? '', name, info?.HostConfig.PortBindings);
		}),
	);
	return found.flat();
}
