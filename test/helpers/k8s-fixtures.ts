// Real captured pods and events from test/fixtures/captured/k8s, as the objects the code reads.
import {readFileSync} from 'node:fs';
import type {V1Pod} from '@kubernetes/client-node';
import {load} from 'js-yaml';
import type {PodEvent} from '../../source/diagnose/pod.js';
import {capturedFixture} from './paths.js';

export function capturedPod(name: string): V1Pod {
	if (name.endsWith('.yaml')) {
		return load(readFileSync(capturedFixture('k8s', 'pods-yaml', name), 'utf8')) as V1Pod;
	}

	return JSON.parse(readFileSync(capturedFixture('k8s', 'pods', `k8rs-kind-v1.36.1-${name}.json`), 'utf8')) as V1Pod;
}

/**
 * The "Events:" table of kubectl describe: Type, Reason, Age ("86s (x25710 over 2d23h)"), From, Message.
 * Data rows are not aligned to the header, so the message is what follows the source ("kubelet, node"
 * or "default-scheduler") and two spaces.
 */
export function describedEvents(file: string): PodEvent[] {
	return readFileSync(capturedFixture('k8s', 'events', file), 'utf8')
		.split('\n')
		.flatMap(line => {
			const match = /^\s*(Normal|Warning)\s+(\S+)\s+(.*?)\s{2,}(kubelet(?:, \S+)?|default-scheduler|[\w-]+-controller)\s{2,}(.*)$/.exec(line);
			if (!match) {
				return [];
			}

			const [, type, reason, age = '', , message = ''] = match;
			return [{type, reason, count: Number(/\(x(\d+) over/.exec(age)?.[1] ?? 1), message: message.trim()}];
		});
}
