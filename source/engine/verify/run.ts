// verify: reach the backend from this machine, call the health paths the app serves, learn its API
// from its OpenAPI document, run the smoke test as a user would (signed up and logged in when the
// API wants it), check that the frontend reaches the backend, then the load check on an
// authenticated read of the todo list. Each step records what it saw, nothing more.
import {call, callForData, loadCheck, type Answer, type SmokeStep} from '../../adapters/app.js';
import type {System} from '../../adapters/system.js';
import type {ClusterTarget} from '../cluster-target.js';
import {fullnameOf} from '../deploy/names.js';
import type {FlowAction} from '../flow/actions.js';
import {flowSteps, stepList} from '../flow/steps.js';
import type {FlowState} from '../flow/reducer.js';
import type {FailureClass} from '../outcome.js';
import type {Store} from '../store.js';
import {planFromOpenApi, type ApiPlan} from './openapi.js';
import {reachService, type Reached} from './reach.js';
import {plainPlan, runSmoke, type SmokeResult} from './smoke.js';
import {describeLoad, latencyChart, summarizeLoad, type LoadSummary} from './stats.js';

export const verifySteps = stepList({
	reach: 'Reach the backend',
	api: "Learn the app's API",
	health: 'Health endpoints',
	smoke: 'Smoke test (todo API)',
	frontend: 'Frontend reaches the backend',
	load: 'Load check',
});

export type FrontendTarget = {
	readonly servicePort: number;
	readonly health: readonly string[];
	/** The frontend's own routes that reach the backend. */
	readonly proxies: readonly string[];
	/** How the frontend finds the backend, for a failure's message ("NEXT_PUBLIC_API_BASE_URL, baked in at build time"). */
	readonly addressHint: string | undefined;
};

export type VerifyRequest = {
	readonly url: string | undefined;
	/** The release's namespace (also when an address is given). */
	readonly namespace: string;
	readonly release: string;
	/** The cluster (minikube's service URL is tried before a port-forward); undefined only with --url. */
	readonly cluster: ClusterTarget | undefined;
	readonly servicePort: number;
	/** The todo collection (--api); undefined: found in the OpenAPI document. */
	readonly api: string | undefined;
	/** Where the OpenAPI document is (--openapi): a file here, or a path on the backend; default /openapi.json. */
	readonly openapi: string | undefined;
	/** A token for the API (--token-env), and the variable it came from. */
	readonly token: {readonly value: string; readonly from: string} | undefined;
	/** The health paths the code serves (the contract); default /health and /ready. */
	readonly healthPaths: readonly string[];
	readonly frontend: FrontendTarget | undefined;
	/** What the load check reads (--load-path); undefined: the todo list, as a signed-in user. */
	readonly loadPath: string | undefined;
	readonly users: number;
	readonly durationMs: number;
	readonly targetP95Ms: number;
	readonly load: boolean;
	/** A passing load check of exactly this deployment, from an earlier run: shown, not run again. */
	readonly reuseLoad?: {readonly summary: LoadSummary; readonly at: string} | undefined;
	readonly random: () => string;
	readonly signal?: AbortSignal | undefined;
};

export type VerifyResult = {
	readonly url: string | undefined;
	readonly via: string | undefined;
	readonly health: readonly Answer[];
	/** Where the API was learnt, and how the test signed in. */
	readonly api: {readonly from: string; readonly collection: string; readonly auth: string} | undefined;
	readonly smoke: readonly SmokeStep[];
	/** What the smoke test left behind. */
	readonly remains: readonly string[];
	readonly frontend: readonly Answer[];
	readonly load: LoadSummary | undefined;
	readonly passed: boolean;
	/** Not reached is the cluster's or the tools' fault; reached but wrong is the app's. */
	readonly failure: FailureClass | undefined;
};

const answerLine = (answer: Answer) =>
	`${answer.method} ${answer.path} → ${answer.status ?? answer.error ?? '?'} in ${Math.round(answer.ms)} ms${answer.body ? `: ${answer.body}` : ''}`;

const flagsHelp = '--api PATH (the todo collection), --openapi PATH (the API document: a file, or a path on the backend), --token-env NAME (a token)';

