// Real captured pods and events from test/fixtures/captured/k8s, as the objects the code reads.
import {readFileSync} from 'node:fs';
import type {V1ContainerState, V1Pod} from '@kubernetes/client-node';
import {load} from 'js-yaml';
import type {PodEvent} from '../../source/diagnose/pod.js';
import {capturedFixture} from './paths.js';

/** is-healthy's fixtures write "@now-5m" for five minutes before the test's clock. */
const relativeTimes = (text: string, now: Date) =>
	text.replaceAll(/@now-(\d+)([smh])/g, (_match, amount: string, unit: string) =>
		new Date(now.getTime() - Number(amount) * {s: 1000, m: 60_000, h: 3_600_000}[unit as 's' | 'm' | 'h']).toISOString(),
	);

export function capturedPod(name: string, now = new Date()): V1Pod {
	if (name.endsWith('.yaml')) {
		return load(relativeTimes(readFileSync(capturedFixture('k8s', 'pods-yaml', name), 'utf8'), now)) as V1Pod;
	}

	return JSON.parse(readFileSync(capturedFixture('k8s', 'pods', `k8rs-kind-v1.36.1-${name}.json`), 'utf8')) as V1Pod;
}

/**
 * A pod from a captured file under test/fixtures/captured: a pod (JSON or YAML), or a container's
 * state alone (*.state.json, as jq prints .status.containerStatuses[].state), put in a pod of one container.
 */
export function podFromFixture(file: string, now = new Date()): V1Pod {
	const text = relativeTimes(readFileSync(capturedFixture(file), 'utf8'), now);
	if (file.endsWith('.state.json')) {
		const state = JSON.parse(text) as V1ContainerState;
		return {
			metadata: {name: 'captured'},
			spec: {containers: [{name: 'app', image: 'app:1'}]},
			status: {phase: 'Pending', containerStatuses: [{name: 'app', image: 'app:1', imageID: '', ready: false, restartCount: 0, state}]},
		};
	}

	return (file.endsWith('.yaml') ? load(text) : JSON.parse(text)) as V1Pod;
}

/**
 * The "Events:" table of kubectl describe: Type, Reason, Age ("86s (x25710 over 2d23h)"), From, Message.
 * Data rows are not aligned to the header, so the message is what follows the source ("kubelet, node"
 * or "default-scheduler") and two spaces.
 */
export function describedEvents(file: string): PodEvent[] {
	return (
		readFileSync(capturedFixture('k8s', 'events', file), 'utf8')
			.split('\n')
			// Notes that quote the table as comments ("# Warning …") are read past the "#".
			.map(line => line.replace(/^#\s?/, ''))
			.flatMap(line => {
				const match = /^\s*(Normal|Warning)\s+(\S+)\s+(.*?)\s{2,}(kubelet(?:, \S+)?|default-scheduler|[\w-]+-controller)\s{2,}(.*)$/.exec(line);
				if (!match) {
					return [];
				}

				const [, type, reason, age = '', , message = ''] = match;
				return [{type, reason, count: Number(/\(x(\d+) over/.exec(age)?.[1] ?? 1), message: message.trim()}];
			})
	);
}
