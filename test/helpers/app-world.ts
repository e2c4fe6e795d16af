// The world `todo-deploy up` meets with a real project (test/fixtures/real-app): the simulated API
// server behind a kind-named context, a real kind node container, the kind and Trivy stand-ins, the
// real helm and kubectl, a real PostgreSQL on loopback, and a simulated kubelet and kube-proxy that
// run the app's pods for real:
// - a pod's container runs from its image with the environment Kubernetes would give it: envFrom
//   first, then env, ConfigMap and Secret references resolved from what the chart and deploy wrote;
//   its user, a read-only root with its emptyDir mounts writable, as the pod spec says;
// - pods share the host's network (Docker's bridge stays off), so each gets a port of its own in
//   PORT, as if it had an IP of its own; a Service is a loopback address 127.77.0.N with a proxy on
//   its ports to the ready pods it selects, and every container resolves the Services' names (short,
//   .namespace, .svc.cluster.local) through --add-host; nothing asks a DNS server;
// - the PostgreSQL pod is the real server: its role and database are made with the password the pod
//   gets from the Secret, and its Service leads there;
// - a pod is ready when its readiness probe's path answers 200; a container that exits is restarted
//   (as the kubelet's back-off does), and its output becomes the pod's logs.
import {execFileSync} from 'node:child_process';
import {cpSync, readFileSync, writeFileSync} from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import {startSimulatedCluster, type SimulatedCluster} from '../sim/apiserver.js';
import {startController} from '../sim/controller.js';
import {freePort, tempDir} from './cli.js';
import {worldBin} from './kube-tools.js';
import {localFixtures} from './paths.js';
import {startPostgres, type Postgres} from './postgres.js';
import {ensureFastapiImage, ensureNodeImage, ensureRegistryImage, registryImage} from './runtime-images.js';
import {ensureKindNodeImage, kindScript, podContainerRun, removeLocalRegistry, startKindNode, trivyReport, trivyScript} from './stand-ins.js';
import {nodeHasLoaded, nodePull} from './node-pull.js';

type Json = Record<string, unknown>;
type EnvVar = {name: string; value?: string; valueFrom?: {secretKeyRef?: Ref; configMapKeyRef?: Ref}};
type Ref = {name: string; key: string; optional?: boolean};
type Container = {
	name: string;
	image: string;
	ports?: Array<{name?: string; containerPort: number}>;
	env?: EnvVar[];
	envFrom?: Array<{configMapRef?: {name: string}; secretRef?: {name: string}}>;
	volumeMounts?: Array<{name: string; mountPath: string}>;
	readinessProbe?: {httpGet?: {path?: string}};
	securityContext?: {readOnlyRootFilesystem?: boolean; runAsUser?: number};
};
type PodSpec = {containers: Container[]; securityContext?: {runAsUser?: number}; volumes?: Array<{name: string; emptyDir?: unknown}>};

export type AppWorld = {
	readonly cluster: SimulatedCluster;
	readonly postgres: Postgres;
	readonly clusterName: string;
	/** What each app container was started with (name -> env), for the tests to read. */
	readonly started: ReadonlyArray<{readonly pod: string; readonly image: string; readonly env: Readonly<Record<string, string>>}>;
	/** Each image the node pulled from a registry (kind's local one), and why it could not when it could not. */
	readonly pulls: ReadonlyArray<{readonly image: string; readonly error: string | undefined}>;
	env(extra?: Record<string, string>): Record<string, string>;
	stop(): Promise<void>;
};

const decode = (value: unknown) => Buffer.from(String(value ?? ''), 'base64').toString('utf8');
const dataOf = (object: Json | undefined, base64: boolean): Record<string, string> =>
	Object.fromEntries(
		Object.entries((object?.['data'] as Record<string, string> | undefined) ?? {}).map(([key, value]) => [key, base64 ? decode(value) : value]),
	);

