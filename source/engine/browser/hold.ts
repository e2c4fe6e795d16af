// The browser's addresses, held: http://localhost:PORT for each side stays the same while the pods
// behind it change. The port itself is held by a relay (adapters/ports.ts); behind it runs one
// `kubectl port-forward` to a Ready pod of the side's Service. When that pod goes away (a restart, a
// rollout, a save in watch mode) or the tunnel ends (kubernetes/kubectl#686), the next Ready pod gets a
// new tunnel within a second of being Ready, and a connection that comes in meanwhile waits for it.
import type {V1Service} from '@kubernetes/client-node';
import type {Cluster} from '../../adapters/cluster.js';
import {portForward, type Forward} from '../../adapters/port-forward.js';
import {holdPort, portHolder, type Relay, type Upstream} from '../../adapters/ports.js';
import type {System} from '../../adapters/system.js';
import type {ClusterTarget} from '../cluster-target.js';
import {messageOf} from '../errors.js';
import type {KindPortMapping} from '../../adapters/kind-registry.js';
import {urlOf, type Addresses, type BrowserSide} from './addresses.js';
import {mappingOf, publishedByKind} from './kind-mapping.js';

/** One side to hold: its Service and port in the cluster, and the local port the browser uses. */
export type HeldSide = {
	readonly side: BrowserSide;
	readonly service: string;
	readonly servicePort: number;
	/** The Service port's NodePort, when it has one: a kind node may publish it at localPort. */
	readonly nodePort?: number | undefined;
	readonly localPort: number;
};

export type HoldState =
	| {readonly state: 'starting'}
	/** through: what serves the address when it is not todo-deploy's own tunnel (a kind node's port mapping). */
	| {readonly state: 'up'; readonly pod: string; readonly trouble?: string | undefined; readonly through?: string | undefined}
	| {readonly state: 'down'; readonly why: string}
	/** The port cannot be held at all (another process has it): nothing will come of waiting. */
	| {readonly state: 'failed'; readonly why: string};

export type HeldAddress = {readonly side: BrowserSide; readonly url: string; readonly hold: HoldState};

export type Holding = {
	readonly addresses: () => readonly HeldAddress[];
	stop(): Promise<void>;
};

/** How often the Service's pods are looked at: while a tunnel runs, and while there is none. */
const checkEveryMs = {up: 1000, down: 300};
/** How long a connection waits for a tunnel before it is closed. */
const connectionWaitMs = 10_000;

const componentNames: Readonly<Record<BrowserSide, RegExp>> = {
	frontend: /(^|-)(frontend|web|ui|client|next)$/,
	backend: /(^|-)(backend|api|server)$/,
};

/**
 * A side's Service among the release's: the one labelled with the side as its component, else the
 * one whose name ends like it ("todo-todo-app-frontend", "web", "api"); its port is the one named
 * http, else its first.
 */
export function sideService(
	services: readonly V1Service[],
	side: BrowserSide,
): {readonly service: string; readonly servicePort: number; readonly nodePort: number | undefined} | undefined {
	const service =
		services.find(candidate => candidate.metadata?.labels?.['app.kubernetes.io/component'] === side) ??
		services.find(candidate => componentNames[side].test(candidate.metadata?.name ?? ''));
	const ports = service?.spec?.ports ?? [];
	const port = ports.find(entry => entry.name === 'http') ?? ports[0];
	return service?.metadata?.name && port ? {service: service.metadata.name, servicePort: port.port, nodePort: port.nodePort} : undefined;
}

export function heldSides(services: readonly V1Service[], addresses: Addresses): {sides: HeldSide[]; missing: BrowserSide[]} {
	const sides: HeldSide[] = [];
	const missing: BrowserSide[] = [];
	for (const [side, localPort] of Object.entries(addresses) as Array<[BrowserSide, number]>) {
		const found = sideService(services, side);
		if (found) {
			sides.push({side, ...found, localPort});
		} else {
			missing.push(side);
		}
	}

	return {sides, missing};
}

