// The machine a command runs on, as the engine sees it: the system door (files, PATH, processes) with
// todo-deploy's tools folder first on PATH, and the session log that records every command it runs.
import os from 'node:os';
import {openSessionLog, type SessionLog} from '../adapters/session-log.js';
import {createSystem, type Env, type System} from '../adapters/system.js';
import {defaultInstallDir} from './tools/catalog.js';

export type {Env, System} from '../adapters/system.js';
export type {SessionLog} from '../adapters/session-log.js';

export const toolsDir = (env: Env = process.env) => defaultInstallDir(env, os.homedir());

/** The real machine; a signal stops every child process it started, a log records each. */
export function localSystem(
	env: Env,
	options: {readonly signal?: AbortSignal | undefined; readonly log?: SessionLog | undefined; readonly toolsDir?: string | undefined} = {},
): System {
	const log = options.log;
	return createSystem(env, {
		toolsDir: options.toolsDir ?? toolsDir(env),
		...(options.signal ? {signal: options.signal} : {}),
		...(log ? {onRun: record => log.run(record)} : {}),
	});
}

export function sessionLog(root: string, command: string, env: Env): SessionLog {
	return openSessionLog(root, command, env);
}
