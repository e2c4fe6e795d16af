// verify: reach the backend from this machine, call the health paths the app serves, learn its API
// from its OpenAPI document, run the smoke test as a user would (signed up and logged in when the
// API wants it), check that the frontend reaches the backend, then the load check on an
// authenticated read of the todo list. Each step records what it saw, nothing more.
import {call, callForData, loadCheck, type Answer, type SmokeStep} from '../../adapters/app.js';
import type {System} from '../../adapters/system.js';
import type {ClusterTarget} from '../cluster-target.js';
import type {FlowAction} from '../flow/actions.js';
import {flowSteps, stepList} from '../flow/steps.js';
import type {FlowState} from '../flow/reducer.js';
import type {FailureClass} from '../outcome.js';
import type {Store} from '../store.js';
import type {AddressRequest} from '../browser/session.js';
import type {BrowserCheck} from './browser-check.js';
import {checkChatbot, type ChatbotOutcome} from './chatbot.js';
import {checkFrontend} from './frontend.js';
import {planFromOpenApi, type ApiPlan} from './openapi.js';
import {reachService, type Reached} from './reach.js';
import {sideServicesOf} from './services.js';
import {plainPlan, runSmoke, type SmokeResult} from './smoke.js';
import {latencyChart, summarizeLoad, type LoadSummary} from './stats.js';
import type {LearntApi} from './step-summary.js';

