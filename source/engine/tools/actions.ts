// What installing a tool dispatches: checking, downloading, verifying, installing, done or failed.
import type {ToolName} from '../doctor/types.js';

export type ToolInstallStatus =
	| {readonly type: 'pending'}
	| {readonly type: 'checking'}
	| {readonly type: 'downloading'; readonly received: number; readonly total: number | undefined; readonly bytesPerSecond: number; readonly attempt: number}
	| {readonly type: 'retrying'; readonly attempt: number; readonly delayMs: number; readonly reason: string}
	| {readonly type: 'verifying'}
	| {readonly type: 'installing'}
	| {
			readonly type: 'done';
			readonly outcome: 'installed' | 'already-installed' | 'found-elsewhere';
			readonly version: string | undefined;
			readonly path: string;
			readonly note: string | undefined;
	  }
	| {readonly type: 'failed'; readonly message: string; readonly fix: string | undefined; readonly failure: 'environment' | 'fix-first'};

export type InstallAction =
	| {
			readonly type: 'install/started';
			readonly tools: readonly ToolName[];
			readonly dir: string;
			readonly versions: Readonly<Partial<Record<ToolName, string>>>;
	  }
	| {readonly type: 'install/status'; readonly tool: ToolName; readonly status: ToolInstallStatus}
	| {readonly type: 'install/finished'; readonly durationMs: number; readonly cancelled: boolean};
