// todo-deploy discover: what todo-deploy learnt of the project (its sides, settings and chart), and --save
// to keep it.
import {configFileName, saveProject, type ResolvedProject} from '../engine/project/resolve.js';
import {contractLines, credentialLines} from '../render/contract-words.js';
import {defineCommand} from '../command-kit/command.js';
import {booleanFlag, pathFlag} from '../command-kit/flags.js';
import {projectFlags} from '../command-kit/groups.js';
import {isInteractive, writeJson, writeOut} from '../command-kit/io.js';
import {askYesNo, projectOrSay, projectRoot, shownContract} from '../command-kit/project.js';

const where = (image: ResolvedProject['backend']) => (image ? `${image.context}/${image.dockerfile}` : 'not found');

export const discoverCommand = defineCommand({
	name: 'discover',
	synopsis: '[DIR]',
	maxArgs: 1,
	summary: 'finds the backend, the frontend and the chart in your project',
	description:
		'Finds the backend and frontend Dockerfiles and the chart in your project (also under phase folders such as Phase-II/); --save keeps the answer in todo-deploy.json, which later runs use (flags still override it).',
	examples: ['npx todo-deploy discover', 'npx todo-deploy discover ~/code/todo --save'],
	flags: {
		...projectFlags,
		chart: pathFlag({value: 'DIR', description: 'the Helm chart folder'}),
		save: booleanFlag({description: 'keep the answer in todo-deploy.json'}),
	},
	async run({flags, args, env}) {
		const root = projectRoot(args[0]);
		const project = await projectOrSay(root, flags);
		if (!project) {
			return {failure: 'fix-first'};
		}

		const both = project.backend !== undefined && project.frontend !== undefined;
		const lines = [
			`backend   ${where(project.backend)}  (${project.sources.backend})`,
			...contractLines('backend', project.contract.backend),
			`frontend  ${where(project.frontend)}  (${project.sources.frontend})`,
			...contractLines('frontend', project.contract.frontend),
			`chart     ${project.chart ?? 'not found: the chart todo-deploy ships will be used'}  (${project.sources.chart})`,
			...(project.contract.database
				? [`database  ${project.contract.database.image} in ${project.contract.database.from}: todo-deploy runs PostgreSQL in the cluster`]
				: []),
			...project.found.notes.map(note => `note: ${note}`),
			...credentialLines(project.contract),
		];
		// On a terminal, a first discovery that found both images is offered for keeping.
		const offer = !flags.save && !flags.json && both && project.saved === undefined && isInteractive(env);
		if (offer) {
			await writeOut(
				`backend   ${where(project.backend)}\nfrontend  ${where(project.frontend)}\nchart     ${project.chart ?? 'the chart todo-deploy ships'}\n${project.found.notes.map(note => `note: ${note}\n`).join('')}`,
			);
			const kept = (await askYesNo(`Use these and save them to ${configFileName}?`)) ? await saveProject(root, project) : undefined;
			await writeOut(
				kept
					? `Saved to ${kept}; flags --backend, --frontend and --chart still override it.\n`
					: 'Not saved. Name other folders with --backend, --frontend and --chart, then run todo-deploy discover --save.\n',
			);
			return {failure: undefined};
		}

		const savedTo = flags.save ? await saveProject(root, project) : undefined;
		if (flags.json) {
			await writeJson({
				root,
				// Each side with its contract: what its code reads, its port and health paths.
				backend: project.backend ? {...project.backend, contract: shownContract(project.contract.backend)} : project.backend,
				frontend: project.frontend ? {...project.frontend, contract: shownContract(project.contract.frontend)} : project.frontend,
				chart: project.chart,
				database: project.contract.database ?? null,
				credentials: project.contract.credentials,
				candidates: project.found.candidates,
				notes: project.found.notes,
				saved: savedTo ?? null,
			});
		} else {
			await writeOut(
				`${[...lines, savedTo ? `Saved to ${savedTo}; flags still override it.` : `Run todo-deploy discover --save to keep this answer in ${configFileName} (flags --backend, --frontend, --chart override).`].join('\n')}\n`,
			);
		}

		return {failure: both ? undefined : 'fix-first'};
	},
});
