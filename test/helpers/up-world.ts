// Everything `todo-deploy up` meets on a machine with Docker and kind, made here: the simulated API
// server behind a kind-named context, a real "kind node" container, the kind and Trivy stand-ins,
// the real helm and kubectl, and a simulated kubelet that runs the backend pod's image for real on
// loopback (ready when its /ready answers) and stands in a page for the frontend's pod. Used by the up tests, the benchmark and `npm run demo`.
import {execFileSync} from 'node:child_process';
import {readFileSync, writeFileSync} from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import {startSimulatedCluster, type SimulatedCluster} from '../sim/apiserver.js';
import {startController} from '../sim/controller.js';
import {freePort, tempDir} from './cli.js';
import {ensureBaseImage} from './images.js';
import {worldBin} from './kube-tools.js';
import {ensureKindNodeImage, kindScript, minikubeScript, podContainerRun, removeLocalRegistry, startKindNode, trivyReport, trivyScript} from './stand-ins.js';
import {ensureRegistryImage, registryImage} from './runtime-images.js';
import {dockerHost} from './paths.js';

export type UpWorld = {
	readonly cluster: SimulatedCluster;
	readonly clusterName: string;
	readonly appPort: number;
	readonly appUrl: string;
	/** PATH, HOME, KUBECONFIG and the Trivy stand-in's reports: the environment to run todo-deploy in. */
	env(extra?: Record<string, string>): Record<string, string>;
	stop(): Promise<void>;
};