export const verifySteps = stepList({
	reach: 'Reach the backend',
	api: "Learn the app's API",
	health: 'Health endpoints',
	smoke: 'Smoke test (todo API)',
	frontend: 'Frontend reaches the backend',
	chatbot: 'Chatbot',
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
	/** Hold the release's browser addresses while verifying, and check the frontend at the one the user gets. */
	readonly addresses?: AddressRequest | undefined;
	/** Whether the chatbot was given its key: 'absent' says why it is not checked; undefined: not known (it is tried). */
	readonly chatbotKey?: 'given' | 'absent' | undefined;
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
	/** The frontend at the address the user opens, as a browser meets it (when verify held the addresses). */
	readonly browser: BrowserCheck | undefined;
	readonly chatbot: ChatbotOutcome;
	readonly load: LoadSummary | undefined;
	readonly passed: boolean;
	/** Not reached is the cluster's or the tools' fault; reached but wrong is the app's. */
	readonly failure: FailureClass | undefined;
};

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
		browser: undefined,
		chatbot: {state: 'not run', why: 'verify did not get that far'},
		load: undefined,
		passed: false,
		failure: request.signal?.aborted ? 'cancelled' : 'verify',
		...fields,
	});
	const services = await sideServicesOf(request.url ? undefined : request.cluster, request.release, {
		backend: request.servicePort,
		frontend: request.frontend?.servicePort,
	});
	const {service} = services.backend;
	const reachStep = begin('reach', {kind: 'verify/reaching', url: request.url, service, namespace: request.namespace});
	let backend: Reached;
	try {
		backend = await reachService(system, {...request, service, port: services.backend.servicePort});
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

		reachStep.done({kind: 'verify/reached', url: base, via: backend.via});

		const {learnt, plan, api, answers, healthy} = await apiAndHealth(system, flow, request, base);

		const smokeStep = begin('smoke', `create, list, update, delete on ${plan.collection}`);
		const smoke: SmokeResult = await runSmoke(base, plan, {token: request.token?.value, random: request.random});
		(smoke.ok ? smokeStep.done : smokeStep.failed)({kind: 'verify/smoke', steps: smoke.steps, auth: smoke.auth, api, flagsHelp});

		for (const remain of smoke.remains) {
			flow.dispatch({type: 'flow/note', text: `The smoke test left ${remain}.`});
		}

		const auth = smoke.token ? {authorization: `Bearer ${smoke.token}`} : undefined;
		const frontend = await checkFrontend(system, flow, request, services, auth, reached, plan.collection);
		const chatbot = await checkChatbot(flow, request, base, plan, auth);

		const load = await loadStep(flow, request, base, request.loadPath ?? plan.list.path, auth);
		const passed = healthy && smoke.ok && frontend.ok && chatbot.state !== 'failed' && (load?.passed ?? !request.load);
		return result({
			url: base,
			via: backend.via,
			health: answers,
			api: {from: learnt.plan ? learnt.from : `todo-deploy's default (${learnt.tried.join('; ')})`, collection: plan.collection, auth: smoke.auth},
			smoke: smoke.steps,
			remains: smoke.remains,
			frontend: frontend.answers,
			browser: frontend.browser,
			chatbot,
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

/** What the API's document says (it may name health paths the code did not make plain), then the health paths' answers. */
async function apiAndHealth(system: System, flow: Store<FlowState, FlowAction>, request: VerifyRequest, base: string) {
	const {begin} = flowSteps(flow);
	const apiStep = begin('api', request.api ?? request.openapi ?? 'GET /openapi.json');
	const learnt = await learnApi(system, base, request);
	const plan = learnt.plan ?? plainPlan('/api/todos');
	const api: LearntApi = {
		from: learnt.from,
		found: learnt.plan !== undefined,
		tried: learnt.tried,
		collection: plan.collection,
		createCodes: plan.create.codes,
		updateMethod: plan.update?.method,
		signIn: plan.auth?.from,
	};
	apiStep.done({kind: 'verify/api', api});

	const healthPaths = [...new Set([...request.healthPaths, ...plan.health])];
	const paths = healthPaths.length > 0 ? healthPaths : ['/health', '/ready'];
	const healthStep = begin('health', paths.map(path => `GET ${path}`).join(', '));
	const answers = await Promise.all(paths.map(async path => call(base, 'GET', path)));
	const healthy = answers.every(answer => answer.status === 200);
	(healthy ? healthStep.done : healthStep.failed)({kind: 'verify/health', answers});

	return {learnt, plan, api, answers, healthy};
}

/** The load check: skipped with --no-load, the same run's figures when given (reuseLoad), else measured. */
async function loadStep(
	flow: Store<FlowState, FlowAction>,
	request: VerifyRequest,
	base: string,
	loadPath: string,
	auth: Readonly<Record<string, string>> | undefined,
): Promise<LoadSummary | undefined> {
	const {set: step} = flowSteps(flow);
	if (!request.load) {
		step('load', {type: 'skipped', reason: 'not asked for (--no-load)'});
		return undefined;
	}

	if (request.reuseLoad) {
		const load = request.reuseLoad.summary;
		step('load', {
			type: 'done',
			summary: {kind: 'verify/load', load, path: loadPath, signedIn: auth !== undefined, reusedFrom: request.reuseLoad.at},
			durationMs: 0,
		});
		return load;
	}

	return measureLoad(flow, request, base, loadPath, auth);
}

async function measureLoad(
	flow: Store<FlowState, FlowAction>,
	request: VerifyRequest,
	base: string,
	path: string,
	headers: Readonly<Record<string, string>> | undefined,
): Promise<LoadSummary> {
	const {begin} = flowSteps(flow);
	const progress = (elapsedMs: number, requests: number, errors: number) =>
		({kind: 'verify/load-progress', users: request.users, path, elapsedMs, durationMs: request.durationMs, requests, errors}) as const;
	const loadStep = begin('load', progress(0, 0, 0));
	const raw = await loadCheck(base, path, {
		users: request.users,
		durationMs: request.durationMs,
		headers,
		signal: request.signal,
		onProgress: seen => loadStep.detail(progress(seen.elapsedMs, seen.requests, seen.errors)),
	});
	const load = summarizeLoad(raw.samples, raw.count, {
		users: request.users,
		durationMs: raw.durationMs,
		errors: raw.errors,
		errorKinds: raw.errorKinds,
		targetP95Ms: request.targetP95Ms,
	});
	const chart = latencyChart(load);
	const report = {kind: 'verify/load', load, path, signedIn: headers !== undefined, reusedFrom: undefined} as const;
	if (load.passed) {
		loadStep.done(report);
		flow.dispatch({type: 'flow/note', text: `Latency of ${load.requests} requests:\n${chart.join('\n')}`});
	} else {
		loadStep.failed(report, undefined, chart);
	}

	return load;
}
