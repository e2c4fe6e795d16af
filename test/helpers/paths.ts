import path from 'node:path';
import {fileURLToPath} from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Real outputs captured from the real tools; see its SOURCES.md. */
export const sharedFixtures = process.env['TODO_DEPLOY_SHARED_FIXTURES'] ?? path.resolve(repoRoot, '../shared/fixtures');
export const localFixtures = path.join(repoRoot, 'test/fixtures');
export const cliPath = path.join(repoRoot, 'bin/todo-deploy.js');
/** The Node.js running the tests: the `node` devDependency, or the lowest supported one (npm run test:lowest-node). */
export const nodePath = process.execPath;

export function sharedFixture(...parts: string[]): string {
	return path.join(sharedFixtures, ...parts);
}
