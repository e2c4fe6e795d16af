// todo-deploy bundle: one archive to share when nothing fits, with every secret masked.
import {writeBundleNow} from '../command-kit/bundle.js';
import {defineCommand} from '../command-kit/command.js';
import {clusterChoice, clusterFlags, projectFlags} from '../command-kit/groups.js';
import {writeErr, writeJson, writeOut} from '../command-kit/io.js';
import {projectRoot} from '../command-kit/project.js';

export const bundleCommand = defineCommand({
	name: 'bundle',
	synopsis: '[DIR]',
	maxArgs: 1,
	summary: 'writes one archive to share when nothing fits, every secret masked',
	description:
		"Writes .todo-deploy/bundle-TIME.tar.gz for a teammate: the doctor's findings, the project's contract, the state, the report and the session logs; for each pod that is not ready, its diagnosis, its object, its events and its last log lines; helm's status and values. Every secret todo-deploy knows of (the release's Secret, secret-like variables of the environment and of the project's .env files, helm's secret values) is replaced by ****, as written, URL-encoded and base64, and so is any password inside a URL; the README in it lists by name what was masked. The live status screen makes one with B.",
	examples: ['npx todo-deploy bundle', 'npx todo-deploy bundle -n todo --release todo'],
	flags: {...clusterFlags, ...projectFlags},
	async run({flags, args, mode, env}) {
		if (mode !== 'json') {
			writeErr('todo-deploy bundle: gathering the doctor, the project, the logs and the cluster…\n');
		}

		const made = await writeBundleNow(env, {
			root: projectRoot(args[0]),
			release: flags.release,
			choice: clusterChoice(flags),
			project: {backend: flags.backend, frontend: flags.frontend},
		});
		if (mode === 'json') {
			await writeJson({bundle: made.path, masked: made.masked, missing: made.missing, podsNotReady: made.pods ?? null});
		} else {
			await writeOut(
				[
					`Wrote ${made.path}`,
					...(made.pods === undefined
						? []
						: [
								`  ${made.pods === 0 ? 'every pod is ready' : `${made.pods} pod${made.pods === 1 ? '' : 's'} not ready, each with its diagnosis, events and last lines`}`,
							]),
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
