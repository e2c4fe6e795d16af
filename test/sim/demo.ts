// npm run demo: the team's project (test/fixtures/real-app) and the world `todo-deploy` meets on a
// laptop with Docker and nothing else set up: no cluster yet (the kind stand-in makes the node
// container and a context for the simulated API server), the Trivy stand-in, real helm and kubectl,
// a real PostgreSQL, a simulated kubelet that runs both sides' images for real, and a loopback
// stand-in of Gemini for the chatbot. Prints what to type in another shell; Ctrl-C stops it all.
// Where there is no desktop to open a browser on, $BROWSER is a headless chromium that uses the app as
// a person would (sign up, add a todo, see it listed) and says here what it saw.
import {chmodSync, existsSync, readFileSync, watchFile, writeFileSync} from 'node:fs';
import path from 'node:path';
import {copyTeamProject, startAppWorld} from '../helpers/app-world.js';
import {startGemini} from '../helpers/gemini.js';

const geminiKey = 'demo-gemini-key-for-the-stand-in';
const [world, gemini] = await Promise.all([startAppWorld('todo', {bare: true}), startGemini(geminiKey)]);
const root = copyTeamProject();
const dir = path.dirname(root);
const env: Record<string, string> = world.env({GEMINI_API_KEY: geminiKey});
const desktop = Boolean(process.env['DISPLAY'] ?? process.env['WAYLAND_DISPLAY']);
const tour = path.join(dir, 'browser.log');
if (!desktop) {
	const browser = path.join(dir, 'demo-browser');
	const script = path.resolve('test/sim/demo-browser.ts');
	writeFileSync(browser, `#!/bin/sh\ncd '${process.cwd()}' && exec '${process.execPath}' --import tsx '${script}' "$1" >> '${tour}' 2>&1\n`);
	chmodSync(browser, 0o755);
	writeFileSync(tour, '');
	env['BROWSER'] = browser;
	// What the headless browser saw, as it writes it.
	let shown = 0;
	watchFile(tour, {interval: 300}, () => {
		const text = existsSync(tour) ? readFileSync(tour, 'utf8') : '';
		process.stdout.write(
			text
				.slice(shown)
				.replaceAll(/^/gm, '  browser: ')
				.replace(/ {2}browser: $/, ''),
		);
		shown = text.length;
	});
}

const envFile = path.join(dir, 'demo.env');
writeFileSync(
	envFile,
	`${Object.entries(env)
		.map(([key, value]) => `export ${key}='${value}'`)
		.join('\n')}\ncd '${root}'\n`,
);
process.stdout.write(
	[
		'The demo world runs: Docker with no cluster yet, and the team project copied to',
		`${root}. In another shell:`,
		'',
		`  . ${envFile}`,
		`  ${process.execPath} ${path.resolve('bin/todo-deploy.js')} --kind todo --open --set backend.env.GEMINI_BASE_URL=${gemini.baseUrl}`,
		'',
		'(--set: the chatbot asks the Gemini stand-in on this machine; the key is in $GEMINI_API_KEY.)',
		desktop
			? 'The app opens in your browser.'
			: 'There is no desktop here: $BROWSER is a headless chromium that signs up, adds a todo and says below what it saw.',
		'Try `todo-deploy status`, `todo-deploy open`, `todo-deploy dev` too. Ctrl-C stops the world.',
		'',
	].join('\n'),
);
const stop = () => {
	void Promise.all([world.stop(), gemini.close()]).then(() => process.exit(0));
};

process.once('SIGINT', stop);
process.once('SIGTERM', stop);
setInterval(() => undefined, 60_000);
