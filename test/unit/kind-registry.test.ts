import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import {
	hostsToml,
	kindClusterConfig,
	parseRegistryHosting,
	readsCertsDir,
	registryContainerPlan,
	registryHostingConfigMap,
} from '../../source/engine/images/kind-registry.js';
import {pullRegistryOf} from '../../source/engine/images/actions.js';
import {describeTarget} from '../../source/render/images-words.js';
import {chartImageValues} from '../../source/engine/images/values.js';
import {capturedFixture} from '../helpers/paths.js';
import {load} from 'js-yaml';
import {parsePortBindings} from '../../source/adapters/kind-registry.js';
import {extraPortMappingsYaml, kindMappingsFor, mappingOf, nodePorts} from '../../source/engine/browser/kind-mapping.js';

test("a kind node's containerd reads certs.d only when config_path names it; kind's own config does not, and the patch todo-deploy creates clusters with does", () => {
	const shipped = readFileSync(capturedFixture('kind/node-containerd-config.toml'), 'utf8');
	assert.equal(readsCertsDir(shipped), false);
	// What kind does with the patch: merged into the node's config (the stand-in appends it).
	const config = kindClusterConfig();
	const patch = config
		.split('\n')
		.slice(config.split('\n').indexOf('- |-') + 1)
		.map(line => line.replace(/^ {2}/, ''))
		.join('\n');
	assert.equal(readsCertsDir(`${shipped}\n${patch}`), true);
	assert.equal(readsCertsDir('[plugins."io.containerd.cri.v1.images".registry]\n  config_path = "/etc/containerd/certs.d:/etc/docker/certs.d"\n'), true);
	assert.equal(readsCertsDir('  config_path = ""\n'), false);
	assert.equal(readsCertsDir('# config_path = "/etc/containerd/certs.d"\n'), false);
	assert.match(config, /^kind: Cluster\napiVersion: kind\.x-k8s\.io\/v1alpha4\ncontainerdConfigPatches:\n- \|-\n/m);
});

test("a kind cluster todo-deploy creates maps each browser address to its side's NodePort on 127.0.0.1, as kind's ingress guide does", () => {
	const config = load(kindClusterConfig(extraPortMappingsYaml(kindMappingsFor({frontend: 3001, backend: 8000})))) as {
		kind: string;
		containerdConfigPatches: string[];
		nodes: Array<{role: string; extraPortMappings: Array<Record<string, unknown>>}>;
	};
	assert.equal(config.kind, 'Cluster');
	assert.equal(config.containerdConfigPatches.length, 1);
	assert.deepEqual(config.nodes, [
		{
			role: 'control-plane',
			extraPortMappings: [
				{containerPort: nodePorts.frontend, hostPort: 3001, listenAddress: '127.0.0.1', protocol: 'TCP'},
				{containerPort: nodePorts.backend, hostPort: 8000, listenAddress: '127.0.0.1', protocol: 'TCP'},
			],
		},
	]);
	// No addresses: no nodes list (kind's default single node).
	assert.equal((load(kindClusterConfig(extraPortMappingsYaml(kindMappingsFor({})))) as {nodes?: unknown}).nodes, undefined);
});

test("a kind node's published ports are read from Docker's PortBindings: TCP ones, on an address localhost reaches", () => {
	// As kind publishes them: the API server on a random loopback port, and the extraPortMappings (--publish=127.0.0.1:3000:30080/TCP).
	const mappings = parsePortBindings('todo', 'todo-control-plane', {
		'6443/tcp': [{HostIp: '127.0.0.1', HostPort: '41235'}],
		'30080/tcp': [{HostIp: '127.0.0.1', HostPort: '3000'}],
		'30081/tcp': [{HostIp: '192.168.1.20', HostPort: '8000'}],
		'30053/udp': [{HostIp: '127.0.0.1', HostPort: '5353'}],
	});
	assert.deepEqual(
		mappings.map(mapping => `${mapping.hostIp}:${mapping.hostPort}->${mapping.containerPort}`),
		['127.0.0.1:41235->6443', '127.0.0.1:3000->30080', '192.168.1.20:8000->30081'],
	);
	assert.equal(mappingOf(mappings, 3000)?.containerPort, 30_080);
	// Published on another interface only: the browser's localhost does not reach it.
	assert.equal(mappingOf(mappings, 8000), undefined);
	assert.deepEqual(parsePortBindings('todo', 'n', null), []);
});

test('the local-registry-hosting ConfigMap (KEP-1755) is read as kind, ctlptl and Tilt write it, and written the same way', () => {
	assert.equal(
		parseRegistryHosting({'localRegistryHosting.v1': 'host: "localhost:5001"\nhelp: "https://kind.sigs.k8s.io/docs/user/local-registry/"\n'}),
		'localhost:5001',
	);
	assert.equal(parseRegistryHosting({'localRegistryHosting.v1': 'hostFromContainerRuntime: kind-registry:5000\nhost: localhost:5005\n'}), 'localhost:5005');
	assert.equal(parseRegistryHosting({'localRegistryHosting.v1': 'help: nothing\n'}), undefined);
	assert.equal(parseRegistryHosting(undefined), undefined);
	const written = registryHostingConfigMap('localhost:5002') as {metadata: {namespace: string; name: string}; data: Record<string, string>};
	assert.deepEqual([written.metadata.namespace, written.metadata.name], ['kube-public', 'local-registry-hosting']);
	assert.equal(parseRegistryHosting(written.data), 'localhost:5002');
});

test("the registry container joins the nodes' network: on kind's it is published on loopback and found by name; on the host's it listens on loopback", () => {
	const onKind = registryContainerPlan({image: 'registry:2', network: 'kind', port: 5001});
	assert.equal(onKind.endpoint, 'http://kind-registry:5000');
	assert.deepEqual(onKind.spec.HostConfig?.PortBindings, {'5000/tcp': [{HostIp: '127.0.0.1', HostPort: '5001'}]});
	assert.equal(onKind.spec.HostConfig.NetworkMode, 'kind');
	assert.equal(onKind.spec.HostConfig.RestartPolicy?.Name, 'always');
	const onHost = registryContainerPlan({image: 'registry:2', network: 'host', port: 5003});
	assert.equal(onHost.endpoint, 'http://127.0.0.1:5003');
	assert.deepEqual(onHost.spec.Env, ['REGISTRY_HTTP_ADDR=127.0.0.1:5003']);
	assert.equal(onHost.spec.HostConfig?.PortBindings, undefined);
	assert.equal(hostsToml('http://kind-registry:5000'), '[host."http://kind-registry:5000"]\n  capabilities = ["pull", "resolve"]\n');
});

test("a kind target with a local registry: the pods pull from it, under the registry's name", () => {
	const target = {type: 'kind', cluster: 'todo', registry: 'localhost:5001'} as const;
	assert.equal(pullRegistryOf(target), 'localhost:5001');
	assert.equal(pullRegistryOf({type: 'kind', cluster: 'todo'}), undefined);
	assert.equal(pullRegistryOf({type: 'minikube', profile: 'm'}), undefined);
	assert.equal(describeTarget(target), 'kind cluster "todo" (through its local registry localhost:5001)');
	const plan = {name: 'backend', repository: 'todo-backend', tag: 'src-0123456789ab'} as Parameters<typeof chartImageValues>[0][number];
	assert.deepEqual(chartImageValues([plan], pullRegistryOf(target)), {
		imageSource: 'registry',
		'backend.image.repository': 'localhost:5001/todo-backend',
		'backend.image.tag': 'src-0123456789ab',
	});
});
