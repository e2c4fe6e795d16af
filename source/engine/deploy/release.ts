// The release as Helm knows it, before deploy changes anything: its last state, and a release stuck
// in pending-* (an interrupted helm) named, or cleared when --recover asks for it.
import {isPending, releaseHistory, releaseState, runHelm, type HelmTarget, type ReleaseState} from '../../adapters/helm.js';
import type {System} from '../../adapters/system.js';
import {messageOf} from '../errors.js';

export type ReleaseCheck =
	| {readonly ok: true; readonly state: ReleaseState | undefined; readonly note: string | undefined}
	| {readonly ok: false; readonly message: string; readonly fix: string | undefined; readonly failure: 'deploy' | 'environment'};

export async function checkRelease(
	system: System,
	helm: string,
	target: HelmTarget,
	request: {readonly release: string; readonly recover: boolean},
): Promise<ReleaseCheck> {
	let state: ReleaseState | undefined;
	try {
		const history = await releaseHistory(system, helm, request.release, target);
		state = history ? releaseState(history) : undefined;
	} catch (error) {
		return {ok: false, message: messageOf(error), fix: 'todo-deploy doctor checks the cluster.', failure: 'deploy'};
	}

	if (!state || !isPending(state.status)) {
		return {ok: true, state, note: undefined};
	}

	if (!request.recover) {
		return {
			ok: false,
			message: `The release "${request.release}" is stuck in ${state.status} (revision ${state.revision}): an earlier helm run was interrupted, and helm refuses with "another operation (install/upgrade/rollback) is in progress".`,
			fix: `todo-deploy deploy --recover ${state.lastDeployed ? `rolls back to revision ${state.lastDeployed}` : 'removes the unfinished first install'}, then deploys.`,
			failure: 'deploy',
		};
	}

	const recovery = state.lastDeployed
		? await runHelm(system, helm, ['rollback', request.release, String(state.lastDeployed)], target, 5 * 60_000)
		: await runHelm(system, helm, ['uninstall', request.release], target, 5 * 60_000);
	if (recovery.exitCode !== 0) {
		return {ok: false, message: `Recovering the release failed: ${(recovery.stderr || recovery.stdout).trim()}`, fix: undefined, failure: 'deploy'};
	}

	return {
		ok: true,
		state: state.lastDeployed ? {status: 'deployed', revision: state.revision + 1, lastDeployed: state.lastDeployed} : undefined,
		note: state.lastDeployed
			? `The release was stuck in ${state.status}; rolled back to revision ${state.lastDeployed} first.`
			: `The first install was stuck in ${state.status}; removed it first.`,
	};
}