/** The plan of the API: from its document (--openapi, else /openapi.json), or --api; what was tried when neither. */
async function learnApi(system: System, base: string, request: VerifyRequest): Promise<{plan: ApiPlan | undefined; from: string; tried: string[]}> {
	const tried: string[] = [];
	const where = request.openapi ?? '/openapi.json';
	const local = request.openapi ? await system.readFile(request.openapi) : undefined;
	let document: unknown;
	if (local === undefined) {
		const fetched = await callForData(base, 'GET', where.startsWith('/') ? where : `/${where}`);
		document = fetched.answer.status === 200 ? fetched.data : undefined;
		if (document === undefined) {
			tried.push(`GET ${where} → ${fetched.answer.status ?? fetched.answer.error ?? '?'}`);
		}
	} else {
		try {
			document = JSON.parse(local) as unknown;
		} catch (error) {
			tried.push(`${where} is not JSON (${error instanceof Error ? error.message : String(error)})`);
		}
	}

	if (document !== undefined) {
		const found = planFromOpenApi(document);
		const plan = found.plan;
		if (plan && (!request.api || plan.collection.replace(/\/$/, '') === request.api.replace(/\/$/, ''))) {
			return {plan, from: `${local === undefined ? `GET ${where}` : where} (OpenAPI)`, tried};
		}

		if (request.api) {
			// The document does not have it as a collection: the path as given, with the document's log-in.
			return {plan: {...plainPlan(request.api), auth: plan?.auth, health: plan?.health ?? []}, from: `--api ${request.api}`, tried};
		}

		tried.push(...found.tried.map(line => `${where}: ${line}`));
		return {plan: undefined, from: '', tried};
	}

	if (request.api) {
		return {plan: plainPlan(request.api), from: `--api ${request.api}`, tried};
	}

	return {plan: undefined, from: '', tried};
}

