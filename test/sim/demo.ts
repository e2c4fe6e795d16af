// npm run demo: the world `todo-deploy up` runs in (simulated cluster behind a kind context, a kind
// node container, the kind and Trivy stand-ins, real helm and kubectl, a backend that really runs)
// and a small todo project; prints the environment to run todo-deploy in. Ctrl-C stops it all.
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {makeTodoProject} from '../helpers/images.js';
import {startUpWorld} from '../helpers/up-world.js';

const world = await startUpWorld('todo');
const project = makeTodoProject({git: true, app: true});
const envFile = path.join(project, '..', `todo-deploy-demo-${process.pid}.env`);
writeFileSync(
	envFile,
	`${Object.entries(world.env())
		.map(([key, value]) => `export ${key}=${value}`)
		.join('\n')}\ncd ${project}\n`,
);
process.stdout.write(
	`The demo world runs. In another shell:\n\n  . ${envFile}\n  node ${path.resolve('bin/todo-deploy.js')} --url ${world.appUrl}\n\n(--url: the backend the simulated kubelet runs.)\nCtrl-C stops the world.\n`,
);
const stop = () => {
	void world.stop().then(() => process.exit(0));
};

process.once('SIGINT', stop);
process.once('SIGTERM', stop);
setInterval(() => undefined, 60_000);
