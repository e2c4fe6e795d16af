// The bundle as both the command and the live screen's B make it: the doctor and the project read here,
// the rest gathered and written by the engine (engine/bundle).
import type {BundleMade} from '../engine/bundle/run.js';
import type {ClusterChoice} from '../engine/cluster.js';
import type {ProjectFlags} from '../engine/project/resolve.js';
import {localSystem, type Env} from '../engine/system.js';
import {shownContract} from './project.js';

export type BundleWhere = {
	readonly root: string;
	readonly release: string;
	readonly choice: ClusterChoice;
	readonly project?: ProjectFlags | undefined;
};

export async function writeBundleNow(env: Env, where: BundleWhere): Promise<BundleMade> {
	const system = localSystem(env);
	const [{makeBundle}, {runDoctor}, {createStore}, {doctorReducer, initialDoctorState}, {doctorJson}, {resolveProject}, {messageOf}] = await Promise.all([
		import('../engine/bundle/run.js'),
		import('../engine/doctor/run.js'),
		import('../engine/store.js'),
		import('../engine/doctor/reducer.js'),
		import('../render/doctor-words.js'),
		import('../engine/project/resolve.js'),
		import('../engine/errors.js'),
	]);
	const files: Array<{name: string; content: string}> = [];
	const missing: string[] = [];
	const store = createStore(doctorReducer, initialDoctorState());
	const [, project] = await Promise.all([
		runDoctor(system, store),
		resolveProject(where.root, where.project ?? {}).catch((error: unknown) => {
			missing.push(`the project's contract: ${messageOf(error)}`);
			return undefined;
		}),
	]);
	files.push({name: 'doctor.json', content: `${JSON.stringify(doctorJson(store.getState()), null, 2)}\n`});
	if (project) {
		const contract = {
			root: where.root,
			backend: project.backend ? {...project.backend, contract: shownContract(project.contract.backend)} : null,
			frontend: project.frontend ? {...project.frontend, contract: shownContract(project.contract.frontend)} : null,
			chart: project.chart ?? null,
			database: project.contract.database ?? null,
			credentials: project.contract.credentials,
		};
		files.push({name: 'contract.json', content: `${JSON.stringify(contract, null, 2)}\n`});
	}

	return makeBundle(system, {
		root: where.root,
		release: where.release,
		choice: where.choice,
		command: `todo-deploy bundle -n ${where.choice.namespace} --release ${where.release}`,
		files,
		missing,
	});
}
