// The wizard's first stage: check the machine, and agree on the plan (which steps stay on).
import {runDoctor} from '../../doctor/run.js';
import type {PlatformFacts, Recommendation, ToolName} from '../../doctor/types.js';
import type {AppContract} from '../../project/read-contract.js';
import {skippableSteps, type Skippable} from '../skips.js';
import {defineStage, next, stop, type StageBase} from '../stage.js';
import {pinnedTool} from '../../tools/catalog.js';
import {chosenCluster} from './cluster.js';

declare module '../stage.js' {
	interface UpFacts {
		/** The path the doctor found to a cluster. */
		readonly recommendation: Recommendation;
		/** Tools the path needs that are not installed. */
		readonly missing: readonly ToolName[];
	}
}

/** The app as the plan says it: each side's port and health path, and the settings its code reads. */
export function contractSummary(contract: AppContract): string {
	const sides = (['backend', 'frontend'] as const).flatMap(side => {
		const service = contract[side];
		if (!service) {
			return [];
		}

		const names = service.env.filter(entry => entry.kind !== 'plain').map(entry => entry.name);
		return [
			`${side} on ${service.port ?? '?'}${service.health[0] ? ` (${service.health[0]})` : ''}${names.length > 0 ? ` reading ${names.slice(0, 4).join(', ')}${names.length > 4 ? ', …' : ''}` : ''}`,
		];
	});
	return sides.length > 0 ? `The app, as its code reads it: ${sides.join('; ')}.` : '';
}

/** The plan, asked on a terminal: the steps left on, or undefined when it is declined. */
async function confirmPlan(
	base: StageBase,
	recommendation: Recommendation,
	install: readonly ToolName[],
	skip: ReadonlySet<Skippable>,
): Promise<ReadonlySet<Skippable> | undefined> {
	const {request} = base;
	const {questions} = request;
	if (!questions) {
		return skip;
	}

	const tools = install.map(tool => `${tool} ${pinnedTool(tool).version}`);
	const labels: Readonly<Record<Skippable, string>> = {
		install: tools.length > 0 ? `install ${tools.join(', ')} (no sudo, checksum-verified)` : 'install missing tools (none missing)',
		scan: 'scan the images with Trivy and stop on fixable CRITICAL findings',
		lint: 'lint the chart before deploying',
		verify: "verify: health paths, the todo API as a signed-in user would use it, the frontend's way to the backend",
		'load-check': `load check: ${request.verify.users} users for ${Math.round(request.verify.durationMs / 1000)} s against p95 < ${request.verify.targetP95Ms} ms`,
	};
	const cluster = request.kind
		? `Use the kind cluster "${request.kind}" (created if there is none)`
		: request.minikube
			? `Use the minikube profile "${request.minikube}" (started if there is none)`
			: recommendation.target === 'existing-context'
				? 'Use the cluster that runs now'
				: `Start a cluster (${recommendation.command ?? ''})`;
	const answer = await questions.ask({
		kind: 'plan',
		text: `${cluster}, build and load both images, deploy release ${request.deploy.release} into ${request.clusterChoice.namespace}. ${contractSummary(request.contract)} Go?`,
		options: skippableSteps.map(id => ({id, label: labels[id], on: !skip.has(id)})),
	});
	if (!Array.isArray(answer)) {
		return undefined;
	}

	const on = new Set(answer as readonly string[]);
	return new Set(skippableSteps.filter(id => !on.has(id)));
}

export const doctorStage = defineStage({
	id: 'doctor',
	rows: [{id: 'doctor', title: 'Check this machine'}],
	reads: ['skip'],
	adds: ['recommendation', 'missing', 'skip'],
	async run(facts, base) {
		const doctor = base.rows.begin('doctor', 'Docker, minikube, kind, kubectl, Helm, Trivy, kube contexts');
		const recommendation = await runDoctor(base.system, base.doctor);
		if (!recommendation.target) {
			doctor.failed(`No path to a cluster from here yet: ${recommendation.why}`, recommendation.fixes[0], recommendation.fixes.slice(1));
			return stop('doctor', 'fix-first', 'the machine needs a fix first');
		}

		doctor.done(recommendation.why);
		const platform = base.doctor.getState().checks.platform;
		const windowsBrowser = platform.type === 'done' ? (platform.outcome.facts as PlatformFacts | undefined)?.windowsBrowser : undefined;
		if (windowsBrowser) {
			base.flow.dispatch({type: 'flow/note', text: `${windowsBrowser.detail} Fix: ${windowsBrowser.fix}`});
		}

		// --kind or --minikube choose the path: the other cluster tool is not needed, this one is.
		const chosen = chosenCluster(base.request.kind, base.request.minikube);
		const forPath = recommendation.install.map(step => step.tool).filter(tool => !(chosen && (tool === 'kind' || tool === 'minikube') && tool !== chosen.type));
		const install = chosen && !forPath.includes(chosen.type) && !(await base.system.which(chosen.type)) ? [...forPath, chosen.type] : forPath;
		const skip = await confirmPlan(base, recommendation, install, facts.skip);
		if (!skip) {
			return {type: 'declined'};
		}

		return next({recommendation, missing: install.filter(tool => !(skip.has('scan') && tool === 'trivy')), skip});
	},
});
