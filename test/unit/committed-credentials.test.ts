import assert from 'node:assert/strict';
import test from 'node:test';
import {credentialFile, credentialsIn} from '../../source/engine/project/committed-credentials.js';

// A Neon connection string as Neon's console gives it ("psql 'postgresql://…'"), and a Google key of its real shape (both made up).
const neon = 'postgresql://neondb_owner:npg_T7bXw2Lq9ZkR@ep-cool-darkness-a1b2c3d4.us-east-2.aws.neon.tech/neondb?sslmode=require';
const google = `AIza${'SyD3x7Qk2Lm9Vb4Nc8Rt1Yw6Zp0Hs5Jf2Ge'}`;

test('a committed credential in each form people write it, named with its file and line, never its value', () => {
	const cases: Array<[string, string, RegExp]> = [
		['.env.example', `# from the Neon console\npsql '${neon}'\n`, /^\.env\.example:2$/],
		['.env.example', `DATABASE_URL=${neon}\n`, /^\.env\.example:1 \(DATABASE_URL\)$/],
		['scripts/db.sh', `export DATABASE_URL="${neon}"\n`, /^scripts\/db\.sh:1 \(DATABASE_URL\)$/],
		['config/app.yaml', `database:\n  url: "${neon}"\n`, /^config\/app\.yaml:2 \(url\)$/],
		['settings.json', `{\n  "geminiApiKey": "${google}",\n}\n`, /^settings\.json:2 \(geminiApiKey\)$/],
		['README.md', `Connect with \`psql "${neon}"\`.\n`, /^README\.md:1$/],
		['backend/.env', `GEMINI_API_KEY=${google} # mine\n`, /^backend\/\.env:1 \(GEMINI_API_KEY\)$/],
	];
	for (const [file, text, where] of cases) {
		const found = credentialsIn(file, text);
		assert.equal(found.length, 1, `${file}: ${JSON.stringify(found)}`);
		assert.match(found[0]?.path ?? '', where);
		assert.match(found[0]?.what ?? '', /neon\.tech|Google API key/);
		assert.ok(!JSON.stringify(found).includes('npg_T7bXw2Lq9ZkR') && !JSON.stringify(found).includes(google), 'the value itself is never kept');
		assert.ok(credentialFile.test(file), `${file} is a file that is read`);
	}
});

test('what is not a real credential is not reported: placeholders, local and example hosts, cut-short keys', () => {
	const text = [
		'DATABASE_URL=postgresql://todo:todo@localhost:5432/todo',
		'DATABASE_URL=postgresql://todo:secret@db:5432/todo',
		"psql 'postgresql://user:password@ep-xxx.neon.tech/neondb'",
		'DATABASE_URL=postgresql://user:s3cretPass@host:5432/db',
		'DATABASE_URL=postgres://app:Zq8w3r5t@db.example.com/app',
		'GEMINI_API_KEY=AIzaSy...',
		'GEMINI_API_KEY=your-gemini-api-key-here',
		'homepage: https://github.com/team/todo',
	].join('\n');
	assert.deepEqual(credentialsIn('.env.example', text), []);
	assert.ok(!credentialFile.test('assets/logo.png'));
});