/** A kind cluster (a node container, `kind load`), or minikube with the docker driver (its Docker is this one). */
export async function startUpWorld(clusterName = `up${process.pid}`, flavour: 'kind' | 'minikube' | 'bare-kind' = 'kind'): Promise<UpWorld> {
	ensureBaseImage();
	if (flavour !== 'minikube') {
		ensureRegistryImage();
	}

	// Something listening where the database would be: the backend's /ready connects to it.
	const database = net.createServer(socket => socket.end());
	await new Promise<void>(resolve => {
		database.listen(0, '127.0.0.1', resolve);
	});
	const databasePort = (database.address() as net.AddressInfo).port;
	const appPort = await freePort();
	// The frontend's pod: the test project's frontend image is a build result, not a server, so its
	// container is stood in for by a page on loopback (what a browser gets at the frontend's address).
	const frontendPage = http.createServer((_request, response) => {
		response.writeHead(200, {'content-type': 'text/html'});
		response.end('<!doctype html><html><head><title>Todo</title></head><body><div id="app">Todo</div></body></html>');
	});
	await new Promise<void>(resolve => {
		frontendPage.listen(0, '127.0.0.1', resolve);
	});
	const frontendPort = (frontendPage.address() as net.AddressInfo).port;
	const kubeconfig = path.join(tempDir('sim'), 'kubeconfig');
	const cluster = await startSimulatedCluster({kubeconfigPath: kubeconfig});
	// A bare machine has no kubeconfig yet: the kind stand-in writes one when it creates the cluster.
	const userKubeconfig = flavour === 'bare-kind' ? path.join(tempDir('kube'), 'config') : kubeconfig;
	const contextName = flavour === 'minikube' ? clusterName : `kind-${clusterName}`;
	if (flavour !== 'bare-kind') {
		writeFileSync(kubeconfig, readFileSync(kubeconfig, 'utf8').replaceAll(/\b(name|cluster|user|current-context): sim\b/g, `$1: ${contextName}`));
	} else {
		ensureKindNodeImage();
	}

	const node =
		flavour === 'kind' ? startKindNode(clusterName) : {stop: () => execFileSync('docker', ['rm', '-f', `${clusterName}-control-plane`], {stdio: 'ignore'})};
	const containers = new Set<string>();
	const removeContainers = () => {
		for (const name of containers) {
			execFileSync('docker', ['rm', '-f', name], {stdio: 'ignore'});
		}

		containers.clear();
	};

	const stopController = startController(cluster, async pod => {
		const image = pod.images[0] ?? '';
		// todo-backend:TAG loaded into the node, or REGISTRY/todo-backend:TAG from kind's local registry.
		const declaredPorts = () =>
			(
				cluster.get('Pod', pod.namespace, pod.name) as {spec?: {containers?: Array<{ports?: Array<{containerPort: number}>}>}} | undefined
			)?.spec?.containers?.flatMap(container => container.ports ?? []) ?? [];
		if (/^(?:[^/]+\/)?todo-frontend:/.test(image)) {
			for (const port of declaredPorts()) {
				cluster.servePort(pod.namespace, pod.name, port.containerPort, frontendPort);
			}

			return {type: 'ready'};
		}

		if (!/^(?:[^/]+\/)?todo-backend:/.test(image)) {
			return {type: 'ready'};
		}

		// One backend at a time on the port: a new revision's pod replaces the old container.
		removeContainers();
		const name = `todo-deploy-backend-${process.pid}-${Date.now()}`;
		execFileSync('docker', [
			...podContainerRun(name),
			'--rm',
			'-e',
			`PORT=${appPort}`,
			'-e',
			`DATABASE_URL=postgresql://todo:x@127.0.0.1:${databasePort}/todo`,
			image,
		]);
		containers.add(name);
		// As the readiness probe does: ready once /ready answers 200.
		const deadline = Date.now() + 30_000;
		while (Date.now() < deadline) {
			if (
				await fetch(`http://127.0.0.1:${appPort}/ready`).then(
					response => response.ok,
					() => false,
				)
			) {
				// kubectl port-forward to the pod's declared port reaches the container (as the kubelet's would).
				for (const port of declaredPorts()) {
					cluster.servePort(pod.namespace, pod.name, port.containerPort, appPort);
				}

				return {type: 'ready'};
			}

			await new Promise(resolve => setTimeout(resolve, 100));
		}

		return {
			type: 'not-ready',
			message: `Readiness probe failed: Get "http://127.0.0.1:${appPort}/ready": dial tcp 127.0.0.1:${appPort}: connect: connection refused`,
		};
	});
	const bin = worldBin({trivy: trivyScript, ...(flavour === 'minikube' ? {minikube: minikubeScript} : {kind: kindScript()})});
	const home = tempDir('home');
	return {
		cluster,
		clusterName,
		appPort,
		appUrl: `http://127.0.0.1:${appPort}`,
		env: (extra = {}) => ({
			PATH: bin,
			HOME: home,
			KUBECONFIG: userKubeconfig,
			LANG: 'C.UTF-8',
			...(flavour === 'bare-kind' ? {KIND_TEST_KUBECONFIG_SOURCE: kubeconfig} : {}),
			// A kind cluster todo-deploy makes gets a local registry: never registry:2 from Docker Hub here.
			TODO_DEPLOY_REGISTRY_IMAGE: registryImage,
			TRIVY_TEST_BACKEND: trivyReport('trivy-golden-sl-micro-rancher5.4.json'),
			TRIVY_TEST_FRONTEND: trivyReport('trivy-golden-alpine-39-skip.json'),
			// minikube's docker driver: its Docker is the one the images are built in; its service URL is the backend's.
			...(flavour === 'minikube'
				? {
						MINIKUBE_TEST_PROFILE: clusterName,
						MINIKUBE_TEST_DOCKER_HOST: dockerHost,
						MINIKUBE_TEST_SERVICE_URL: `http://127.0.0.1:${appPort}`,
					}
				: {}),
			...extra,
		}),
		async stop() {
			stopController();
			removeContainers();
			node.stop();
			removeLocalRegistry();
			await cluster.close();
			await new Promise(resolve => database.close(resolve));
			await new Promise(resolve => frontendPage.close(resolve));
		},
	};
}
