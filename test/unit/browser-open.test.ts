// Opening the browser: $BROWSER first; from WSL 2 the Windows browser (wslview, else explorer.exe,
// else cmd.exe /c start); xdg-open on a Linux desktop; open on macOS; nothing where there is no desktop.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {openBrowser} from '../../source/engine/browser/open.js';
import {createFakeSystem} from '../helpers/fake-system.js';
import {capturedFixtures} from '../helpers/paths.js';

const wslProcVersion = readFileSync(path.join(capturedFixtures, 'wsl/proc-version-wsl2-5.10.60.1-microsoft-standard-WSL2.txt'), 'utf8');
const url = 'http://localhost:3000';

test('$BROWSER is used first, with %s standing for the URL', async () => {
	const system = createFakeSystem({
		env: {PATH: '/usr/bin', BROWSER: 'chromium --new-window %s', DISPLAY: ':0'},
		commands: {chromium: {exitCode: 0}, 'xdg-open': {exitCode: 0}},
	});
	assert.deepEqual(await openBrowser(system, url), {opened: true, with: '$BROWSER (chromium)'});
	assert.deepEqual(system.runs, [`chromium --new-window ${url}`]);
});

test('from WSL 2: wslview when wslu is installed, else explorer.exe (which answers 1 when it worked), else cmd.exe /c start', async () => {
	const files = {'/proc/version': wslProcVersion};
	const withWslview = createFakeSystem({files, commands: {wslview: {exitCode: 0}, 'explorer.exe': {exitCode: 1}}});
	assert.deepEqual(await openBrowser(withWslview, url), {opened: true, with: 'wslview'});

	const withExplorer = createFakeSystem({files, commands: {'explorer.exe': {exitCode: 1}, 'cmd.exe': {exitCode: 0}}});
	assert.deepEqual(await openBrowser(withExplorer, url), {opened: true, with: 'explorer.exe'});
	assert.deepEqual(withExplorer.runs, [`explorer.exe ${url}`]);

	const withCmd = createFakeSystem({files, commands: {'cmd.exe': {exitCode: 0}}});
	assert.deepEqual(await openBrowser(withCmd, 'http://localhost:3000/?a=1&b=2'), {opened: true, with: 'cmd.exe'});
	assert.deepEqual(withCmd.runs, ['cmd.exe /c start "" http://localhost:3000/?a=1^&b=2']);
});

test('xdg-open only on a desktop; without one nothing is started and the URL is the answer', async () => {
	const desktop = createFakeSystem({env: {PATH: '/usr/bin', DISPLAY: ':0'}, commands: {'xdg-open': {exitCode: 0}}});
	assert.deepEqual(await openBrowser(desktop, url), {opened: true, with: 'xdg-open'});

	const headless = createFakeSystem({commands: {'xdg-open': {exitCode: 0}}});
	const answer = await openBrowser(headless, url);
	assert.deepEqual(answer, {opened: false, why: `there is no desktop here to open a browser on (no $BROWSER, no DISPLAY): open ${url} in your browser`});
	assert.deepEqual(headless.runs, []);

	const broken = createFakeSystem({env: {PATH: '/usr/bin', DISPLAY: ':0'}, commands: {'xdg-open': {exitCode: 3}}});
	assert.deepEqual(await openBrowser(broken, url), {opened: false, why: `the browser did not open (xdg-open: exit 3): open ${url} yourself`});
});

test('macOS opens with open', async () => {
	const mac = createFakeSystem({platform: 'darwin', commands: {open: {exitCode: 0}}});
	assert.deepEqual(await openBrowser(mac, url), {opened: true, with: 'open'});
});
