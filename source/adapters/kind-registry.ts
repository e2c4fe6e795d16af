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