export async function runVerify(system: System, flow: Store<FlowState, FlowAction>, request: VerifyRequest): Promise<VerifyResult> {
	const {set: step, begin} = flowSteps(flow);
	const skipFrom = (id: string, reason: string) => {
		for (const later of verifySteps.slice(verifySteps.findIndex(item => item.id === id))) {
			step(later.id, {type: 'skipped', reason});
		}
	};

	const result = (fields: Partial<VerifyResult>): VerifyResult => ({
		url: undefined,
		via: undefined,
		health: [],
		api: undefined,
		smoke: [],
		remains: [],
		frontend: [],
		load: undefined,
		passed: false,
		failure: request.signal?.aborted ? 'cancelled' : 'verify',
		...fields,
	});
	const fullname = fullnameOf(request.release);
	const service = `${fullname}-backend`;
	const reachStep = begin('reach', request.url ?? `service ${service} in ${request.namespace}`);
	let backend: Reached;
	try {
		backend = await reachService(system, {...request, service, port: request.servicePort});
	} catch (error) {
		reachStep.failed(
			`The backend could not be reached: ${error instanceof Error ? error.message : String(error)}`,
			`Is it deployed? todo-deploy status -n ${request.namespace}. Or give its address: todo-deploy verify --url http://HOST:PORT`,
		);
		skipFrom('api', 'the backend was not reached');
		return result({failure: request.signal?.aborted ? 'cancelled' : 'environment'});
	}

	const reached: Reached[] = [backend];
	try {
		const base = backend.url;
		// Does anything answer there at all? Within a short deadline, so a hung backend is said now.
		const first = await call(base, 'GET', request.healthPaths[0] ?? '/', undefined, {timeoutMs: 5000});
		if (first.status === undefined) {
			reachStep.failed(
				`${base} (${backend.via}) ${/^no answer within/.test(first.error ?? '') ? `did not answer within 5 s: it accepts connections but does not reply` : `could not be reached: ${first.error ?? ''}`}`,
				request.url
					? 'Is the backend running at that address? todo-deploy status shows its pod and logs.'
					: `The backend pod may be hung or restarting: todo-deploy status -n ${request.namespace} shows it and its logs.`,
			);
			skipFrom('api', 'the backend did not answer');
			return result({url: base, via: backend.via, health: [first]});
		}

		reachStep.done(`${base} (${backend.via})`);

		// The API's document first: it may name health paths the code did not make plain.
		const apiStep = begin('api', request.api ?? request.openapi ?? 'GET /openapi.json');
		const learnt = await learnApi(system, base, request);
		const plan = learnt.plan ?? plainPlan('/api/todos');
		if (learnt.plan) {
			apiStep.done(
				`${learnt.from}: the todos at ${plan.collection} (create ${plan.create.codes.join('/')}${plan.update ? `, ${plan.update.method} to update` : ''})${plan.auth ? `; sign-in: ${plan.auth.from}` : ''}`,
			);
		} else {
			apiStep.done(`no API document (${learnt.tried.join('; ') || 'none found'}): trying todo-deploy's default, ${plan.collection}`);
		}

		const healthPaths = [...new Set([...request.healthPaths, ...plan.health])];
		const paths = healthPaths.length > 0 ? healthPaths : ['/health', '/ready'];
		const healthStep = begin('health', paths.map(path => `GET ${path}`).join(', '));
		const answers = await Promise.all(paths.map(async path => call(base, 'GET', path)));
		const healthy = answers.every(answer => answer.status === 200);
		if (healthy) {
			healthStep.done(answers.map(answer => `${answer.path} ${answer.status ?? '?'}`).join(', '));
		} else {
			const bad = answers.find(answer => answer.status !== 200);
			healthStep.failed(
				`${bad?.path ?? ''} answered ${bad?.status ?? bad?.error ?? '?'}${bad?.body ? `: ${bad.body}` : ''}`,
				/ready/.test(bad?.path ?? '')
					? 'The backend runs but is not ready: the body says what it waits for (usually the database; check the postgresql pod with todo-deploy status).'
					: 'The backend does not answer its health check: todo-deploy status shows its pod and logs.',
				answers.map(answer => answerLine(answer)),
			);
		}

		const smokeStep = begin('smoke', `create, list, update, delete on ${plan.collection}`);
		const smoke: SmokeResult = await runSmoke(base, plan, {token: request.token?.value, random: request.random});
		if (smoke.ok) {
			smokeStep.done(`${smoke.steps.map(entry => `${entry.name} ${entry.status ?? '?'}`).join(', ')}; auth: ${smoke.auth}`);
		} else {
			const bad = smoke.steps.find(entry => !entry.ok);
			smokeStep.failed(
				`${bad?.name ?? 'create'} failed: expected ${bad?.expected ?? ''}, got ${bad?.status ?? bad?.error ?? '?'}${bad?.body ? `: ${bad.body}` : ''}`,
				learnt.plan
					? bad?.name === 'sign in' || bad?.name === 'log in' || bad?.name === 'sign up'
						? `The API wants a signed-in user and the test could not get one (${smoke.auth}). Give a token: --token-env NAME.`
						: learnt.from.startsWith('--api')
							? `The todo API at ${plan.collection} (as --api names it) did not behave; the requests are below. If it lives elsewhere: --api PATH, or --openapi PATH for its document.`
							: `The API did not behave as its document says (${learnt.from}); the requests are listed below.`
					: `Tried ${learnt.tried.join('; ') || 'no API document'}, then todo-deploy's default ${plan.collection}. Say where the API is: ${flagsHelp}.`,
				smoke.steps.map(entry => answerLine(entry)),
			);
		}

		for (const remain of smoke.remains) {
			flow.dispatch({type: 'flow/note', text: `The smoke test left ${remain}.`});
		}

		const auth = smoke.token ? {authorization: `Bearer ${smoke.token}`} : undefined;
		const frontend = await checkFrontend(system, flow, request, fullname, auth, reached);

		let load: LoadSummary | undefined;
		const loadPath = request.loadPath ?? plan.list.path;
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
			load = await measureLoad(flow, request, base, loadPath, auth);
		}

		const passed = healthy && smoke.ok && frontend.ok && (load?.passed ?? !request.load);
		return result({
			url: base,
			via: backend.via,
			health: answers,
			api: {from: learnt.plan ? learnt.from : `todo-deploy's default (${learnt.tried.join('; ')})`, collection: plan.collection, auth: smoke.auth},
			smoke: smoke.steps,
			remains: smoke.remains,
			frontend: frontend.answers,
			load,
			passed,
			failure: request.signal?.aborted ? 'cancelled' : passed ? undefined : 'verify',
		});
	} finally {
		for (const item of reached) {
			item.stop();
		}
	}
}

