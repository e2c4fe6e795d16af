// `kubectl port-forward`: a Service reached from this machine through the API server, on a free
// local port, for as long as verify needs it.
import {spawn} from 'node:child_process';
import type {System} from './system.js';

export type Forward = {readonly url: string; stop(): void};

/** `target` is what kubectl names: service/NAME or pod/NAME. */
export async function portForward(system: System, options: {namespace: string; target: string; port: number; context: string | undefined; timeoutMs: number}): Promise<Forward> {
	const kubectl = await system.which('kubectl');
	if (!kubectl) {
		throw new Error('kubectl is not installed (npx todo-deploy install kubectl)');
	}

	const child = spawn(kubectl, ['port-forward', '--namespace', options.namespace, options.target, `:${options.port}`, '--address', '127.0.0.1', ...(options.context ? ['--context', options.context] : [])], {env: system.env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe']});
	let output = '';
	return new Promise<Forward>((resolve, reject) => {
		const timer = setTimeout(() => {
			child.kill();
			reject(new Error(`kubectl port-forward did not start within ${options.timeoutMs / 1000} s${output ? `: ${output.trim().split('\n').at(-1) ?? ''}` : ''}`));
		}, options.timeoutMs);
		const onData = (chunk: Buffer) => {
			output += chunk.toString();
			const port = /Forwarding from 127\.0\.0\.1:(\d+)/.exec(output)?.[1];
			if (port) {
				clearTimeout(timer);
				resolve({url: `http://127.0.0.1:${port}`, stop: () => child.kill()});
			}
		};

		child.stdout.on('data', onData);
		child.stderr.on('data', onData);
		child.on('exit', code => {
			clearTimeout(timer);
			reject(new Error(`kubectl port-forward ended (exit ${String(code)}): ${output.trim().split('\n').at(-1) ?? ''}`));
		});
	});
}

/** `minikube service NAME --url`: the NodePort URL minikube prints (the first one). */
export async function minikubeServiceUrl(system: System, options: {profile: string; namespace: string; service: string}): Promise<string | undefined> {
	const minikube = await system.which('minikube');
	if (!minikube) {
		return undefined;
	}

	const result = await system.run(minikube, ['-p', options.profile, 'service', options.service, '--namespace', options.namespace, '--url'], {timeoutMs: 60_000});
	return result.exitCode === 0 ? /https?:\/\/\S+/.exec(result.stdout)?.[0] : undefined;
}
