// A kind node's containerd pulling an image named HOST/REPO:TAG, as far as a test can tell it apart:
// with config_path set in the node's config.toml, certs.d/HOST/hosts.toml names the endpoint, and the
// registry there must hold the manifest; without it containerd asks HOST itself over HTTPS, which a
// local registry does not speak. The answer is the kubelet's ErrImagePull message, or undefined when pulled.
import {execFileSync} from 'node:child_process';

const nodeFile = (node: string, file: string) => {
	try {
		return execFileSync('docker', ['exec', node, 'cat', file], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore']});
	} catch {
		return undefined;
	}
};

const accept = 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json';

export async function nodePull(node: string, image: string): Promise<string | undefined> {
	const slash = image.indexOf('/');
	const host = image.slice(0, slash);
	const colon = image.lastIndexOf(':');
	const repository = image.slice(slash + 1, colon);
	const tag = image.slice(colon + 1);
	const failed = (why: string) => `failed to pull and unpack image "${image}": failed to resolve reference "${image}": ${why}`;
	const config = nodeFile(node, '/etc/containerd/config.toml') ?? '';
	const hosts = /config_path\s*=\s*"[^"]*\/etc\/containerd\/certs\.d/.test(config) ? nodeFile(node, `/etc/containerd/certs.d/${host}/hosts.toml`) : undefined;
	const endpoint = hosts ? /\[host\."([^"]+)"\]/.exec(hosts)?.[1] : undefined;
	if (!endpoint) {
		return failed(`failed to do request: Head "https://${host}/v2/${repository}/manifests/${tag}": http: server gave HTTP response to HTTPS client`);
	}

	const url = `${endpoint}/v2/${repository}/manifests/${tag}`;
	try {
		const response = await fetch(url, {method: 'HEAD', headers: {accept}});
		return response.status === 200 ? undefined : failed(`${image}: not found`);
	} catch (error) {
		return failed(
			`failed to do request: Head "${url}": ${error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error)}`,
		);
	}
}

/** An image without a registry in its name: the node has it only if `kind load` put it there (the stand-in's /images). */
export function nodeHasLoaded(node: string, image: string): string | undefined {
	const key = `docker.io/library/${image}`.replaceAll(/[/:]/g, '_');
	return nodeFile(node, `/images/${key}`) === undefined
		? `failed to pull and unpack image "docker.io/library/${image}": failed to resolve reference "docker.io/library/${image}": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`
		: undefined;
}