/** The frontend's health, and one of its routes that reaches the backend, as a signed-in user. */
async function checkFrontend(
	system: System,
	flow: Store<FlowState, FlowAction>,
	request: VerifyRequest,
	fullname: string,
	auth: Readonly<Record<string, string>> | undefined,
	reached: Reached[],
): Promise<{ok: boolean; answers: Answer[]}> {
	const {set: step, begin} = flowSteps(flow);
	const target = request.frontend;
	if (!target || request.url || (target.health.length === 0 && target.proxies.length === 0)) {
		step('frontend', {
			type: 'skipped',
			reason: !target
				? 'no frontend in this project'
				: request.url
					? 'the backend was given with --url'
					: "the frontend's code defines no health route and no route to the backend: nothing to check it by",
		});
		return {ok: true, answers: []};
	}

	const service = `${fullname}-frontend`;
	const frontendStep = begin('frontend', `service ${service}: ${[...target.health, ...target.proxies.slice(0, 1)].map(path => `GET ${path}`).join(', ')}`);
	let frontend: Reached;
	try {
		frontend = await reachService(system, {...request, url: undefined, service, port: target.servicePort});
		reached.push(frontend);
	} catch (error) {
		frontendStep.failed(
			`The frontend could not be reached: ${error instanceof Error ? error.message : String(error)}`,
			`todo-deploy status -n ${request.namespace}`,
		);
		return {ok: false, answers: []};
	}

	const health = await Promise.all(target.health.map(async path => call(frontend.url, 'GET', path)));
	const proxy = target.proxies[0];
	const through = proxy ? await call(frontend.url, 'GET', proxy, undefined, {headers: auth ?? {}}) : undefined;
	const answers = [...health, ...(through ? [through] : [])];
	const badHealth = health.find(answer => answer.status !== 200);
	const badProxy = through && (through.status === undefined || through.status >= 500 || (auth !== undefined && through.status >= 400));
	if (badHealth) {
		frontendStep.failed(
			`The frontend's ${badHealth.path} answered ${badHealth.status ?? badHealth.error ?? '?'}`,
			'todo-deploy status shows the frontend pod and its logs.',
			answers.map(answer => answerLine(answer)),
		);
		return {ok: false, answers};
	}

	if (through && badProxy) {
		frontendStep.failed(
			`GET ${through.path} through the frontend answered ${through.status ?? through.error ?? '?'}${through.body ? `: ${through.body}` : ''}: the frontend does not reach the backend`,
			`The frontend finds the backend by ${target.addressHint ?? 'an address in its settings'}; it must be the backend's Service, http://${fullname}-backend:${request.servicePort}. todo-deploy discover shows what the project sets, and todo-deploy.json overrides it.`,
			answers.map(answer => answerLine(answer)),
		);
		return {ok: false, answers};
	}

	frontendStep.done(
		`${answers.map(answer => `${answer.path} ${answer.status ?? '?'}`).join(', ')}${through ? '' : ' (no route of the frontend that reaches the backend was found: only its health was checked)'}`,
	);
	return {ok: true, answers};
}

async function measureLoad(
	flow: Store<FlowState, FlowAction>,
	request: VerifyRequest,
	base: string,
	path: string,
	headers: Readonly<Record<string, string>> | undefined,
): Promise<LoadSummary> {
	const {set: step, begin} = flowSteps(flow);
	const as = headers ? ' as the signed-in test user' : '';
	const loadStep = begin('load', `${request.users} users on GET ${path}${as} for ${Math.round(request.durationMs / 1000)} s`);
	const raw = await loadCheck(base, path, {
		users: request.users,
		durationMs: request.durationMs,
		headers,
		signal: request.signal,
		onProgress: progress =>
			step('load', {
				type: 'running',
				detail: `${request.users} users on GET ${path}: ${Math.round(progress.elapsedMs / 1000)}/${Math.round(request.durationMs / 1000)} s, ${progress.requests} requests, ${progress.errors} errors`,
				startedAt: loadStep.startedAt,
			}),
	});
	const load = summarizeLoad(raw.samples, raw.count, {
		users: request.users,
		durationMs: raw.durationMs,
		errors: raw.errors,
		errorKinds: raw.errorKinds,
		targetP95Ms: request.targetP95Ms,
	});
	const chart = latencyChart(load);
	if (load.passed) {
		loadStep.done(`${describeLoad(load)} on GET ${path}${as}; p95 under the ${request.targetP95Ms} ms target`);
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

	return load;
}
