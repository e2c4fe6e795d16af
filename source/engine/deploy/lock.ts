// One run at a time on a release: a lock file in .todo-deploy/ for the runs on this machine, and a
// coordination.k8s.io Lease in the namespace for other machines and clones, renewed while the run
// writes. A second run is told who holds it (command, host, since when) and waits up to its
// --lock-timeout; a holder that stopped renewing (it died) is taken over.
import os from 'node:os';
import path from 'node:path';
import {ClusterError, type Cluster, type Lease} from '../../adapters/cluster.js';
import {dropLockFile, takeLockFile, type LockHolder} from '../../adapters/file-lock.js';
import {ensureStateDir} from '../../adapters/state-dir.js';

export type {LockHolder} from '../../adapters/file-lock.js';

/** A Lease not renewed for this long is a holder that died. */
export const leaseDurationSeconds = 30;
const renewEveryMs = 10_000;
const pollMs = 250;

export type LockRequest = {
	readonly root: string;
	readonly release: string;
	readonly namespace: string;
	readonly command: string;
	/** How long to wait for a holder to finish (0: not at all). */
	readonly timeoutMs: number;
	readonly signal?: AbortSignal | undefined;
	/** Told once, when this run starts waiting. */
	readonly onWaiting?: ((holder: LockHolder, where: LockPlace) => void) | undefined;
};

export type LockPlace = 'this machine' | 'the cluster';

export type ReleaseLock =
	| {
			readonly ok: true;
			release(): Promise<void>;
			/** Why the Lease could not be used (a Role without leases, an API without coordination.k8s.io): only this machine's runs are kept apart. */
			readonly machineOnly?: string | undefined;
	  }
	| {readonly ok: false; readonly holder: LockHolder; readonly where: LockPlace; readonly cancelled: boolean};

/** The Lease could not be used here, and why. */
type Unavailable = {readonly unavailable: string};

const leaseName = (release: string) => `todo-deploy-${release}`.slice(0, 253);
const identity = () => `${os.hostname()}/${process.pid}`;

function holderOfLease(lease: Lease): LockHolder {
	const [host = '?', pid = '0'] = lease.spec.holderIdentity.split('/');
	return {command: lease.metadata.annotations?.['todo-deploy/command'] ?? 'todo-deploy', host, pid: Number(pid), since: lease.spec.acquireTime};
}

const expired = (lease: Lease, now: number) => Date.parse(lease.spec.renewTime) + lease.spec.leaseDurationSeconds * 1000 < now;

/** The Lease, taken: undefined when taken, who holds it, or why Leases cannot be used here. */
async function takeLease(cluster: Cluster, request: LockRequest): Promise<LockHolder | Unavailable | undefined> {
	const now = new Date().toISOString();
	const mine: Lease = {
		metadata: {name: leaseName(request.release), annotations: {'todo-deploy/command': request.command}},
		spec: {holderIdentity: identity(), leaseDurationSeconds, acquireTime: now, renewTime: now},
	};
	try {
		if (await cluster.createLease(mine)) {
			return undefined;
		}

		const held = await cluster.readLease(mine.metadata.name);
		if (!held) {
			return (await cluster.createLease(mine)) ? undefined : {command: 'another todo-deploy', host: '?', pid: 0, since: now};
		}

		if (held.spec.holderIdentity === identity() || expired(held, Date.now())) {
			// Taken over at the version read: if another run took it meanwhile, that run has it.
			const taken = await cluster.replaceLease({...mine, metadata: {...mine.metadata, resourceVersion: held.metadata.resourceVersion}});
			return taken ? undefined : holderOfLease((await cluster.readLease(mine.metadata.name)) ?? held);
		}

		return holderOfLease(held);
	} catch (error) {
		// A Role without Leases, or an API without coordination.k8s.io: the lock file still keeps this machine's runs apart.
		if (error instanceof ClusterError && (error.status === 403 || error.status === 404)) {
			return {
				unavailable:
					error.status === 403
						? 'the Role does not allow leases (coordination.k8s.io: get, create, update, delete)'
						: 'this API server has no coordination.k8s.io Leases',
			};
		}

		throw error;
	}
}

export async function lockRelease(cluster: Cluster, request: LockRequest): Promise<ReleaseLock> {
	const folder = await ensureStateDir(request.root, 'locks');
	const file = path.join(folder, `${cluster.context.replaceAll(/[^\w.-]/g, '_')}__${request.namespace}__${request.release}.lock`);
	const deadline = Date.now() + request.timeoutMs;
	let told = false;
	for (;;) {
		const local = await takeLockFile(file, request.command);
		const taken = local ? undefined : await takeLease(cluster, request);
		const remote = taken && 'unavailable' in taken ? undefined : taken;
		if (!local && !remote) {
			return {ok: true, release: holding(cluster, request, file), machineOnly: taken && 'unavailable' in taken ? taken.unavailable : undefined};
		}

		if (!local) {
			await dropLockFile(file);
		}

		const holder = (local ?? remote)!;
		const where: LockPlace = local ? 'this machine' : 'the cluster';
		if (Date.now() >= deadline || request.signal?.aborted) {
			return {ok: false, holder, where, cancelled: request.signal?.aborted ?? false};
		}

		if (!told) {
			told = true;
			request.onWaiting?.(holder, where);
		}

		await new Promise(resolve => setTimeout(resolve, pollMs));
	}
}

/** Renews the Lease while the run writes; what the returned function calls gives both locks back. */
function holding(cluster: Cluster, request: LockRequest, file: string): () => Promise<void> {
	const name = leaseName(request.release);
	const renew = setInterval(() => {
		void (async () => {
			const held = await cluster.readLease(name);
			if (held?.spec.holderIdentity === identity()) {
				await cluster.replaceLease({...held, spec: {...held.spec, renewTime: new Date().toISOString()}});
			}
		})().catch(() => undefined);
	}, renewEveryMs);
	renew.unref();
	return async () => {
		clearInterval(renew);
		const held = await cluster.readLease(name).catch(() => undefined);
		if (held?.spec.holderIdentity === identity()) {
			await cluster.deleteLease(name).catch(() => undefined);
		}

		await dropLockFile(file);
	};
}
