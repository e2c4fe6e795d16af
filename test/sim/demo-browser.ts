// The demo's browser where there is no desktop: headless chromium (Debian's, kept off the network)
// opens the URL todo-deploy was asked to open and uses the todo app as a person would: sign up, add a
// todo, see it listed. It prints each step, and what the page said when a step did not work.
import {chromium} from 'playwright-core';

const url = process.argv[2] ?? '';
const say = (line: string) => process.stdout.write(`${line}\n`);
const browser = await chromium.launch({
	executablePath: '/usr/bin/chromium',
	args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage();
try {
	say(`opening ${url}`);
	await page.goto(url, {timeout: 15_000});
	say(`page "${await page.title()}" loaded; signing up as demo@example.com`);
	await page.getByLabel('Email').fill('demo@example.com');
	await page.getByLabel('Password').fill('A-long-enough-password-1');
	await page.getByRole('button', {name: 'Sign up'}).click();
	await page.getByLabel('New todo').fill('Try todo-deploy', {timeout: 15_000});
	await page.getByRole('button', {name: 'Add'}).click();
	await page.getByRole('listitem').filter({hasText: 'Try todo-deploy'}).waitFor({timeout: 15_000});
	say(`signed up, added "Try todo-deploy", and the page lists: ${(await page.getByRole('listitem').allTextContents()).join(', ')}`);
} catch (error) {
	const alerts = await page
		.getByRole('alert')
		.allTextContents()
		.catch(() => []);
	say(`the app did not work as a person would use it: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
	if (alerts.length > 0) {
		say(`the page says: ${alerts.join('; ')}`);
	}
} finally {
	await browser.close();
}
