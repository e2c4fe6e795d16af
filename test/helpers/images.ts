// Real images for real builds: a base image imported from busybox-static (no registry is reachable),
// and small todo projects built on it.
import {execFileSync} from 'node:child_process';
import {chmodSync, mkdirSync, readdirSync, symlinkSync, writeFileSync, copyFileSync} from 'node:fs';
import path from 'node:path';
import {tempDir} from './cli.js';

export const baseImage = 'todo-deploy-test/busybox:1';

function docker(args: string[], options: {input?: Buffer; env?: NodeJS.ProcessEnv} = {}): string {
	return execFileSync('docker', args, {encoding: 'utf8', input: options.input, env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024});
}

export function imageExists(reference: string, env?: NodeJS.ProcessEnv): boolean {
	try {
		docker(['image', 'inspect', reference], {env});
		return true;
	} catch {
		return false;
	}
}

export function imageId(reference: string, env?: NodeJS.ProcessEnv): string {
	return docker(['image', 'inspect', '--format', '{{.Id}}', reference], {env}).trim();
}

/** `docker import` of a root file system holding only busybox-static and its applet links. */
export function ensureBaseImage(env?: NodeJS.ProcessEnv): string {
	if (imageExists(baseImage, env)) {
		return baseImage;
	}

	const root = path.join(tempDir('rootfs'), 'root');
	for (const folder of ['bin', 'tmp', 'etc', 'app']) {
		mkdirSync(path.join(root, folder), {recursive: true});
	}

	copyFileSync('/bin/busybox', path.join(root, 'bin/busybox'));
	chmodSync(path.join(root, 'bin/busybox'), 0o755);
	for (const applet of execFileSync('/bin/busybox', ['--list'], {encoding: 'utf8'}).split('\n').filter(name => name && name !== 'busybox')) {
		symlinkSync('busybox', path.join(root, 'bin', applet));
	}

	writeFileSync(path.join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n');
	chmodSync(path.join(root, 'tmp'), 0o1777);
	const tar = execFileSync('tar', ['-C', root, '-c', '.'], {maxBuffer: 64 * 1024 * 1024});
	docker(['import', '-', baseImage], {input: tar, env});
	return baseImage;
}

export type ProjectOptions = {
	/** A RUN step in the backend that fails with this output. */
	failingStep?: string;
	/** Megabytes of files under backend/node_modules that .dockerignore keeps out. */
	ignoredMegabytes?: number;
	/** Put the project in git and commit it. */
	git?: boolean;
};

/** backend/ (Python-looking) and frontend/ (Next.js-looking), each with a Dockerfile on the base image. */
export function makeTodoProject(options: ProjectOptions = {}): string {
	const root = tempDir('todo-project');
	const write = (file: string, text: string) => {
		mkdirSync(path.dirname(path.join(root, file)), {recursive: true});
		writeFileSync(path.join(root, file), text);
	};

	write('backend/requirements.txt', 'fastapi==0.115.0\n');
	write('backend/main.py', 'print("todo backend")\n');
	write('backend/.dockerignore', 'node_modules\n*.log\n');
	write('backend/debug.log', 'not for the image\n');
	write('backend/Dockerfile', [
		`FROM ${baseImage}`,
		'WORKDIR /app',
		'COPY requirements.txt /app/',
		'RUN echo "installing $(wc -l < /app/requirements.txt) requirement" && echo ok > /app/installed',
		'COPY . /app',
		...(options.failingStep ? [`RUN echo "${options.failingStep}" && exit 3`] : []),
		'RUN ls -a /app > /app/files.txt',
		'CMD ["cat", "/app/files.txt"]',
		'',
	].join('\n'));
	write('frontend/next.config.js', 'module.exports = {};\n');
	write('frontend/package.json', '{"name": "todo-frontend"}\n');
	write('frontend/Dockerfile', [
		`FROM ${baseImage}`,
		'WORKDIR /app',
		'COPY . /app',
		'RUN echo "building the frontend" && ls /app > /app/files.txt',
		'CMD ["cat", "/app/files.txt"]',
		'',
	].join('\n'));
	if (options.ignoredMegabytes) {
		const chunk = Buffer.alloc(1024 * 1024, 7);
		for (let index = 0; index < options.ignoredMegabytes; index++) {
			write(`backend/node_modules/pkg${index}/blob.bin`, chunk.toString('latin1'));
		}
	}

	if (options.git) {
		gitCommitAll(root, 'first');
	}

	return root;
}

const gitEnv = {...process.env, GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 'test@example.invalid', GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 'test@example.invalid'};

export function gitCommitAll(root: string, message: string): string {
	if (!readdirSync(root).includes('.git')) {
		execFileSync('git', ['init', '-q', '-b', 'main', root], {env: gitEnv});
	}

	execFileSync('git', ['-C', root, 'add', '-A'], {env: gitEnv});
	execFileSync('git', ['-C', root, 'commit', '-q', '-m', message], {env: gitEnv});
	return execFileSync('git', ['-C', root, 'rev-parse', 'HEAD'], {encoding: 'utf8', env: gitEnv}).trim();
}

/** Removes every tag of the test repositories a test made (the base image stays). */
export function removeImages(references: string[], env?: NodeJS.ProcessEnv): void {
	for (const reference of references) {
		try {
			docker(['image', 'rm', '-f', reference], {env});
		} catch {
			// Already gone.
		}
	}
}
