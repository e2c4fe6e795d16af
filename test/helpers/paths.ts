import path from 'node:path';
import {fileURLToPath} from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const localFixtures = path.join(repoRoot, 'test/fixtures');
/** Real outputs captured from the real tools, kept in the repository; test/fixtures/captured/SOURCES.md says where each came from. */
export const capturedFixtures = path.join(localFixtures, 'captured');
export const cliPath = path.join(repoRoot, 'bin/todo-deploy.js');
/** The Node.js running the tests: the `node` devDependency, or the lowest supported one (npm run test:lowest-node). */
export const nodePath = process.execPath;

export function capturedFixture(...parts: string[]): string {
	return path.join(capturedFixtures, ...parts);
}
