// `kubectl port-forward`: a Service reached from this machine through the API server, on a free
// local port, for as long as verify needs it.
import type {ClusterTarget} from '../engine/cluster-target.js';
import type {System} from './system.js';

export type Forward = {readonly url: string; stop(): void};

export type ForwardOptions = {
	/** The cluster and namespace: kubectl gets the target's context (and kubeconfig). */
	readonly target: Pick<ClusterTarget, 'kubectlArgs' | 'namespace'>;
	/** What kubectl names: service/NAME or pod/NAME. */
	readonly resource: string;
	readonly port: number;
	/** The local port; undefined: any free one. */
	readonly localPort?: number | undefined;
	readonly timeoutMs: number;
	/** A connection through the tunnel failed (kubectl goes on forwarding): the reason, in kubectl's words. */
	readonly onTrouble?: (message: string) => void;
	/** kubectl stopped on its own after it had started (the pod went away, the API server closed the tunnel). */
	readonly onEnd?: (message: string) => void;
};

const lastLine = (output: string) => output.trim().split('\n').at(-1) ?? '';

/** kubectl's reason for not starting, as something to do. */
function startFailure(output: string, options: ForwardOptions, code: number | null): string {
	const local = options.localPort === undefined ? 'the local port' : `local port ${options.localPort}`;
	if (/address already in use/.test(output)) {
		return `${local} is already in use on this machine: choose another, or leave it empty for any free port`;
	}

	if (/bind: permission denied/.test(output)) {
		return `${local} needs root (ports below 1024 do): choose 1024 or above`;
	}

	return `kubectl port-forward ended (exit ${String(code)}): ${lastLine(output)}`;
}

export async function portForward(system: System, options: ForwardOptions): Promise<Forward> {
	const kubectl = await system.which('kubectl');
	if (!kubectl) {
		throw new Error('kubectl is not installed (npx todo-deploy install kubectl)');
	}

	let output = '';
	let started = false;
	let stopped = false;
	return new Promise<Forward>((resolve, reject) => {
		const child = system.start(
			kubectl,
			[
				'port-forward',
				'--namespace',
				options.target.namespace,
				options.resource,
				`${options.localPort ?? ''}:${options.port}`,
				'--address',
				'127.0.0.1',
				...options.target.kubectlArgs,
			],
			{
				onLine(line) {
					output += `${line}\n`;
					if (!started) {
						const port = /Forwarding from 127\.0\.0\.1:(\d+)/.exec(line)?.[1];
						if (port) {
							started = true;
							clearTimeout(timer);
							resolve({
								url: `http://127.0.0.1:${port}`,
								stop() {
									stopped = true;
									child.stop();
								},
							});
						}

						return;
					}

					// "E1126 ... portforward.go:424] "Unhandled Error" err="an error occurred forwarding 8000 -> 8000: error forwarding port 8000 to pod ..."
					const trouble = /an error occurred forwarding [^:]+: (.*?)"?$/.exec(line)?.[1];
					if (trouble) {
						options.onTrouble?.(trouble.replaceAll(String.raw`\"`, '"'));
					}
				},
			},
		);
		const timer = setTimeout(() => {
			child.stop();
			reject(new Error(`kubectl port-forward did not start within ${options.timeoutMs / 1000} s${output ? `: ${lastLine(output)}` : ''}`));
		}, options.timeoutMs);
		void child.exited.then(result => {
			clearTimeout(timer);
			if (!started) {
				reject(new Error(startFailure(output, options, result.exitCode ?? null)));
			} else if (!stopped) {
				options.onEnd?.(`kubectl port-forward ended (exit ${String(result.exitCode ?? null)}): ${lastLine(output)}`);
			}
		});
	});
}

/** `minikube service NAME --url`: the NodePort URL minikube prints (the first one). */
export async function minikubeServiceUrl(system: System, options: {profile: string; namespace: string; service: string}): Promise<string | undefined> {
	const minikube = await system.which('minikube');
	if (!minikube) {
		return undefined;
	}

	const result = await system.run(minikube, ['-p', options.profile, 'service', options.service, '--namespace', options.namespace, '--url'], {
		timeoutMs: 60_000,
	});
	return result.exitCode === 0 ? /https?:\/\/\S+/.exec(result.stdout)?.[0] : undefined;
}
