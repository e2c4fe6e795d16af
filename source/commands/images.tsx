// build, load and scan: one engine run with different steps; both images at once, each loaded and
// scanned as soon as it is built.
import path from 'node:path';
import type {ImagesAction, ImageSteps} from '../engine/images/actions.js';
import {describeTarget} from '../render/images-words.js';
import {localSystem} from '../engine/system.js';
import {createStore} from '../engine/store.js';
import {defineCommand, type CommandInput} from '../command-kit/command.js';
import {booleanFlag} from '../command-kit/flags.js';
import {
	buildFlags,
	checkOneTarget,
	clusterChoice,
	clusterTargetFlags,
	imageSettings,
	localRegistryChoice,
	scanFlags,
	targetFlags,
} from '../command-kit/groups.js';
import {writeErr, writeJson} from '../command-kit/io.js';
import {runWithScreens} from '../command-kit/runner.js';
import {askYesNo, fitRun, projectOrSay, projectRoot} from '../command-kit/project.js';

const flags = {
	...buildFlags,
	...scanFlags,
	...targetFlags,
	...clusterTargetFlags,
	load: booleanFlag({description: 'also load the images into the cluster'}),
	scan: booleanFlag({description: 'also scan the images with Trivy'}),
};

type ImagesFlags = CommandInput<typeof flags>['flags'];

async function runImagesCommand(input: CommandInput<typeof flags>, stepsOf: (values: ImagesFlags) => ImageSteps) {
	const {flags: values, mode, env} = input;
	const root = projectRoot(input.args[0]);
	const steps = stepsOf(values);
	const project = await projectOrSay(root, values);
	if (!project) {
		return {failure: 'fix-first' as const};
	}

	const system = localSystem(env);
	const [
		{runImages},
		{resolveImagesTarget},
		{routeKindTarget},
		{imagesReducer, imagesOutcome, imagesData, initialImagesState},
		{renderImagesPlain},
		{recordImages},
		{imageBuildArgs},
		{imageGuards, dockerignoreProposals, writeDockerignore},
	] = await Promise.all([
		import('../engine/images/run.js'),
		import('../engine/images/target.js'),
		import('../engine/images/kind-registry.js'),
		import('../engine/images/reducer.js'),
		import('../render/images-words.js'),
		import('../engine/images/record.js'),
		import('../engine/images/values.js'),
		import('../engine/images/guard.js'),
	]);
	const sources = {
		...(project.backend && values.only !== 'frontend' ? {backend: project.backend} : {}),
		...(project.frontend && values.only !== 'backend' ? {frontend: project.frontend} : {}),
	};
	for (const credential of project.contract.credentials) {
		writeErr(`todo-deploy: ${credential.path} holds ${credential.what}: rotate it, and keep the file out of git.\n`);
	}

	// The app's contract fitted once: what the builds bake in (the backend's address on this machine, for the browser).
	const {fitted, notes} = await fitRun(system, root, project, {release: values.release, building: steps.build});
	for (const note of notes) {
		writeErr(`todo-deploy: ${note}\n`);
	}

	// What does not belong in an image is left out of what is sent; on a terminal, a .dockerignore keeps it out of every build.
	const guards = imageGuards(sources, project.contract, values['allow-secrets-in-image'], fitted.bakedEnv);
	if (steps.build && mode === 'interactive' && !values.yes) {
		for (const proposal of await dockerignoreProposals(root, sources, guards)) {
			const where = path.relative(root, path.join(proposal.dir, '.dockerignore')) || '.dockerignore';
			writeErr(`These would go into the image and do not belong there. ${where} would keep them out:\n${proposal.lines.map(line => `  ${line}`).join('\n')}\n`);
			if (await askYesNo(`Add these lines to ${where}? (todo-deploy leaves them out either way)`)) {
				writeErr(`Wrote ${path.relative(root, await writeDockerignore(proposal.dir, proposal.lines))}.\n`);
			}
		}
	}

	const found = steps.load
		? await resolveImagesTarget(system, values, clusterChoice({...values, namespace: 'default'}))
		: {target: undefined, why: '', cluster: undefined};
	const routed = found.target ? await routeKindTarget(system, found.target, {choice: localRegistryChoice(values), api: found.cluster}) : undefined;
	const resolved = {...found, target: routed?.target ?? found.target};
	if (steps.load && !resolved.target) {
		writeErr(
			`todo-deploy: no cluster to load into: ${resolved.why}.\nName one: --kind CLUSTER, --minikube PROFILE or --registry HOST/NAMESPACE (todo-deploy doctor shows what is there).\n`,
		);
		return {failure: 'environment' as const};
	}

	if (mode === 'plain' && resolved.target) {
		writeErr(
			`Loading into ${describeTarget(resolved.target)} (${resolved.why}).\n${routed?.words ? `${routed.words[0]!.toUpperCase()}${routed.words.slice(1)}\n` : ''}`,
		);
	}

	const store = createStore<ReturnType<typeof initialImagesState>, ImagesAction>(imagesReducer, initialImagesState());
	const {cancelled} = await runWithScreens(
		mode,
		{
			async interactive({onCancel}) {
				const {ImagesApp} = await import('../views/images-app.js');
				return <ImagesApp store={store} onCancel={onCancel} />;
			},
			plain: (out, progress) => renderImagesPlain(store, out, progress),
		},
		async signal =>
			runImages(localSystem(env, {signal}), store, {
				root,
				sources,
				guards,
				steps,
				target: resolved.target,
				...imageSettings(values, root, imageBuildArgs(fitted, values['build-arg'])),
				signal,
			}),
	);
	if (mode === 'json') {
		await writeJson(imagesData(store.getState()));
	}

	await recordImages(root, store.getState(), steps);
	return imagesOutcome(store.getState(), cancelled);
}

