// Words and marks shared by the Ink views and the plain renderer.
import path from 'node:path';
import {formatBytes} from '../engine/units.js';

export {formatBytes} from '../engine/units.js';
import {checkIds, type CheckId, type CheckStatus, type RecommendationTarget} from '../engine/doctor/types.js';

export const checkTitles: Readonly<Record<CheckId, string>> = {
	platform: 'Platform',
	docker: 'Docker',
	kvm2: 'KVM2',
	minikube: 'minikube',
	kind: 'kind',
	kubectl: 'kubectl',
	cluster: 'Kubernetes',
	helm: 'Helm',
	trivy: 'Trivy',
};

export const titleWidth = Math.max(...checkIds.map(id => checkTitles[id].length));

export const statusMarks: Readonly<Record<CheckStatus, string>> = {ok: '✔', warn: '⚠', fail: '✖', missing: '○'};

export const targetNames: Readonly<Record<RecommendationTarget, string>> = {
	'existing-context': 'your existing local cluster',
	'minikube-docker': 'minikube with the docker driver',
	kind: 'kind (Kubernetes in Docker)',
	'minikube-kvm2': 'minikube with the kvm2 driver',
};

/** A path under the current folder relative to it, any other as it is. */
export function displayPath(file: string, cwd = process.cwd()): string {
	const relative = path.relative(cwd, file);
	return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

export function formatDuration(ms: number): string {
	return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/**
 * A long `a && b && c` command as one command a line, so a terminal's wrapping never splits
 * a command in the middle; lines already shown (a shared mkdir) are dropped.
 */
export function commandLines(commands: readonly string[]): string[] {
	const lines: string[] = [];
	for (const command of commands) {
		for (const part of command.split(' && ')) {
			if (!lines.includes(part)) {
				lines.push(part);
			}
		}
	}

	return lines;
}

/** "12.3 MB of 20.1 MB, 5.1 MB/s, 2 s left" (what is known of it). */
export function describeTransfer(received: number, total: number | undefined, bytesPerSecond: number): string {
	const parts = [total ? `${formatBytes(received)} of ${formatBytes(total)}` : formatBytes(received)];
	if (bytesPerSecond > 0) {
		parts.push(`${formatBytes(bytesPerSecond)}/s`);
		if (total && total > received) {
			parts.push(`${Math.ceil((total - received) / bytesPerSecond)} s left`);
		}
	}

	return parts.join(', ');
}
