// Install what the path needs and this machine lacks, without sudo, checksum-verified.
import {createStore} from '../../store.js';
import type {InstallAction} from '../../tools/actions.js';
import {runInstall} from '../../tools/install.js';
import {initialInstallState, installReducer, installSucceeded, type InstallState} from '../../tools/reducer.js';
import {defineStage, next, stop} from '../stage.js';

export const installStage = defineStage({
	id: 'install',
	rows: [{id: 'install', title: 'Install missing tools', off: ['install']}],
	reads: ['missing', 'skip'],
	adds: [],
	skip({missing, skip}, base) {
		if (skip.has('install') && missing.some(tool => tool !== 'trivy')) {
			base.flow.dispatch({
				type: 'flow/note',
				text: `Install is switched off, and ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing: the steps that need ${missing.length === 1 ? 'it' : 'them'} will say so.`,
			});
		}

		return skip.has('install') ? 'switched off' : missing.length === 0 ? 'every tool is there' : undefined;
	},
	async run({missing}, base) {
		const {request} = base;
		const install = base.rows.begin('install', `${missing.join(', ')} into ${request.installDir}`);
		const store = createStore<InstallState, InstallAction>(installReducer, initialInstallState());
		store.subscribe(state => {
			install.detail(
				state.tools
					.map(
						entry =>
							`${entry.tool} ${entry.status.type === 'downloading' && entry.status.total ? `${Math.round((entry.status.received / entry.status.total) * 100)}%` : entry.status.type}`,
					)
					.join(', '),
			);
		});
		await runInstall(base.system, store, {
			tools: missing,
			dir: request.installDir,
			mirror: request.mirror,
			force: false,
			idleTimeoutMs: 30_000,
			attempts: 3,
			signal: request.signal,
		});
		if (!installSucceeded(store.getState())) {
			const failed = store.getState().tools.find(entry => entry.status.type === 'failed');
			const status = failed?.status.type === 'failed' ? failed.status : undefined;
			install.failed(`${failed?.tool ?? 'a tool'} could not be installed${status ? `: ${status.message}` : ''}`, status?.fix);
			return stop('install', 'environment', 'a tool is missing');
		}

		install.done(`${missing.join(', ')} installed (checksums verified)`);
		return next({});
	},
});
