import assert from 'node:assert/strict';
import {test} from 'node:test';
import {render} from 'ink-testing-library';
import type {DoctorAction} from '../../source/engine/doctor/actions.js';
import {doctorReducer, initialDoctorState, type DoctorState} from '../../source/engine/doctor/reducer.js';
import type {Recommendation} from '../../source/engine/doctor/types.js';
import {createStore} from '../../source/engine/store.js';
import {DoctorApp, DoctorScreen} from '../../source/views/doctor-app.js';
import {keyboard} from '../helpers/keys.js';

function stateWith(...actions: DoctorAction[]): DoctorState {
	return actions.reduce(doctorReducer, initialDoctorState());
}

const minikubeRecommendation: Recommendation = {
	target: 'minikube-docker',
	command: 'minikube start --driver=docker --cpus=2 --memory=4096mb',
	start: {program: 'minikube', args: ['start', '--driver=docker', '--cpus=2', '--memory=4096mb'], creates: {type: 'minikube', name: 'minikube'}},
	why: 'Docker Engine 28.2.2 answers with 2 CPUs and 7.8 GiB.',
	install: [
		{tool: 'helm', version: '4.2.4', why: 'renders and installs the todo-app chart', command: 'npx todo-deploy install helm'},
		{tool: 'minikube', version: '1.38.1', why: 'runs the local cluster', command: 'npx todo-deploy install minikube'},
	],
	installCommand: 'npx todo-deploy install helm minikube',
	pathSetup: 'export PATH="/home/dev/.local/share/todo-deploy/bin:$PATH" && echo \'export PATH="/home/dev/.local/share/todo-deploy/bin:$PATH"\' >> ~/.bashrc',
	rejected: [{target: 'kind', why: 'also possible, ranked after minikube-docker'}],
	fixes: [],
};

test('running checks spin, finished ones show their mark, summary and fix', () => {
	const state = stateWith(
		{type: 'doctor/started', at: 0},
		{type: 'doctor/check-started', id: 'docker', at: 0},
		{type: 'doctor/check-finished', id: 'helm', outcome: {status: 'missing', summary: 'Helm is not installed (deploys the chart)'}, durationMs: 12},
		{
			type: 'doctor/check-finished',
			id: 'kvm2',
			outcome: {status: 'fail', summary: '/dev/kvm exists but this user may not open it', fix: 'sudo usermod -aG kvm,libvirt $USER, then log in again.'},
			durationMs: 3,
		},
	);
	const {lastFrame, unmount} = render(<DoctorScreen state={state} version="0.1.0" />);
	const frame = lastFrame() ?? '';
	unmount();
	assert.match(frame, /Docker\s+checking…/);
	assert.match(frame, /○ Helm\s+Helm is not installed \(deploys the chart\)\s+12 ms/);
	assert.match(frame, /✖ KVM2/);
	assert.match(frame, /→ sudo usermod -aG kvm,libvirt \$USER/);
	assert.match(frame, /Trivy\s+waiting/);
	assert.doesNotMatch(frame, /Recommended/);
});

test('the recommendation shows the install command, the PATH set-up one command a line, then the command to run', () => {
	const state = stateWith({type: 'doctor/finished', recommendation: minikubeRecommendation, durationMs: 640});
	const {lastFrame, unmount} = render(<DoctorScreen state={state} version="0.1.0" />);
	const frame = lastFrame() ?? '';
	unmount();
	assert.match(frame, /Recommended: minikube with the docker driver/);
	const lines = frame.split('\n').map(line => line.replaceAll('│', '').trim());
	assert.match(frame, /1\. Install helm 4\.2\.4, minikube 1\.38\.1 \(no sudo, checksum-verified\)/);
	const install = lines.indexOf('npx todo-deploy install helm minikube');
	assert.ok(install > 0, frame);
	// Each command of an a && b chain starts its own line, whatever the terminal wraps.
	assert.equal(lines[install + 2], 'export PATH="/home/dev/.local/share/todo-deploy/bin:$PATH"');
	assert.equal(lines[install + 3], 'echo \'export PATH="/home/dev/.local/share/todo-deploy/bin:$PATH"\' >> ~/.bashrc');
	assert.ok(lines.includes('minikube start --driver=docker --cpus=2 --memory=4096mb'));
	assert.match(frame, /kind\s+also possible/);
	assert.match(frame, /Finished in 640 ms/);
});

test('when nothing works the fixes are numbered in order', () => {
	const recommendation: Recommendation = {
		...minikubeRecommendation,
		target: null,
		command: null,
		why: 'No cluster can be started here yet.',
		install: [],
		fixes: ['Turn on WSL integration.', 'Run todo-deploy doctor again.'],
	};
	const state = stateWith({type: 'doctor/finished', recommendation, durationMs: 100});
	const {lastFrame, unmount} = render(<DoctorScreen state={state} version="0.1.0" />);
	const frame = lastFrame() ?? '';
	unmount();
	assert.match(frame, /Nothing can run a cluster here yet/);
	assert.match(frame, /1\. Turn on WSL integration\.[\s│]*2\. Run todo-deploy doctor again\./);
});

test('DoctorApp follows the store and exits once the doctor is done', async () => {
	const store = createStore<DoctorState, DoctorAction>(doctorReducer, initialDoctorState());
	const app = render(<DoctorApp store={store} version="0.1.0" />);
	const screen = keyboard(app);
	store.dispatch({type: 'doctor/check-finished', id: 'trivy', outcome: {status: 'ok', summary: 'Trivy v0.74.0 at /usr/bin/trivy'}, durationMs: 5});
	await screen.waitForFrame(/✔ Trivy\s+Trivy v0.74.0/);
	assert.doesNotMatch(screen.frame(), /Recommended/);
	store.dispatch({type: 'doctor/finished', recommendation: minikubeRecommendation, durationMs: 10});
	// The app exits by itself once it has drawn the recommendation (an exited app's last frame is empty).
	await screen.waitForFrame(frame => frame === '');
	const drawn = app.frames.filter(frame => frame.trim() !== '');
	assert.match(drawn.at(-1) ?? '', /Recommended: minikube with the docker driver/);
	assert.match(drawn.at(-1) ?? '', /Finished in 10 ms/);
});
