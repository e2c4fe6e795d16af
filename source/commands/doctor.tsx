// todo-deploy doctor: every check on this machine, and the path to a cluster that will work here.
import packageJson from '../../package.json' with {type: 'json'};
import type {DoctorAction} from '../engine/doctor/actions.js';
import {doctorOutcome, doctorReducer, initialDoctorState, type DoctorState} from '../engine/doctor/reducer.js';
import {runDoctor} from '../engine/doctor/run.js';
import {localSystem} from '../engine/system.js';
import {createStore} from '../engine/store.js';
import {doctorJson} from '../render/doctor-words.js';
import {renderDoctorPlain} from '../render/doctor-plain.js';
import {defineCommand} from '../command-kit/command.js';
import {writeErr, writeJson} from '../command-kit/io.js';
import {runWithScreens} from '../command-kit/runner.js';

export const doctorCommand = defineCommand({
	name: 'doctor',
	synopsis: '',
	maxArgs: 0,
	summary: 'checks this machine and recommends the path that will work here',
	description:
		'Checks Docker, KVM2, minikube, kind, kubectl, Helm, Trivy and your kube contexts, and recommends the path that will work here, with the exact commands.',
	examples: ['npx todo-deploy doctor', 'npx todo-deploy doctor --json'],
	flags: {},
	async run({mode, env}) {
		const store = createStore<DoctorState, DoctorAction>(doctorReducer, initialDoctorState());
		if (mode === 'plain') {
			writeErr(`todo-deploy ${packageJson.version}: checking this machine…\n`);
		}

		const {cancelled} = await runWithScreens(
			mode,
			{
				async interactive({onCancel}) {
					const {DoctorApp} = await import('../views/doctor-app.js');
					return <DoctorApp store={store} version={packageJson.version} onCancel={onCancel} />;
				},
				plain: out => renderDoctorPlain(store, out),
			},
			async signal => runDoctor(localSystem(env, {signal}), store),
		);
		if (mode === 'json') {
			await writeJson(doctorJson(store.getState()));
		}

		return cancelled ? {failure: 'cancelled'} : doctorOutcome(store.getState());
	},
});
