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

/**
 * The Docker engine the tests use: $DOCKER_HOST when it is set (CI starts an engine of its own and
 * points the tests at it), else the machine's default socket.
 */
export const dockerHost = process.env['DOCKER_HOST'] || 'unix:///var/run/docker.sock';
export const dockerSocket = dockerHost.startsWith('unix://') ? dockerHost.slice('unix://'.length) : '/var/run/docker.sock';

/** A text as a pattern that matches exactly it. */
export const escapeRegExp = (text: string) => text.replaceAll(/[.*+?^${}()|[\]\\/]/g, String.raw`\$&`);
