// Real images for real builds: a base image imported from busybox-static (no registry is reachable),
// and small todo projects built on it.
import {execFileSync} from 'node:child_process';
import {chmodSync, copyFileSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {tempDir} from './cli.js';

export const baseImage = 'todo-deploy-test/busybox:1';

function docker(args: string[], options: {input?: Buffer; env?: NodeJS.ProcessEnv} = {}): string {
	return execFileSync('docker', args, {
		encoding: 'utf8',
		input: options.input,
		env: options.env ?? process.env,
		stdio: ['pipe', 'pipe', 'pipe'],
		maxBuffer: 64 * 1024 * 1024,
	});
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
	for (const applet of execFileSync('/bin/busybox', ['--list'], {encoding: 'utf8'})
		.split('\n')
		.filter(name => name && name !== 'busybox')) {
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
	/** The backend is the stand-in todo API (Python), which really answers /health, /ready and /api/todos. */
	app?: boolean;
};

/** backend/ (Python-looking) and frontend/ (Next.js-looking), each with a Dockerfile on the base image. */
export function makeTodoProject(options: ProjectOptions = {}): string {
	const root = tempDir('todo-project');
	const write = (file: string, text: string) => {
		mkdirSync(path.dirname(path.join(root, file)), {recursive: true});
		writeFileSync(path.join(root, file), text);
	};

	// A first instruction of this project's own: its layers are new on any engine, as on a first run, so
	// no test leans on cache entries an earlier test or run left behind.
	const fresh = `ENV TODO_TEST_PROJECT=${path.basename(root)}`;
	write('backend/requirements.txt', 'fastapi==0.115.0\n');
	write('backend/main.py', 'print("todo backend")\n');
	write('backend/.dockerignore', 'node_modules\n*.log\n');
	write('backend/debug.log', 'not for the image\n');
	write(
		'backend/Dockerfile',
		[
			`FROM ${baseImage}`,
			fresh,
			'WORKDIR /app',
			'COPY requirements.txt /app/',
			'RUN echo "installing $(wc -l < /app/requirements.txt) requirement" && echo ok > /app/installed',
			'COPY . /app',
			...(options.failingStep ? [`RUN echo "${options.failingStep}" && exit 3`] : []),
			'RUN ls -a /app > /app/files.txt',
			'CMD ["cat", "/app/files.txt"]',
			'',
		].join('\n'),
	);
	write('frontend/next.config.js', 'module.exports = {};\n');
	write('frontend/package.json', '{"name": "todo-frontend"}\n');
	write(
		'frontend/Dockerfile',
		[
			`FROM ${baseImage}`,
			fresh,
			'WORKDIR /app',
			'COPY . /app',
			'RUN echo "building the frontend" && ls /app > /app/files.txt',
			'CMD ["cat", "/app/files.txt"]',
			'',
		].join('\n'),
	);
	if (options.app) {
		ensurePythonImage();
		write('backend/app.py', readFileSync(todoApiSource, 'utf8'));
		write(
			'backend/Dockerfile',
			[`FROM ${pythonImage}`, 'WORKDIR /app', 'COPY requirements.txt /app/', 'COPY app.py /app/app.py', 'CMD ["python3", "/app/app.py"]', ''].join('\n'),
		);
	}

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

const gitEnv = {
	...process.env,
	GIT_AUTHOR_NAME: 'Test',
	GIT_AUTHOR_EMAIL: 'test@example.invalid',
	GIT_COMMITTER_NAME: 'Test',
	GIT_COMMITTER_EMAIL: 'test@example.invalid',
};

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

export const pythonImage = 'todo-deploy-test/python:1';

/**
 * Debian's Python 3 with the libraries it links to, imported as an image: the stand-in backend
 * (test/fixtures/todo-api/app.py) runs on it. Tests, caches and tooling are left out.
 */
export function ensurePythonImage(env?: NodeJS.ProcessEnv): string {
	if (imageExists(pythonImage, env)) {
		return pythonImage;
	}

	const python = execFileSync('/bin/sh', ['-c', 'readlink -f /usr/bin/python3'], {encoding: 'utf8'}).trim();
	const version = /python(\d+\.\d+)$/.exec(python)?.[1] ?? '3';
	const root = path.join(tempDir('python-rootfs'), 'root');
	for (const folder of ['usr/bin', 'usr/lib', 'bin', 'tmp', 'app']) {
		mkdirSync(path.join(root, folder), {recursive: true});
	}

	copyFileSync(python, path.join(root, 'usr/bin/python3'));
	chmodSync(path.join(root, 'usr/bin/python3'), 0o755);
	copyFileSync('/bin/busybox', path.join(root, 'bin/busybox'));
	chmodSync(path.join(root, 'bin/busybox'), 0o755);
	symlinkSync('busybox', path.join(root, 'bin/sh'));
	chmodSync(path.join(root, 'tmp'), 0o1777);
	const libraries = [...execFileSync('ldd', [python], {encoding: 'utf8'}).matchAll(/(\/\S+\.so[.\d]*)/g)].map(match => match[1] ?? '');
	for (const library of libraries) {
		mkdirSync(path.join(root, path.dirname(library)), {recursive: true});
		copyFileSync(library, path.join(root, library));
	}

	const tar = execFileSync(
		'tar',
		[
			'-c',
			'-C',
			root,
			'.',
			'-C',
			'/',
			'--exclude=__pycache__',
			'--exclude=test',
			'--exclude=idlelib',
			'--exclude=tkinter',
			'--exclude=ensurepip',
			'--exclude=lib2to3',
			'--exclude=turtledemo',
			'--exclude=site-packages',
			'--exclude=dist-packages',
			'--exclude=config-*',
			`usr/lib/python${version}`,
		],
		{maxBuffer: 256 * 1024 * 1024},
	);
	docker(['import', '-', pythonImage], {input: tar, env});
	return pythonImage;
}

export const todoApiSource = path.join(path.dirname(new URL(import.meta.url).pathname), '../fixtures/todo-api/app.py');

export type RunningApp = {url: string; port: number; container: string; stop(): void};

/** The stand-in backend in a real container on the host's network (loopback only is reached). */
export function startTodoApi(options: {port: number; env?: Record<string, string>; name?: string}): RunningApp {
	ensurePythonImage();
	const image = 'todo-deploy-test/todo-api:1';
	if (!imageExists(image)) {
		const context = tempDir('todo-api');
		copyFileSync(todoApiSource, path.join(context, 'app.py'));
		writeFileSync(path.join(context, 'Dockerfile'), `FROM ${pythonImage}\nCOPY app.py /app/app.py\nCMD ["python3", "/app/app.py"]\n`);
		docker(['build', '-q', '-t', image, context]);
	}

	const container = options.name ?? `todo-api-${process.pid}-${options.port}`;
	const variables = Object.entries({PORT: String(options.port), ...options.env}).flatMap(([key, value]) => ['-e', `${key}=${value}`]);
	docker(['run', '-d', '--rm', '--network', 'host', '--name', container, ...variables, image]);
	return {
		url: `http://127.0.0.1:${options.port}`,
		port: options.port,
		container,
		stop: () => {
			try {
				docker(['rm', '-f', container]);
			} catch {
				// Already gone.
			}
		},
	};
}
