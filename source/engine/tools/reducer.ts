// Pure: the install's state from its actions, and the run's outcome.
import type {ToolName} from '../doctor/types.js';
import type {Outcome} from '../outcome.js';
import type {InstallAction, ToolInstallStatus} from './actions.js';
import {setStatusWhere} from '../reduce.js';

export type InstallState = {
	readonly dir: string | undefined;
	readonly tools: ReadonlyArray<{readonly tool: ToolName; readonly version: string | undefined; readonly status: ToolInstallStatus}>;
	readonly phase: {readonly type: 'idle'} | {readonly type: 'running'} | {readonly type: 'done'; readonly durationMs: number; readonly cancelled: boolean};
};

export function initialInstallState(): InstallState {
	return {dir: undefined, tools: [], phase: {type: 'idle'}};
}

export function installReducer(state: InstallState, action: InstallAction): InstallState {
	switch (action.type) {
		case 'install/started': {
			return {dir: action.dir, tools: action.tools.map(tool => ({tool, version: action.versions[tool], status: {type: 'pending'}})), phase: {type: 'running'}};
		}

		case 'install/status': {
			const tools = setStatusWhere(state.tools, entry => entry.tool === action.tool, action.status);
			return tools === state.tools ? state : {...state, tools};
		}

		case 'install/finished': {
			return {...state, phase: {type: 'done', durationMs: action.durationMs, cancelled: action.cancelled}};
		}
	}
}

export function installSucceeded(state: InstallState): boolean {
	return state.tools.length > 0 && state.tools.every(entry => entry.status.type === 'done');
}

/** Every tool installed; else the release server did not answer (environment), or the file or request was wrong. */
export function installOutcome(state: InstallState): Outcome {
	if (state.phase.type === 'done' && state.phase.cancelled) {
		return {failure: 'cancelled'};
	}

	if (installSucceeded(state)) {
		return {failure: undefined};
	}

	const failures = state.tools.flatMap(entry => (entry.status.type === 'failed' ? [entry.status.failure] : []));
	return {failure: failures.includes('environment') ? 'environment' : 'fix-first'};
}
