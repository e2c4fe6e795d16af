// verify: reach the backend from this machine, call its health endpoints, run the todo smoke test,
// then the load check against the p95 target. Each step records what it saw, nothing more.
import {call, loadCheck, smokeTest, type Answer, type SmokeStep} from '../../adapters/app.js';
import {minikubeServiceUrl, portForward, type Forward} from '../../adapters/port-forward.js';
import type {System} from '../../adapters/system.js';
import {fullnameOf} from '../deploy/run.js';
import type {FlowAction} from '../flow/actions.js';
import {flowSteps, stepList} from '../flow/steps.js';
import type {FlowState} from '../flow/reducer.js';
import type {FailureClass} from '../outcome.js';
import type {Store} from '../store.js';
import {describeLoad, latencyChart, summarizeLoad, type LoadSummary} from './stats.js';

export const verifySteps = stepList({reach: 'Reach the backend', health: 'Health endpoints', smoke: 'Smoke test (todo API)', load: 'Load check'});

export type VerifyRequest = {
	readonly url: string | undefined;
	readonly namespace: string;
	readonly release: string;
	readonly context: string | undefined;
	/** The minikube profile, when the context is one: its service URL is tried before a port-forward. */
	readonly minikubeProfile: string | undefined;
	readonly servicePort: number;
	readonly api: string;
	readonly loadPath: string;
	readonly users: number;
	readonly durationMs: number;
	readonly targetP95Ms: number;
	readonly load: boolean;
	/** A passing load check of exactly this deployment, from an earlier run: shown, not run again. */
	readonly reuseLoad?: {readonly summary: LoadSummary; readonly at: string} | undefined;
	readonly signal?: AbortSignal | undefined;
};

export type VerifyResult = {
	readonly url: string | undefined;
	readonly via: string | undefined;
	readonly health: readonly Answer[];
	readonly smoke: readonly SmokeStep[];
	readonly load: LoadSummary | undefined;
	readonly passed: boolean;
	/** Not reached is the cluster's or the tools' fault; reached but wrong is the app's. */
	readonly failure: FailureClass | undefined;
};

const answerLine = (answer: Answer) =>
	`${answer.method} ${answer.path} → ${answer.status ?? answer.error ?? '?'} in ${Math.round(answer.ms)} ms${answer.body ? `: ${answer.body}` : ''}`;

