// verify's frontend row: the frontend at the address the user is given (held on this machine while
// verify runs, as the live screen and todo-deploy open hold it), its health, one of its routes that
// reaches the backend (as the signed-in test user), and the page as a browser meets it: its scripts
// call the backend at the address the browser reaches, and the backend lets them (CORS).
import {call, type Answer} from '../../adapters/app.js';
import type {System} from '../../adapters/system.js';
import type {HeldAddress} from '../browser/hold.js';
import type {AddressesHeld} from '../browser/session.js';
import {connect} from '../cluster.js';
import {messageOf} from '../errors.js';
import type {FlowAction} from '../flow/actions.js';
import type {FlowState} from '../flow/reducer.js';
import {flowSteps} from '../flow/steps.js';
import type {Store} from '../store.js';
import {checkAsBrowser, type BrowserCheck} from './browser-check.js';
import {reachService, type Reached} from './reach.js';
import type {SideServices} from './services.js';
import type {VerifyRequest} from './run.js';

export type FrontendOutcome = {readonly ok: boolean; readonly answers: readonly Answer[]; readonly browser: BrowserCheck | undefined};

/** How long verify waits for a held address to lead to a Ready pod. */
const holdWaitMs = 30_000;

/** The release's browser addresses, held until verify ends; undefined when verify was not asked to hold them. */
async function holdForVerify(
	system: System,
	request: VerifyRequest,
	reached: Reached[],
): Promise<{readonly frontend: HeldAddress | undefined; readonly backend: HeldAddress | undefined} | undefined> {
	if (!request.addresses || !request.cluster) {
		return undefined;
	}

	const {holdReleaseAddresses} = await import('../browser/session.js');
	const cluster = await connect(request.cluster);
	const held: AddressesHeld = await holdReleaseAddresses(system, cluster, request.cluster, request.addresses, () => undefined);
	reached.push({url: '', via: 'held', stop: () => void held.stop()});
	const deadline = Date.now() + holdWaitMs;
	const settled = () => held.addresses().every(address => address.hold.state === 'up' || address.hold.state === 'failed');
	while (!settled() && Date.now() < deadline && !request.signal?.aborted) {
		await new Promise(resolve => setTimeout(resolve, 100));
	}

	const find = (side: string) => held.addresses().find(address => address.side === side);
	return {frontend: find('frontend'), backend: find('backend')};
}

const whyNotUp = (address: HeldAddress) =>
	address.hold.state === 'down' || address.hold.state === 'failed' ? address.hold.why : `it was still ${address.hold.state} after ${holdWaitMs / 1000} s`;

/** The frontend's health, one of its routes that reaches the backend as a signed-in user, and the page as a browser meets it. */
export async function checkFrontend(
	system: System,
	flow: Store<FlowState, FlowAction>,
	request: VerifyRequest,
	services: SideServices,
	auth: Readonly<Record<string, string>> | undefined,
	reached: Reached[],
	apiPath: string,
): Promise<FrontendOutcome> {
	const {set: step, begin} = flowSteps(flow);
	const target = request.frontend;
	if (!target || request.url || (target.health.length === 0 && target.proxies.length === 0 && !request.addresses)) {
		step('frontend', {
			type: 'skipped',
			reason: !target
				? 'no frontend in this project'
				: request.url
					? 'the backend was given with --url'
					: "the frontend's code defines no health route and no route to the backend: nothing to check it by",
		});
		return {ok: true, answers: [], browser: undefined};
	}

	const {service} = services.frontend;
	const frontendStep = begin('frontend', `service ${service}: ${[...target.health, ...target.proxies.slice(0, 1)].map(path => `GET ${path}`).join(', ')}`);
	let url: string;
	let held: Awaited<ReturnType<typeof holdForVerify>>;
	try {
		held = await holdForVerify(system, request, reached);
		const down = [held?.frontend, held?.backend].find(address => address && address.hold.state !== 'up');
		if (down) {
			frontendStep.failed(`The ${down.side}'s address ${down.url} does not lead to it: ${whyNotUp(down)}`, `todo-deploy status -n ${request.namespace}`);
			return {ok: false, answers: [], browser: undefined};
		}

		url =
			held?.frontend?.url ??
			(await reachService(system, {...request, url: undefined, service, port: services.frontend.servicePort ?? target.servicePort}).then(
				way => (reached.push(way), way.url),
			));
	} catch (error) {
		frontendStep.failed(`The frontend could not be reached: ${messageOf(error)}`, `todo-deploy status -n ${request.namespace}`);
		return {ok: false, answers: [], browser: undefined};
	}

	const health = await Promise.all(target.health.map(async path => call(url, 'GET', path)));
	const proxy = target.proxies[0];
	const through = proxy ? await call(url, 'GET', proxy, undefined, {headers: auth ?? {}}) : undefined;
	const answers = [...health, ...(through ? [through] : [])];
	const browser = held?.frontend ? await checkAsBrowser(url, held.backend?.hold.state === 'up' ? held.backend.url : undefined, apiPath) : undefined;
	const badHealth = health.some(answer => answer.status !== 200);
	const badProxy = through && (through.status === undefined || through.status >= 500 || (auth !== undefined && through.status >= 400));
	const ok = !badHealth && !badProxy && (browser?.ok ?? true);
	(ok ? frontendStep.done : frontendStep.failed)({
		kind: 'verify/frontend',
		answers,
		through,
		signedIn: auth !== undefined,
		addressHint: target.addressHint,
		backend: `http://${services.backend.service}:${services.backend.servicePort}`,
		browser,
	});
	return {ok, answers, browser};
}
