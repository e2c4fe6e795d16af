// minikube: version and profiles, read from its JSON output.
import type {MinikubeProfile} from '../engine/doctor/types.js';
import {firstSemver, probeTool, type System, type ToolProbe} from './system.js';

/** `minikube version --output=json` prints {"commit":"…","minikubeVersion":"v1.37.0"}; older text says "minikube version: v1.37.0". */
export function parseMinikubeVersion(output: string): string | undefined {
	const json = /"minikubeVersion"\s*:\s*"(?<version>[^"]+)"/.exec(output);
	return json?.groups?.['version'] ?? firstSemver(output);
}

type ProfileJson = {Name?: unknown; Status?: unknown; Config?: {Driver?: unknown; VMDriver?: unknown} | null};

/**
 * `minikube profile list -o json` prints {"invalid":[…],"valid":[…]} (or {"error":…} with no profiles).
 * Returns undefined when the output is not that shape.
 */
export function parseMinikubeProfiles(output: string): MinikubeProfile[] | undefined {
	const start = output.indexOf('{');
	if (start === -1) {
		return undefined;
	}

	let parsed: unknown;
	try {
		parsed = JSON.parse(output.slice(start));
	} catch {
		return undefined;
	}

	if (typeof parsed !== 'object' || parsed === null) {
		return undefined;
	}

	const record = parsed as {valid?: unknown; invalid?: unknown; error?: unknown};
	if (record.error !== undefined && record.valid === undefined) {
		return [];
	}

	const toProfiles = (list: unknown, invalid: boolean): MinikubeProfile[] =>
		Array.isArray(list)
			? (list as ProfileJson[]).map(profile => {
					const driver = profile.Config?.Driver ?? profile.Config?.VMDriver;
					return {
						name: String(profile.Name ?? '?'),
						status: invalid ? 'Invalid' : String(profile.Status ?? 'Unknown'),
						driver: typeof driver === 'string' && driver !== '' ? driver : undefined,
					};
				})
			: [];
	return [...toProfiles(record.valid, false), ...toProfiles(record.invalid, true)];
}

export async function probeMinikube(
	system: System,
	timeoutMs: number,
): Promise<ToolProbe & {profiles: MinikubeProfile[] | undefined; profileError: string | undefined}> {
	const probe = await probeTool(system, 'minikube', ['version', '--output=json'], parseMinikubeVersion, timeoutMs);
	if (!probe.path) {
		return {...probe, profiles: undefined, profileError: undefined};
	}

	const list = await system.run(probe.path, ['profile', 'list', '--output=json'], {timeoutMs});
	const profiles = parseMinikubeProfiles(list.stdout);
	if (profiles) {
		return {...probe, profiles, profileError: undefined};
	}

	if (/no minikube profile/i.test(`${list.stdout}\n${list.stderr}`)) {
		return {...probe, profiles: [], profileError: undefined};
	}

	return {...probe, profiles: undefined, profileError: list.timedOut ? 'did not answer in time' : (list.stderr || list.stdout).trim().split('\n').at(-1)};
}

/** `minikube docker-env --shell none` prints KEY=VALUE lines (DOCKER_HOST, DOCKER_CERT_PATH, …). */
export function parseDockerEnv(output: string): Record<string, string> | undefined {
	const env: Record<string, string> = {};
	for (const line of output.split('\n')) {
		const match = /^(?<key>DOCKER_[A-Z_]+|MINIKUBE_ACTIVE_DOCKERD)=(?<value>.*)$/.exec(line.trim());
		if (match?.groups) {
			env[match.groups['key'] ?? ''] = (match.groups['value'] ?? '').replace(/^"(.*)"$/, '$1');
		}
	}

	return env['DOCKER_HOST'] ? env : undefined;
}