export async function runVerify(system: System, flow: Store<FlowState, FlowAction>, request: VerifyRequest): Promise<VerifyResult> {
	const {set: step, begin} = flowSteps(flow);

	const skipFrom = (index: number, reason: string) => {
		for (const later of verifySteps.slice(index)) {
			step(later.id, {type: 'skipped', reason});
		}
	};

	const service = `${fullnameOf(request.release)}-backend`;
	const reach = begin('reach', request.url ?? `service ${service} in ${request.namespace}`);
	let base = request.url;
	let via = request.url ? '--url' : undefined;
	let forward: Forward | undefined;
	try {
		if (!base && request.minikubeProfile) {
			base = await minikubeServiceUrl(system, {profile: request.minikubeProfile, namespace: request.namespace, service});
			via = base ? `minikube service ${service} --url` : undefined;
		}

		if (!base) {
			forward = await portForward(system, {
				namespace: request.namespace,
				target: `service/${service}`,
				port: request.servicePort,
				context: request.context,
				timeoutMs: 20_000,
			});
			base = forward.url;
			via = `kubectl port-forward service/${service}`;
		}
	} catch (error) {
		reach.failed(
			`The backend could not be reached: ${error instanceof Error ? error.message : String(error)}`,
			`Is it deployed? todo-deploy status -n ${request.namespace}. Or give its address: todo-deploy verify --url http://HOST:PORT`,
		);
		skipFrom(1, 'the backend was not reached');
		return {
			url: undefined,
			via: undefined,
			health: [],
			smoke: [],
			load: undefined,
			passed: false,
			failure: request.signal?.aborted ? 'cancelled' : 'environment',
		};
	}

	try {
		reach.done(`${base} (${via ?? ''})`);
		const health = begin('health', 'GET /health, GET /ready');
		const answers = [await call(base, 'GET', '/health'), await call(base, 'GET', '/ready')];
		const healthy = answers.every(answer => answer.status === 200);
		if (healthy) {
			health.done(answers.map(answer => `${answer.path} ${answer.status ?? '?'}`).join(', '));
		} else {
			const bad = answers.find(answer => answer.status !== 200);
			health.failed(
				`${bad?.path ?? ''} answered ${bad?.status ?? bad?.error ?? '?'}${bad?.body ? `: ${bad.body}` : ''}`,
				bad?.path === '/ready'
					? 'The backend runs but is not ready: the body says what it waits for (usually the database; check the postgresql pod with todo-deploy status).'
					: 'The backend does not answer its health check: todo-deploy status shows its pod and logs.',
				answers.map(answer => answerLine(answer)),
			);
		}

		const smoke = begin('smoke', `create, list, update, delete on ${request.api}`);
		const steps = await smokeTest(base, request.api);
		const smokeOk = steps.length === 5 && steps.every(entry => entry.ok);
		if (smokeOk) {
			smoke.done(steps.map(entry => `${entry.name} ${entry.status ?? '?'} (${Math.round(entry.ms)} ms)`).join(', '));
		} else {
			const bad = steps.find(entry => !entry.ok);
			smoke.failed(
				`${bad?.name ?? 'create'} failed: expected ${bad?.expected ?? ''}, got ${bad?.status ?? bad?.error ?? '?'}${bad?.body ? `: ${bad.body}` : ''}`,
				`The todo API at ${request.api} did not behave; if it lives elsewhere, name it: --api /api/tasks`,
				steps.map(entry => answerLine(entry)),
			);
		}

		let load: LoadSummary | undefined;
		if (!request.load) {
			step('load', {type: 'skipped', reason: 'not asked for (--no-load)'});
		} else if (request.reuseLoad) {
			load = request.reuseLoad.summary;
			step('load', {
				type: 'done',
				summary: `${describeLoad(load)} (measured ${request.reuseLoad.at}; nothing was deployed since, so not measured again)`,
				durationMs: 0,
			});
		} else {
			const loadStep = begin('load', `${request.users} users on GET ${request.loadPath} for ${Math.round(request.durationMs / 1000)} s`);
			const raw = await loadCheck(base, request.loadPath, {
				users: request.users,
				durationMs: request.durationMs,
				signal: request.signal,
				onProgress: progress =>
					step('load', {
						type: 'running',
						detail: `${request.users} users on GET ${request.loadPath}: ${Math.round(progress.elapsedMs / 1000)}/${Math.round(request.durationMs / 1000)} s, ${progress.requests} requests, ${progress.errors} errors`,
						startedAt: loadStep.startedAt,
					}),
			});
			load = summarizeLoad(raw.samples, raw.count, {
				users: request.users,
				durationMs: raw.durationMs,
				errors: raw.errors,
				errorKinds: raw.errorKinds,
				targetP95Ms: request.targetP95Ms,
			});
			const chart = latencyChart(load);
			if (load.passed) {
				loadStep.done(`${describeLoad(load)}; p95 under the ${request.targetP95Ms} ms target`);
				flow.dispatch({type: 'flow/note', text: `Latency of ${load.requests} requests:\n${chart.join('\n')}`});
			} else {
				const why =
					load.p95 >= request.targetP95Ms
						? `p95 ${Math.round(load.p95)} ms is over the ${request.targetP95Ms} ms target`
						: `${load.errors} of ${load.requests} requests failed (${Object.entries(load.errorKinds)
								.map(([kind, count]) => `${count} ${kind}`)
								.join(', ')})`;
				loadStep.failed(
					`${describeLoad(load)}: ${why}`,
					load.p95 >= request.targetP95Ms
						? 'More backend replicas (--set backend.replicas=3), more CPU for the backend, or a faster endpoint; todo-deploy status shows whether the pods are throttled or restarting.'
						: 'The errors say what failed; todo-deploy status shows the backend pods and their logs.',
					chart,
				);
			}
		}

		const passed = healthy && smokeOk && (load?.passed ?? !request.load);
		return {url: base, via, health: answers, smoke: steps, load, passed, failure: request.signal?.aborted ? 'cancelled' : passed ? undefined : 'verify'};
	} finally {
		forward?.stop();
	}
}
