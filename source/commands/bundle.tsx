// todo-deploy bundle: one archive to share when nothing fits, with every secret masked.
import {defineCommand} from '../command-kit/command.js';
import {clusterChoice, clusterFlags, projectFlags} from '../command-kit/groups.js';
import {writeErr, writeJson, writeOut} from '../command-kit/io.js';
import {projectRoot, shownContract} from '../command-kit/project.js';
import {localSystem} from '../engine/system.js';

export const bundleCommand = defineCommand({
	name: 'bundle',
	synopsis: '[DIR]',
	maxArgs: 1,
	summary: 'writes one archive to share when nothing fits, every secret masked',
	description:
		"Writes .todo-deploy/bundle-TIME.tar.gz for a teammate: the doctor's findings, the project's contract, the state, the report and the session logs; for each pod that is not ready, its diagnosis, its object, its events and its last log lines; helm's status and values. Every secret todo-deploy knows of (the release's Secret, secret-like variables of the environment and of the project's .env files, helm's secret values) is replaced by ****, as written, URL-encoded and base64, and so is any password inside a URL; the README in it lists by name what was masked.",
	examples: ['npx todo-deploy bundle', 'npx todo-deploy bundle -n todo --release todo'],
	flags: {...clusterFlags, ...projectFlags},
	async run({flags, args, mode, env}) {
		const root = projectRoot(args[0]);
		const system = localSystem(env);
		const [{makeBundle}, {runDoctor}, {createStore}, {doctorReducer, initialDoctorState}, {doctorJson}, {resolveProject}, {messageOf}] = await Promise.all([
			import('../engine/bundle/run.js'),
			import('../engine/doctor/run.js'),
			import('../engine/store.js'),
			import('../engine/doctor/reducer.js'),
			import('../render/doctor-words.js'),
			import('../engine/project/resolve.js'),
			import('../adapters/errors.js'),
		]);
		if (mode !== 'json') {
			writeErr('todo-deploy bundle: gathering the doctor, the project, the logs and the cluster…\n');
		}

		const files: Array<{name: string; content: string}> = [];
		const missing: string[] = [];
		const store = createStore(doctorReducer, initialDoctorState());
		const [, project] = await Promise.all([
			runDoctor(system, store),
			resolveProject(root, flags).catch((error: unknown) => {
				missing.push(`the project's contract: ${messageOf(error)}`);
				return undefined;
			}),
		]);
		files.push({name: 'doctor.json', content: `${JSON.stringify(doctorJson(store.getState()), null, 2)}\n`});
		if (project) {
			const contract = {
				root,
				backend: project.backend ? {...project.backend, contract: shownContract(project.contract.backend)} : null,
				frontend: project.frontend ? {...project.frontend, contract: shownContract(project.contract.frontend)} : null,
				chart: project.chart ?? null,
				database: project.contract.database ?? null,
				credentials: project.contract.credentials,
			};
			files.push({name: 'contract.json', content: `${JSON.stringify(contract, null, 2)}\n`});
		}

		const made = await makeBundle(system, {
			root,
			release: flags.release,
			choice: clusterChoice(flags),
			command: `todo-deploy bundle -n ${flags.namespace} --release ${flags.release}`,
			files,
			missing,
		});
		if (mode === 'json') {
			await writeJson({bundle: made.path, masked: made.masked, missing: made.missing, podsNotReady: made.pods});
		} else {
			await writeOut(
				[
					`Wrote ${made.path}`,
					`  ${made.pods === 0 ? 'no pod that is not ready' : `${made.pods} pod${made.pods === 1 ? '' : 's'} not ready, each with its diagnosis, events and last lines`}`,
					`  masked: ${made.masked.length > 0 ? made.masked.join(', ') : 'no known secret appeared'}`,
					...made.missing.map(line => `  not gathered: ${line}`),
					'Share it as it is: no secret value is in it (tar -tzf shows the files; README.txt says what each is).',
					'',
				].join('\n'),
			);
		}

		return {failure: undefined};
	},
});