/** bare: no cluster yet; `kind create cluster --name CLUSTER` (the stand-in) makes its node and its context. */
export async function startAppWorld(clusterName = `app${process.pid}`, options: {readonly bare?: boolean} = {}): Promise<AppWorld> {
	ensureFastapiImage();
	ensureNodeImage();
	ensureRegistryImage();
	const postgres = await startPostgres();
	const simConfig = path.join(tempDir('sim'), 'kubeconfig');
	const cluster = await startSimulatedCluster({kubeconfigPath: simConfig});
	writeFileSync(simConfig, readFileSync(simConfig, 'utf8').replaceAll(/\b(name|cluster|user|current-context): sim\b/g, `$1: kind-${clusterName}`));
	const kubeconfig = options.bare ? path.join(tempDir('kube'), 'config') : simConfig;
	if (options.bare) {
		ensureKindNodeImage();
	}

	const node = options.bare
		? {name: `${clusterName}-control-plane`, stop: () => execFileSync('docker', ['rm', '-f', `${clusterName}-control-plane`], {stdio: 'ignore'})}
		: startKindNode(clusterName);

	// The simulated kube-proxy: a loopback address per Service, a listener per port.
	const addresses = new Map<string, string>();
	const listeners = new Map<string, net.Server>();
	const endpoints = new Map<string, {labels: Record<string, string>; ports: Map<string, number>}>();
	const containers = new Map<string, string>();
	const started: Array<{pod: string; image: string; env: Record<string, string>}> = [];
	const pulls: Array<{image: string; error: string | undefined}> = [];
	const sockets = new Set<net.Socket>();

	const servicesOf = (namespace: string) => cluster.list('Service', namespace);
	const targetOf = (service: Json, port: {port: number; targetPort?: number | string}): {host: string; port: number} | undefined => {
		const selector = ((service['spec'] as Json)['selector'] as Record<string, string> | undefined) ?? {};
		if (selector['app.kubernetes.io/component'] === 'postgresql') {
			return {host: '127.0.0.1', port: postgres.port};
		}

		for (const endpoint of endpoints.values()) {
			if (Object.entries(selector).every(([key, value]) => endpoint.labels[key] === value)) {
				const wanted = String(port.targetPort ?? port.port);
				const hostPort = endpoint.ports.get(wanted);
				if (hostPort) {
					return {host: '127.0.0.1', port: hostPort};
				}
			}
		}

		return undefined;
	};

	/** A listener at address:port that pipes each connection to where target() says at that moment. */
	const listen = async (key: string, address: string, port: number, target: () => {host: string; port: number} | undefined) => {
		const server = net.createServer(client => {
			sockets.add(client);
			client.on('close', () => sockets.delete(client));
			const to = target();
			if (!to) {
				client.destroy();
				return;
			}

			const upstream = net.connect(to.port, to.host);
			sockets.add(upstream);
			upstream.on('close', () => sockets.delete(upstream));
			client.pipe(upstream).pipe(client);
			upstream.on('error', () => client.destroy());
			client.on('error', () => upstream.destroy());
		});
		listeners.set(key, server);
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(port, address, resolve);
		});
	};

	// The node container's published ports (a kind config's extraPortMappings): as Docker's proxy and the
	// node's kube-proxy together do, HOST:PORT leads to a Ready pod of the Service with that NodePort.
	const namespaces = new Set<string>();
	let published = false;
	const nodePortTarget = (nodePort: number) => {
		for (const namespace of namespaces) {
			for (const service of servicesOf(namespace)) {
				const port = ((service['spec'] as Json)['ports'] as Array<{port: number; targetPort?: number | string; nodePort?: number}> | undefined)?.find(
					entry => entry.nodePort === nodePort,
				);
				if (port) {
					return targetOf(service, port);
				}
			}
		}

		return undefined;
	};

	const ensurePublished = async () => {
		if (published) {
			return;
		}

		let bindings: Record<string, Array<{HostIp?: string; HostPort?: string}>> | null;
		try {
			const inspected = execFileSync('docker', ['inspect', '-f', '{{json .HostConfig.PortBindings}}', node.name], {
				encoding: 'utf8',
				stdio: ['ignore', 'pipe', 'ignore'],
			});
			bindings = JSON.parse(inspected) as typeof bindings;
		} catch {
			return;
		}

		published = true;
		for (const [key, hosts] of Object.entries(bindings ?? {})) {
			const nodePort = Number(key.split('/')[0]);
			for (const host of hosts) {
				const address = host.HostIp || '127.0.0.1';
				await listen(`published ${address}:${host.HostPort}`, address, Number(host.HostPort), () => nodePortTarget(nodePort));
			}
		}
	};

	const ensureServices = async (namespace: string) => {
		for (const service of servicesOf(namespace)) {
			const name = String((service['metadata'] as Json)['name']);
			const address = addresses.get(`${namespace}/${name}`) ?? `127.77.0.${addresses.size + 2}`;
			addresses.set(`${namespace}/${name}`, address);
			for (const port of ((service['spec'] as Json)['ports'] as Array<{port: number; targetPort?: number | string}> | undefined) ?? []) {
				const key = `${address}:${port.port}`;
				if (listeners.has(key)) {
					continue;
				}

				await listen(key, address, port.port, () => targetOf(service, port));
			}
		}

		namespaces.add(namespace);
		await ensurePublished();
	};

	const hostsOf = (namespace: string) =>
		[...addresses.entries()]
			.filter(([key]) => key.startsWith(`${namespace}/`))
			.flatMap(([key, address]) => {
				const name = key.slice(namespace.length + 1);
				return [name, `${name}.${namespace}`, `${name}.${namespace}.svc`, `${name}.${namespace}.svc.cluster.local`].flatMap(host => [
					'--add-host',
					`${host}:${address}`,
				]);
			});

	const environmentOf = (namespace: string, container: Container): Record<string, string> => {
		const configMap = (name: string) => dataOf(cluster.get('ConfigMap', namespace, name), false);
		const secret = (name: string) => dataOf(cluster.get('Secret', namespace, name), true);
		const env: Record<string, string> = {};
		for (const source of container.envFrom ?? []) {
			Object.assign(env, source.configMapRef ? configMap(source.configMapRef.name) : {}, source.secretRef ? secret(source.secretRef.name) : {});
		}

		for (const variable of container.env ?? []) {
			const from = variable.valueFrom;
			const value =
				variable.value ??
				(from?.secretKeyRef
					? secret(from.secretKeyRef.name)[from.secretKeyRef.key]
					: from?.configMapKeyRef
						? configMap(from.configMapKeyRef.name)[from.configMapKeyRef.key]
						: undefined);
			if (value === undefined && !(from?.secretKeyRef?.optional ?? from?.configMapKeyRef?.optional)) {
				throw new Error(`CreateContainerConfigError: ${variable.name} refers to a missing key`);
			}

			if (value !== undefined) {
				env[variable.name] = value;
			}
		}

		return env;
	};

	const stopController = startController(cluster, async pod => {
		const declared = cluster.get('Pod', pod.namespace, pod.name);
		const spec = declared?.['spec'] as PodSpec | undefined;
		const container = spec?.containers[0];
		if (!spec || !container) {
			return {type: 'ready'};
		}

		await ensureServices(pod.namespace);
		let env: Record<string, string>;
		try {
			env = environmentOf(pod.namespace, container);
		} catch (error) {
			return {type: 'waiting', reason: 'CreateContainerConfigError', message: error instanceof Error ? error.message : String(error)};
		}

		if (container.image.startsWith('postgres:')) {
			postgres.ensureDatabase(env['POSTGRES_USER'] ?? 'postgres', env['POSTGRES_PASSWORD'] ?? '', env['POSTGRES_DB'] ?? 'postgres');
			return {type: 'ready'};
		}

		if (!/^(?:[^/]+\/)?todo-(backend|frontend):/.test(container.image)) {
			return {type: 'ready'};
		}

		// An image named after a registry comes from there, as the node's containerd finds it; any other
		// must have been loaded into the node (kind load), or the node would ask Docker Hub for it.
		const refused = container.image.includes('/') ? await nodePull(node.name, container.image) : nodeHasLoaded(node.name, container.image);
		if (container.image.includes('/')) {
			pulls.push({image: container.image, error: refused});
		}

		if (refused) {
			return {type: 'waiting', reason: 'ErrImagePull', message: refused};
		}

		// One pod of a component at a time: a new revision's replaces the old one.
		const component = pod.labels['app.kubernetes.io/component'] ?? pod.name;
		const before = containers.get(component);
		if (before) {
			execFileSync('docker', ['rm', '-f', before], {stdio: 'ignore'});
			endpoints.delete(component);
		}

		const hostPort = await freePort();
		const name = `todo-deploy-${component}-${process.pid}-${Date.now()}`;
		const writable = new Set((spec.volumes ?? []).filter(volume => volume.emptyDir !== undefined).map(volume => volume.name));
		const user = container.securityContext?.runAsUser ?? spec.securityContext?.runAsUser;
		const variables = {...env, PORT: String(hostPort)};
		started.push({pod: pod.name, image: container.image, env: variables});
		execFileSync('docker', [
			...podContainerRun(name),
			...(user === undefined ? [] : ['--user', String(user)]),
			...(container.securityContext?.readOnlyRootFilesystem ? ['--read-only'] : []),
			...(container.volumeMounts ?? []).filter(mount => writable.has(mount.name)).flatMap(mount => ['--tmpfs', `${mount.mountPath}:mode=1777`]),
			...hostsOf(pod.namespace),
			...Object.entries(variables).flatMap(([key, value]) => ['-e', `${key}=${value}`]),
			container.image,
		]);
		containers.set(component, name);
		const ports = new Map<string, number>();
		for (const port of container.ports ?? []) {
			ports.set(String(port.containerPort), hostPort);
			if (port.name) {
				ports.set(port.name, hostPort);
			}

			cluster.servePort(pod.namespace, pod.name, port.containerPort, hostPort);
		}

		const readiness = container.readinessProbe?.httpGet?.path ?? '/';
		const deadline = Date.now() + 60_000;
		let restarts = 0;
		while (Date.now() < deadline) {
			const logs = execFileSync('docker', ['logs', name], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']});
			cluster.setLogs(pod.namespace, pod.name, container.name, logs.split('\n').filter(Boolean));
			if (
				await fetch(`http://127.0.0.1:${hostPort}${readiness}`).then(
					response => response.ok,
					() => false,
				)
			) {
				endpoints.set(component, {labels: pod.labels, ports});
				return {type: 'ready'};
			}

			const running = execFileSync('docker', ['inspect', '-f', '{{.State.Running}}', name], {encoding: 'utf8'}).trim() === 'true';
			if (!running) {
				if (++restarts > 5) {
					const output = `${execFileSync('docker', ['logs', name], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']})}`;
					return {type: 'crash', exitCode: 1, logs: output.split('\n').slice(-20)};
				}

				execFileSync('docker', ['start', name], {stdio: 'ignore'});
			}

			await new Promise(resolve => setTimeout(resolve, 250));
		}

		return {
			type: 'not-ready',
			message: `Readiness probe failed: Get "http://10.244.0.7:${container.ports?.[0]?.containerPort ?? 0}${readiness}": context deadline exceeded`,
		};
	});

	const bin = worldBin({trivy: trivyScript, kind: kindScript()});
	const home = tempDir('home');
	return {
		cluster,
		postgres,
		clusterName,
		started,
		pulls,
		env: (extra = {}) => ({
			PATH: bin,
			HOME: home,
			KUBECONFIG: kubeconfig,
			...(options.bare ? {KIND_TEST_KUBECONFIG_SOURCE: simConfig} : {}),
			// A kind cluster todo-deploy makes gets a local registry: never registry:2 from Docker Hub here.
			TODO_DEPLOY_REGISTRY_IMAGE: registryImage,
			LANG: 'C.UTF-8',
			TRIVY_TEST_BACKEND: trivyReport('trivy-golden-alpine-39-skip.json'),
			TRIVY_TEST_FRONTEND: trivyReport('trivy-golden-alpine-39-skip.json'),
			...extra,
		}),
		async stop() {
			stopController();
			for (const name of containers.values()) {
				execFileSync('docker', ['rm', '-f', name], {stdio: 'ignore'});
			}

			for (const socket of sockets) {
				socket.destroy();
			}

			await Promise.all([...listeners.values()].map(async server => new Promise(resolve => server.close(resolve))));
			node.stop();
			removeLocalRegistry();
			await cluster.close();
			await postgres.stop();
		},
	};
}

/** A copy of the team's real project (test/fixtures/real-app), as a user's checkout would be. */
export function copyTeamProject(): string {
	const root = path.join(tempDir('team'), 'todo-app');
	cpSync(path.join(localFixtures, 'real-app'), root, {recursive: true});
	return root;
}