type Tunnel = {readonly pod: string; readonly forward: Forward; readonly upstream: Upstream};

/** A wait that ends after ms, or sooner when wake() is called. */
function napper() {
	let wake: (() => void) | undefined;
	return {
		async nap(ms: number) {
			await new Promise<void>(resolve => {
				const timer = setTimeout(resolve, ms);
				wake = () => {
					clearTimeout(timer);
					resolve();
				};
			});
			wake = undefined;
		},
		wake: () => wake?.(),
	};
}

/**
 * One side's address: the relay on its port, and the tunnel behind it while there is a Ready pod; or,
 * where a kind node publishes the port to the side's NodePort, that mapping, watched but not held.
 */
class SideHolder {
	private tunnel: Tunnel | undefined;
	private relay: Relay | undefined;
	private mapped: KindPortMapping | undefined;
	private stopped = false;
	private last: HoldState = {state: 'starting'};
	private readonly waiters = new Set<(upstream: Upstream | undefined) => void>();
	private readonly napping = napper();

	private readonly system: System;
	private readonly cluster: Pick<Cluster, 'serviceBackends'>;
	private readonly target: ClusterTarget;
	private readonly held: HeldSide;
	private readonly onChange: (state: HoldState) => void;

	constructor(system: System, cluster: Pick<Cluster, 'serviceBackends'>, target: ClusterTarget, held: HeldSide, onChange: (state: HoldState) => void) {
		this.system = system;
		this.cluster = cluster;
		this.target = target;
		this.held = held;
		this.onChange = onChange;
	}

	async start(): Promise<void> {
		try {
			this.relay = await holdPort(this.held.localPort, async () => this.upstream());
		} catch (error) {
			const taken = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
			const why = taken ? await this.takenBy() : `port ${this.held.localPort} cannot be held: ${messageOf(error)}`;
			if (why) {
				this.say({state: 'failed', why});
				return;
			}
		}

		void this.loop();
	}

	/** Why the taken port cannot be the address; undefined when a kind node's mapping serves it from the side's NodePort. */
	private async takenBy(): Promise<string | undefined> {
		const {localPort, side, service, nodePort} = this.held;
		const kind = this.target.local?.type === 'kind' ? this.target.local.name : undefined;
		const mapping = kind ? mappingOf(await publishedByKind(this.system.env, kind), localPort) : undefined;
		if (mapping && mapping.containerPort === nodePort) {
			this.mapped = mapping;
			return undefined;
		}

		if (mapping) {
			return `port ${localPort} is the kind node ${mapping.node}'s mapping to its port ${mapping.containerPort}, which ${service} does not use (${nodePort ? `its NodePort is ${nodePort}` : 'it is not a NodePort'}): give ${service} nodePort ${mapping.containerPort}, or build again (todo-deploy up) to move the ${side} to a free port`;
		}

		const holder = await portHolder(this.system, localPort);
		return `port ${localPort} is taken${holder ? ` by ${holder.command} (pid ${holder.pid})` : ''}: stop it, or build again (todo-deploy up) to move the ${side} to a free port`;
	}

	async stop(): Promise<void> {
		this.stopped = true;
		this.napping.wake();
		this.tunnel?.forward.stop();
		this.tunnel = undefined;
		for (const waiter of [...this.waiters]) {
			waiter(undefined);
		}

		await this.relay?.close();
	}

	private say(state: HoldState) {
		if (JSON.stringify(state) !== JSON.stringify(this.last)) {
			this.last = state;
			this.onChange(state);
		}
	}

	private endTunnel(why: string) {
		this.tunnel?.forward.stop();
		this.tunnel = undefined;
		this.say({state: 'down', why});
	}

