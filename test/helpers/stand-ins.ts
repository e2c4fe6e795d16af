// Stand-ins for kind, minikube and Trivy, which cannot be installed here: shell scripts that check
// their arguments and print what the real tools print (test/fixtures/captured), doing the real work
// (docker save, docker exec) where the real tool would.
import {execFileSync} from 'node:child_process';
import {copyFileSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {tempDir} from './cli.js';
import {baseImage, ensureBaseImage, imageExists} from './images.js';
import {capturedFixture} from './paths.js';

export const nodeImage = 'todo-deploy-test/kind-node:3';

// The real lines kind prints, with the image and ID put in.
const alreadyPresent = readFileSync(capturedFixture('kind/kind-load-docker-image-already-present.txt'), 'utf8').split('\n')[1] ?? '';
const loading = readFileSync(capturedFixture('kind/kind-load-docker-image-multinode-loading.txt'), 'utf8').split('\n')[0] ?? '';
const fill = (line: string, image: string, id: string, nodeName: string) =>
	line
		.replace(/Image: "[^"]+"/, `Image: "${image}"`)
		.replace(/ID "[^"]+"/, `ID "${id}"`)
		.replace(/node "[^"]+"/, `node "${nodeName}"`);

// What `kind create cluster` prints (kind-create-cluster-success-multinode.txt), for the stand-in.
const createdOutput = readFileSync(capturedFixture('kind/kind-create-cluster-success-multinode.txt'), 'utf8').trimEnd();

export function kindScript(): string {
	const template = (line: string) => fill(line, '__IMAGE__', '__ID__', '__NODE__').replaceAll('"', '\\"');
	return `
# kind stand-in: get nodes / load docker-image, against real node containers.
log="\${KIND_LOG:-/dev/null}"; echo "kind $*" >> "$log"
name=kind
for arg; do case "$prev" in --name) name="$arg";; esac; prev="$arg"; done
case "$1 $2" in
"version "*)
	echo "kind v0.32.0 go1.24.6 linux/amd64"; exit 0;;
"get clusters")
	docker ps --format '{{.Names}}' | sed -n 's/-control-plane$//p'; exit 0;;
"create cluster")
	# As kind does: a node container, a kubeconfig context kind-NAME (here, the simulated API server), and its words.
	[ -n "$KIND_TEST_KUBECONFIG_SOURCE" ] || { echo "ERROR: failed to create cluster: the stand-in has no cluster to give" >&2; exit 1; }
	config=; for arg; do [ "$prev2" = --config ] && config="$arg"; prev2="$arg"; done
	# extraPortMappings: kind publishes each on the node container (--publish=ADDRESS:HOSTPORT:CONTAINERPORT/TCP) and labels its nodes.
	publish=
	if [ -n "$config" ]; then
		while read -r key value; do
			case "$key" in containerPort:) c="$value";; hostPort:) h="$value";; listenAddress:) publish="$publish --publish=$(echo "$value" | tr -d '"'):$h:$c/TCP";; esac
		done <<MAPPINGS
$(sed 's/^[ -]*//' "$config")
MAPPINGS
	fi
	# Docker warns that a host-network container's ports are not published: here the test world serves them.
	started=$(docker run -d --rm --network host --label io.x-k8s.kind.cluster="$name" --label io.x-k8s.kind.role=control-plane $publish --name "$name-control-plane" ${nodeImage} 2>&1) || { echo "$started" >&2; exit 1; }
	# --config: kind merges each containerdConfigPatches entry into the node's containerd config.
	if [ -n "$config" ]; then
		sed -n '/^containerdConfigPatches:/,/^nodes:/p' "$config" | sed -n 's/^  //p' | docker exec -i "$name-control-plane" sh -c 'cat >> /etc/containerd/config.toml'
	fi
	mkdir -p "$(dirname "$KUBECONFIG")"
	sed 's/: sim$/: kind-'"$name"'/' "$KIND_TEST_KUBECONFIG_SOURCE" > "$KUBECONFIG"
	sed -e 's/kind-kind/kind-'"$name"'/g' -e 's/"kind"/"'"$name"'"/' <<'CREATED'
${createdOutput}
CREATED
	exit 0;;
"delete cluster")
	echo "Deleting cluster \\"$name\\" ..."
	docker rm -f "$name-control-plane" >/dev/null 2>&1
	echo "Deleted nodes: [\\"$name-control-plane\\"]"; exit 0;;
"get nodes")
	if docker inspect "$name-control-plane" >/dev/null 2>&1; then echo "$name-control-plane"; else echo "No kind nodes found for cluster \\"$name\\"." >&2; fi; exit 0;;
"load docker-image")
	image="$3"; node="$name-control-plane"
	id=$(docker image inspect -f '{{.Id}}' "$image" 2>/dev/null) || { echo "ERROR: image: \\"$image\\" not present locally" >&2; exit 1; }
	have=$(docker exec "$node" crictl inspecti -o json "docker.io/library/$image" 2>/dev/null)
	case "$have" in *"$id"*) echo "${template(alreadyPresent)}" | sed -e "s|__IMAGE__|$image|" -e "s|__ID__|$id|"; exit 0;; esac
	echo "${template(loading)}" | sed -e "s|__IMAGE__|$image|" -e "s|__ID__|$id|" -e "s|__NODE__|$node|"
	docker save "$image" | docker exec -i "$node" sh -c "cat > /dev/null && mkdir -p /images && printf '%s\\n%s\\n' $id docker.io/library/$image > /images/\\$(echo docker.io/library/$image | tr '/:' '__')"
	exit 0;;
esac
echo "ERROR: unknown command \\"$1\\" for \\"kind\\"" >&2; exit 1`;
}

export const minikubeScript = `
log="\${MINIKUBE_LOG:-/dev/null}"; echo "minikube $*" >> "$log"
profile=minikube
[ "$1" = "-p" ] && { profile="$2"; shift 2; }
case "$1" in
version)
	echo '{"commit":"f1a2b3c4d5e6","minikubeVersion":"v1.38.1"}'; exit 0;;
profile)
	printf '{"invalid":[],"valid":[{"Name":"%s","Status":"Running","Config":{"Name":"%s","Driver":"docker"}}]}' "$MINIKUBE_TEST_PROFILE" "$MINIKUBE_TEST_PROFILE"; exit 0;;
docker-env)
	[ "$profile" = "$MINIKUBE_TEST_PROFILE" ] || { echo "🤷  Profile \\"$profile\\" not found. Run \\"minikube profile list\\" to view all profiles." >&2; exit 85; }
	# A cluster on containerd has no Docker to point at (the captured MK_USAGE line; exit code 64 is minikube's usage error).
	[ "\${MINIKUBE_TEST_RUNTIME:-docker}" = docker ] || { cat '${capturedFixture('minikube/minikube-docker-env-MK_USAGE-containerd.txt')}' >&2; exit 64; }
	echo "DOCKER_HOST=$MINIKUBE_TEST_DOCKER_HOST"; echo "MINIKUBE_ACTIVE_DOCKERD=$profile"; exit 0;;
image)
	# minikube image load IMAGE: minikube saves it and imports it into the node's runtime (here, the stand-in engine).
	[ "$2" = load ] && [ -n "$3" ] || exit 64
	# An archive file is read as it is; an image by name is read from Docker, which minikube 1.32 cannot do with Docker 25 (kubernetes/minikube#18021).
	if [ -f "$3" ]; then DOCKER_HOST="$MINIKUBE_TEST_DOCKER_HOST" docker load -q -i "$3" >/dev/null || exit 1; exit 0; fi
	[ -n "$MINIKUBE_TEST_IMAGE_LOAD_BUG" ] && { cat '${capturedFixture('minikube/minikube-image-load-GUEST_IMAGE_LOAD-calculate-manifest-v1.32.0.txt')}' >&2; exit 80; }
	docker save "$3" | DOCKER_HOST="$MINIKUBE_TEST_DOCKER_HOST" docker load -q >/dev/null || exit 1
	exit 0;;
service)
	# minikube service NAME --namespace NS --url: the NodePort URL (here, the simulated kubelet's backend).
	[ -n "$MINIKUBE_TEST_SERVICE_URL" ] && [ "$2" != "" ] || { echo "❌  Exiting due to SVC_NOT_FOUND: Service '$2' was not found" >&2; exit 89; }
	echo "$MINIKUBE_TEST_SERVICE_URL"; exit 0;;
esac
exit 64`;

/** The image of a "kind node": a real container whose crictl answers from what the kind stand-in loaded. */
export function ensureKindNodeImage(): void {
	ensureBaseImage();
	if (!imageExists(nodeImage)) {
		const context = tempDir('node-image');
		// crictl inspecti -o json IMAGE, and crictl images -o json, in containerd's JSON shapes (id and repoTags).
		writeFileSync(
			path.join(context, 'crictl'),
			[
				'#!/bin/sh',
				'if [ "$1" = images ]; then',
				'\tprintf \'{"images":[\'; sep=',
				'\tfor file in /images/*; do [ -f "$file" ] || continue; printf \'%s{"id":"%s","repoTags":["%s"],"repoDigests":[],"size":"0","uid":null,"username":"","spec":null,"pinned":false}\' "$sep" "$(sed -n 1p "$file")" "$(sed -n 2p "$file")"; sep=,; done',
				"\tprintf ']}\\n'; exit 0",
				'fi',
				'key=$(echo "$4" | tr "/:" "__")',
				'[ -f "/images/$key" ] || { echo "FATA[0000] no such image \\"$4\\" present" >&2; exit 1; }',
				'echo "{\\"status\\":{\\"id\\":\\"$(sed -n 1p /images/$key)\\"}}"',
				'',
			].join('\n'),
			{mode: 0o755},
		);
		copyFileSync(capturedFixture('kind/node-containerd-config.toml'), path.join(context, 'config.toml'));
		writeFileSync(
			path.join(context, 'Dockerfile'),
			`FROM ${baseImage}\nCOPY crictl /bin/crictl\nCOPY config.toml /etc/containerd/config.toml\nCMD ["sleep", "86400"]\n`,
		);
		execFileSync('docker', ['build', '-q', '-t', nodeImage, context]);
	}
}

/** A running "kind node" of the cluster. */
export function startKindNode(cluster: string): {name: string; stop(): void} {
	ensureKindNodeImage();
	const name = `${cluster}-control-plane`;
	// On the host's network (Docker's bridge stays off here), so it reaches a registry on loopback as kind's nodes reach theirs.
	execFileSync('docker', [
		...['run', '-d', '--rm', '--network', 'host', '--name', name],
		...['--label', `io.x-k8s.kind.cluster=${cluster}`, '--label', 'io.x-k8s.kind.role=control-plane', nodeImage],
	]);
	return {name, stop: () => execFileSync('docker', ['rm', '-f', name], {stdio: 'ignore'})};
}

// The real line Trivy prints when it cannot reach its database (aquasecurity/trivy#1174, trivy-offline#7).
export const trivyReport = (name: string) => capturedFixture('trivy', name);

export const offlineLine =
	'2021-08-12T08:35:29.974Z\tFATAL\tDB error: failed to download vulnerability DB: failed to download vulnerability DB: failed to list releases: Get "https://api.github.com/repos/aquasecurity/trivy-db/releases": dial tcp 192.30.255.116:443: i/o timeout';

export const trivyScript = `
echo "trivy $*" >> "\${TRIVY_LOG:-/dev/null}"
[ "$1" = "--version" ] && { echo "Version: 0.74.0"; exit 0; }
[ "$1" = "image" ] || { echo "unknown command" >&2; exit 1; }
out=; format=; skip=; src=; scanners=vuln,secret
while [ $# -gt 1 ]; do case "$1" in --output) out="$2"; shift;; --format) format="$2"; shift;; --image-src) src="$2"; shift;; --scanners) scanners="$2"; shift;; --skip-db-update) skip=1;; esac; shift; done
image="$1"
[ "$format" = json ] && [ -n "$out" ] && [ "$src" = docker ] || { echo "FATAL unexpected arguments" >&2; exit 2; }
docker image inspect "$image" >/dev/null 2>&1 || { echo "FATAL	Fatal error	unable to find the specified image \\"$image\\"" >&2; exit 1; }
db="\${TRIVY_CACHE_DIR:-\${XDG_CACHE_HOME:-$HOME/.cache}/trivy}/db/trivy.db"
# As Trivy does: --skip-db-update needs a database from an earlier download.
if [ -n "$skip" ] && [ ! -f "$db" ]; then printf '2021-10-20T05:55:54.417Z\\tERROR\\tThe first run cannot skip downloading DB\\n' >&2; exit 1; fi
if [ -n "$TRIVY_TEST_OFFLINE" ] && [ -z "$skip" ]; then printf '%s\\n' "$TRIVY_TEST_OFFLINE" >&2; exit 1; fi
case "$image" in todo-backend:*) cp "$TRIVY_TEST_BACKEND" "$out";; *) cp "$TRIVY_TEST_FRONTEND" "$out";; esac
case ",$scanners," in *,secret,*) exec '${process.execPath}' '${path.join(path.dirname(fileURLToPath(import.meta.url)), 'trivy-secrets.mjs')}' "$image" "$out";; esac`;

/** The local registry container a kind cluster todo-deploy set up leaves (one a machine, shared by kind clusters). */
export function removeLocalRegistry(): void {
	execFileSync('docker', ['rm', '-f', 'kind-registry'], {stdio: 'ignore'});
}

/** `docker run` of a pod's container, as the simulated kubelets run one: on the host's network (each pod gets a port
 * of its own), from what this engine has, never a pull from Docker Hub. */
export const podContainerRun = (name: string): string[] => ['run', '-d', '--pull', 'never', '--network', 'host', '--name', name];