const shared = {synopsis: '[DIR]', maxArgs: 1, flags, check: ({flags: values}: CommandInput<typeof flags>) => checkOneTarget(values)} as const;

export const buildCommand = defineCommand({
	...shared,
	name: 'build',
	summary: 'builds both images at once, tagged from git, never latest',
	description:
		'Builds both images at once, tagged from git (the commit plus a hash of uncommitted changes), never latest; a tag Docker already has is not built again. --load and --scan do the next steps too.',
	examples: [
		'npx todo-deploy build',
		'npx todo-deploy build --only backend --build-arg PYTHON_VERSION=3.12',
		'npx todo-deploy build --load --scan --kind todo',
	],
	async run(input) {
		return runImagesCommand(input, values => ({build: true, load: values.load, scan: values.scan}));
	},
});

export const loadCommand = defineCommand({
	...shared,
	name: 'load',
	summary: 'puts the images where the cluster finds them',
	description:
		"Builds if needed, then puts the images where the cluster finds them (default: the current kube context's minikube or kind; --registry pushes for a remote cluster); images the nodes already have are not sent again.",
	examples: ['npx todo-deploy load', 'npx todo-deploy load --kind todo', 'npx todo-deploy load --registry localhost:5000/team'],
	async run(input) {
		return runImagesCommand(input, values => ({build: true, load: true, scan: values.scan}));
	},
});

export const scanCommand = defineCommand({
	...shared,
	name: 'scan',
	summary: 'scans the images with Trivy and gates on the findings',
	description:
		'Builds if needed, scans every image with Trivy and gates: by default it fails on CRITICAL findings that have a fix; with --severity, on every finding at those levels (--ignore-unfixed: only those with a fix). .trivyignore is honoured; reports go to .todo-deploy/reports/.',
	examples: ['npx todo-deploy scan', 'npx todo-deploy scan --severity CRITICAL,HIGH --ignore-unfixed'],
	async run(input) {
		return runImagesCommand(input, values => ({build: true, load: values.load, scan: true}));
	},
});
