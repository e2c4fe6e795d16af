// The todo app in the user's browser: `todo-deploy --yes --open` on the team's project ends with the
// app open (a browser command that records what it was asked to open), its addresses held on this
// machine. A real browser (Debian's chromium, driven by playwright-core, kept off the network) opens the
// printed URL, signs up, adds a todo and sees it listed; the backend and the frontend pods are deleted,
// and the same flow works again once the new pods are Ready. The chatbot is verified against a
// loopback stand-in of Gemini; a wrong key and a provider nothing answers at are said as what they are.
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {promisify} from 'node:util';
import {chmodSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {chromium, type Browser} from 'playwright-core';
import {copyTeamProject, startAppWorld, type AppWorld} from '../helpers/app-world.js';
import {failureOf, runCli, startCli, tempDir} from '../helpers/cli.js';
import {geminiReply, startGemini, type GeminiStandIn} from '../helpers/gemini.js';
import {removeImages} from '../helpers/images.js';

let world: AppWorld;
let gemini: GeminiStandIn;
let browser: Browser;
const made: string[] = [];
const geminiKey = 'test-gemini-key-for-the-stand-in';

before(async () => {
	[world, gemini] = await Promise.all([startAppWorld(), startGemini(geminiKey)]);
	browser = await chromium.launch({
		executablePath: '/usr/bin/chromium',
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
	});
});

after(async () => {
	await browser.close();
	await world.stop();
	await gemini.close();
	removeImages(made);
});

/** A browser command that only writes down what it was asked to open. */
function recordingBrowser(): {command: string; opened: () => string[]} {
	const dir = tempDir('browser');
	const record = path.join(dir, 'opened.txt');
	const command = path.join(dir, 'record-browser');
	writeFileSync(record, '');
	writeFileSync(command, `#!/bin/sh\necho "$1" >> '${record}'\n`);
	chmodSync(command, 0o755);
	return {command, opened: () => readFileSync(record, 'utf8').split('\n').filter(Boolean)};
}

/** As a user does it: the page, sign up, add a todo, see it listed. */
async function useTheApp(url: string, email: string, todo: string): Promise<void> {
	const page = await browser.newPage();
	try {
		await page.goto(url, {timeout: 15_000});
		await page.getByLabel('Email').fill(email);
		await page.getByLabel('Password').fill('A-long-enough-password-1');
		await page.getByRole('button', {name: 'Sign up'}).click();
		await page.getByLabel('New todo').fill(todo, {timeout: 15_000});
		await page.getByRole('button', {name: 'Add'}).click();
		await page.getByRole('listitem').filter({hasText: todo}).waitFor({timeout: 15_000});
		assert.equal(
			await page.getByRole('alert').count(),
			0,
			`the page says: ${await page
				.getByRole('alert')
				.allTextContents()
				.then(texts => texts.join())}`,
		);
	} finally {
		await page.close();
	}
}

const podsOf = (namespace: string, component: string) =>
	world.cluster
		.list('Pod', namespace)
		.filter(pod => (pod['metadata'] as {labels?: Record<string, string>}).labels?.['app.kubernetes.io/component'] === component)
		.map(pod => ({
			name: String((pod['metadata'] as {name: string}).name),
			ready: ((pod['status'] as {conditions?: Array<{type: string; status: string}>} | undefined)?.conditions ?? []).some(
				condition => condition.type === 'Ready' && condition.status === 'True',
			),
		}));

async function waitUntil<T>(what: string, deadlineMs: number, check: () => T | undefined | Promise<T | undefined>): Promise<T> {
	const deadline = Date.now() + deadlineMs;
	for (;;) {
		const found = await check();
		if (found !== undefined) {
			return found;
		}

		assert.ok(Date.now() < deadline, `${what} within ${deadlineMs / 1000} s`);
		await new Promise(resolve => setTimeout(resolve, 100));
	}
}

const answers = async (url: string) =>
	fetch(url, {signal: AbortSignal.timeout(3000)}).then(
		response => response.ok,
		() => false,
	);

test('todo-deploy --yes --open: the app open in the browser at an address that stays through pod restarts, and the chatbot verified', async () => {
	const root = copyTeamProject();
	const recorder = recordingBrowser();
	const run = startCli(['--yes', '--open', root, '--skip', 'load-check', '--set', `backend.env.GEMINI_BASE_URL=${gemini.baseUrl}`], {
		env: world.env({GEMINI_API_KEY: geminiKey, BROWSER: recorder.command}),
	});
	try {
		const [, url = ''] = await run.waitFor(/^Opened (http:\/\/localhost:\d+) in the browser \(\$BROWSER \(\S*\/record-browser\)\)\.$/m, 0, 600_000);
		made.push(...[...run.stdout().matchAll(/todo-(?:backend|frontend):src-[0-9a-f]{12}(?:-args-[0-9a-f]+)?/g)].map(match => match[0]));
		const stdout = run.stdout();
		assert.deepEqual(recorder.opened(), [url], 'the browser was asked to open the printed address, once');
		// The end of up says the address first, then how to get in.
		assert.match(stdout, new RegExp(`^Open ${url} in your browser: sign up in the app \\(its own sign-up is the way in\\)`, 'm'));
		assert.match(
			stdout,
			/^✔ Frontend reaches the backend: http:\/\/localhost:\d+ serves its page, whose scripts call the backend at http:\/\/localhost:\d+, which lets them \(CORS\)/m,
		);
		assert.match(stdout, new RegExp(`^✔ Chatbot: answered in \\d+ ms: "${geminiReply}"`, 'm'));
		assert.ok(
			gemini.asked.some(entry => entry.keyOk),
			'the backend asked the provider with the key deploy gave it',
		);
		const [, backendUrl = ''] = /^backend {2}(http:\/\/localhost:\d+) {2}→ /m.exec(stdout) ?? [];
		assert.ok(backendUrl, stdout);

		await useTheApp(url, 'first@example.com', 'Buy milk');

		// The pods go away (a node restart, a rollout): the addresses stay, and lead to the new pods.
		const before = [...podsOf('todo', 'backend'), ...podsOf('todo', 'frontend')].map(pod => pod.name);
		// Asynchronously: the simulated API server that answers kubectl runs in this process.
		await promisify(execFile)('kubectl', ['delete', 'pod', '-n', 'todo', '--wait=false', ...before], {env: world.env()});
		await waitUntil('new backend and frontend pods, Ready', 120_000, () => {
			const now = [...podsOf('todo', 'backend'), ...podsOf('todo', 'frontend')];
			return now.length === 2 && now.every(pod => pod.ready && !before.includes(pod.name)) ? now : undefined;
		});
		// Within 5 s of the new pods being Ready, both addresses answer again.
		await waitUntil('the held addresses answering again', 5000, async () =>
			(await answers(`${url}/api/health`)) && (await answers(`${backendUrl}/healthz`)) ? true : undefined,
		);
		await useTheApp(url, 'second@example.com', 'Walk the dog');
		assert.match(run.stdout(), /^frontend http:\/\/localhost:\d+ {2}down: .* went away \(restarted or replaced\)/m);

		const report = readFileSync(path.join(root, '.todo-deploy/report.md'), 'utf8');
		assert.match(report, new RegExp(`- \\*\\*Browser address:\\*\\* ${url} — verified`));
		assert.match(report, /- \*\*Chatbot:\*\* verified: it answered "Welcome!/);
	} finally {
		run.kill('SIGINT');
	}

	const code = await run.exited;
	assert.equal(code, 0, `${run.stdout()}\n${run.stderr()}`);
	assert.match(run.stdout(), /^Stopped holding the addresses; the release keeps running/m);
});

test('the chatbot not verified, and why: a key the provider refuses, a provider nothing answers at', async () => {
	const root = copyTeamProject();
	const setup = await runCli(['up', root, '--yes', '-n', 'chat', '--skip', 'load-check,scan', '--set', `backend.env.GEMINI_BASE_URL=${gemini.baseUrl}`], {
		env: world.env({GEMINI_API_KEY: 'a-key-the-provider-does-not-know'}),
		timeoutMs: 600_000,
	});
	made.push(...[...setup.stdout.matchAll(/todo-(?:backend|frontend):src-[0-9a-f]{12}(?:-args-[0-9a-f]+)?/g)].map(match => match[0]));
	assert.equal(setup.code, 8, failureOf(setup));
	assert.match(setup.stdout, /^✖ Chatbot: POST \/api\/v1\/chat\/ answered 502: the provider refused the key \(API key not valid\)$/m);
	assert.match(setup.stdout, /fix: Give the chatbot a valid Gemini API key/);

	// A provider address nothing answers at: deploy again with it, then verify.
	const deployed = await runCli(['deploy', root, '-n', 'chat', '--yes', '--set', 'backend.env.GEMINI_BASE_URL=http://127.0.0.1:1/v1beta/openai/'], {
		env: world.env({GEMINI_API_KEY: geminiKey}),
		timeoutMs: 300_000,
	});
	assert.equal(deployed.code, 0, failureOf(deployed));
	const verified = await runCli(['verify', root, '-n', 'chat', '--no-load'], {env: world.env(), timeoutMs: 300_000});
	assert.equal(verified.code, 8, failureOf(verified));
	assert.match(verified.stdout, /^✖ Chatbot: POST \/api\/v1\/chat\/ answered 502: nothing accepts connections at the provider's address the backend uses$/m);
});