	/** Where a new connection goes: the tunnel, or (while there is none) the next one, or nothing in time. */
	private async upstream(): Promise<Upstream | undefined> {
		if (this.tunnel) {
			return this.tunnel.upstream;
		}

		return new Promise(resolve => {
			const done = (answer: Upstream | undefined) => {
				clearTimeout(timer);
				this.waiters.delete(done);
				resolve(answer);
			};

			const timer = setTimeout(() => done(undefined), connectionWaitMs);
			this.waiters.add(done);
		});
	}

	private async open(pod: string, port: number) {
		let forward: Forward | undefined;
		try {
			forward = await portForward(this.system, {
				target: this.target,
				resource: `pod/${pod}`,
				port,
				timeoutMs: 15_000,
				onTrouble: message => {
					if (this.tunnel?.forward === forward) {
						this.say({state: 'up', pod, trouble: message});
					}
				},
				onEnd: message => {
					if (this.tunnel?.forward === forward) {
						this.endTunnel(`the tunnel to ${pod} ended (${message}); opening another`);
						this.napping.wake();
					}
				},
			});
		} catch (error) {
			this.say({state: 'down', why: `kubectl port-forward to ${pod} did not start: ${messageOf(error)}`});
			return;
		}

		if (this.stopped) {
			forward.stop();
			return;
		}

		const url = new URL(forward.url);
		this.tunnel = {pod, forward, upstream: {host: url.hostname, port: Number(url.port)}};
		this.say({state: 'up', pod});
		for (const waiter of [...this.waiters]) {
			waiter(this.tunnel.upstream);
		}
	}

	private async check() {
		const {service, servicePort} = this.held;
		const backends = await this.cluster.serviceBackends(service, servicePort);
		const ready = backends?.ready[0];
		if (this.mapped && ready) {
			// The node's kube-proxy leads the port to a Ready pod: nothing to hold, only to say.
			this.say({state: 'up', pod: ready.pod, through: `the kind node's port mapping, which stays with todo-deploy closed`});
			return;
		}

		const current = this.tunnel?.pod;
		if (current !== undefined && !backends?.ready.some(backend => backend.pod === current)) {
			this.endTunnel(`${current} went away (restarted or replaced); waiting for a Ready pod of ${service}`);
		}

		const next = this.mapped ? undefined : ready;
		if (!this.tunnel && next) {
			await this.open(next.pod, next.port);
		} else if (!this.tunnel) {
			const waiting = backends?.waiting[0];
			this.say({
				state: 'down',
				why: !backends
					? `there is no Service ${service} with port ${servicePort}`
					: waiting
						? `no Ready pod behind ${service} yet (${waiting.pod}: ${waiting.why})`
						: `no pod behind ${service}`,
			});
		}
	}

	private async loop() {
		while (!this.stopped) {
			try {
				await this.check();
			} catch (error) {
				this.say({state: 'down', why: `the API server did not answer: ${messageOf(error)}`});
			}

			await this.napping.nap(this.tunnel || (this.mapped && this.last.state === 'up') ? checkEveryMs.up : checkEveryMs.down);
		}
	}
}

/** Holds each side's address until stop(); onChange is told each change of any side. */
export async function holdAddresses(
	system: System,
	cluster: Pick<Cluster, 'serviceBackends'>,
	target: ClusterTarget,
	sides: readonly HeldSide[],
	onChange: (addresses: readonly HeldAddress[]) => void,
): Promise<Holding> {
	const states = new Map<BrowserSide, HoldState>(sides.map(held => [held.side, {state: 'starting'}]));
	const addresses = () => sides.map(held => ({side: held.side, url: urlOf(held.localPort), hold: states.get(held.side) ?? {state: 'starting'}}));
	const holders = sides.map(
		held =>
			new SideHolder(system, cluster, target, held, state => {
				states.set(held.side, state);
				onChange(addresses());
			}),
	);
	await Promise.all(holders.map(async holder => holder.start()));
	return {
		addresses,
		async stop() {
			await Promise.all(holders.map(async holder => holder.stop()));
		},
	};
}
