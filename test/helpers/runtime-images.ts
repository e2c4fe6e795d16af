// Base images for projects that look like real ones, made here because no registry is reachable:
// Debian's Python 3 with its FastAPI, uvicorn, SQLModel, psycopg2, PyJWT and passlib packages
// (todo-deploy-test/fastapi:1), and the Node.js binary of the npm package `node`
// (todo-deploy-test/node:1). Each holds busybox's sh, the shared libraries its programs link to,
// and an /etc/nsswitch.conf that resolves host names from /etc/hosts only: nothing in a test
// container asks a DNS server.
import {execFileSync} from 'node:child_process';
import {chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, realpathSync, symlinkSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {tempDir} from './cli.js';
import {imageExists} from './images.js';
import {repoRoot} from './paths.js';

export const fastapiImage = 'todo-deploy-test/fastapi:1';
export const nodeImage = 'todo-deploy-test/node:1';
/** What kind's local-registry script runs (registry:2), made from Debian's docker-registry (distribution 2.8). */
export const registryImage = 'todo-deploy-test/registry:2';

/** The shared libraries these files link to, with their own (ldd lists the whole closure). */
function librariesOf(files: readonly string[]): string[] {
	const found = new Set<string>();
	for (const file of files) {
		const output = execFileSync('ldd', [file], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore']}).toString();
		for (const match of output.matchAll(/(\/\S+\.so[.\d]*)/g)) {
			found.add(match[1] ?? '');
		}
	}

	return [...found].filter(Boolean);
}

function findFiles(dir: string, pattern: RegExp): string[] {
	const found: string[] = [];
	for (const entry of readdirSync(dir, {withFileTypes: true})) {
		const file = path.join(dir, entry.name);
		if (entry.isDirectory()) {
			found.push(...findFiles(file, pattern));
		} else if (pattern.test(entry.name)) {
			found.push(file);
		}
	}

	return found;
}

/** A root with busybox (sh and its applets), /tmp, /etc/passwd and a files-only nsswitch.conf. */
function baseRoot(): string {
	const root = path.join(tempDir('runtime-rootfs'), 'root');
	for (const folder of ['bin', 'tmp', 'etc', 'app', 'usr/bin']) {
		mkdirSync(path.join(root, folder), {recursive: true});
	}

	copyFileSync('/bin/busybox', path.join(root, 'bin/busybox'));
	chmodSync(path.join(root, 'bin/busybox'), 0o755);
	for (const applet of ['sh', 'ls', 'cat', 'env', 'sleep', 'wget']) {
		symlinkSync('busybox', path.join(root, 'bin', applet));
	}

	chmodSync(path.join(root, 'tmp'), 0o1777);
	writeFileSync(path.join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\napp:x:10001:10001:app:/app:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n');
	writeFileSync(path.join(root, 'etc/group'), 'root:x:0:\napp:x:10001:\nnogroup:x:65534:\n');
	writeFileSync(path.join(root, 'etc/nsswitch.conf'), 'hosts: files\n');
	return root;
}

function importRoot(image: string, root: string, hostPaths: readonly string[], excludes: readonly string[] = [], changes: readonly string[] = []): void {
	const tar = execFileSync(
		'tar',
		// -h: a library path is often a link (/lib64/ld-linux…, libstdc++.so.6); the image gets the file.
		['-c', '-h', '-C', root, '.', '-C', '/', ...excludes.map(pattern => `--exclude=${pattern}`), ...hostPaths.map(file => file.replace(/^\//, ''))],
		{maxBuffer: 1024 * 1024 * 1024},
	);
	execFileSync('docker', ['import', ...changes.flatMap(change => ['--change', change]), '-', image], {
		input: tar,
		stdio: ['pipe', 'ignore', 'pipe'],
		maxBuffer: 64 * 1024 * 1024,
	});
}

// Debian's packages a FastAPI todo app needs, and what they import.
const pythonPackages = [
	'fastapi',
	'starlette',
	'pydantic',
	'uvicorn',
	'h11',
	'anyio',
	'sniffio',
	'idna',
	'click',
	'asgiref',
	'sqlmodel',
	'sqlalchemy',
	'greenlet',
	'psycopg2',
	'jwt',
	'passlib',
	'multipart',
	'dotenv',
	'typing_extensions.py',
	'six.py',
];

export function ensureFastapiImage(): string {
	if (imageExists(fastapiImage)) {
		return fastapiImage;
	}

	const python = realpathSync('/usr/bin/python3');
	const version = /python(\d+\.\d+)$/.exec(python)?.[1] ?? '3';
	const root = baseRoot();
	symlinkSync(python, path.join(root, 'usr/bin/python3'));
	const packages = pythonPackages.map(name => path.join('/usr/lib/python3/dist-packages', name)).filter(file => existsSync(file));
	const modules = packages.flatMap(file => (file.endsWith('.py') ? [] : findFiles(file, /\.so$/)));
	const libraries = librariesOf([python, ...modules, ...findFiles(`/usr/lib/python${version}/lib-dynload`, /\.so$/)]);
	importRoot(
		fastapiImage,
		root,
		[python, `/usr/lib/python${version}`, ...packages, ...libraries],
		[
			'__pycache__',
			`usr/lib/python${version}/test`,
			'idlelib',
			'tkinter',
			'ensurepip',
			'lib2to3',
			'turtledemo',
			'config-*',
			'site-packages',
			'dist-packages/*/tests',
		],
	);
	return fastapiImage;
}

export function ensureNodeImage(): string {
	if (imageExists(nodeImage)) {
		return nodeImage;
	}

	const node = realpathSync(path.join(repoRoot, 'node_modules/node/bin/node'));
	const root = baseRoot();
	copyFileSync(node, path.join(root, 'usr/bin/node'));
	chmodSync(path.join(root, 'usr/bin/node'), 0o755);
	importRoot(nodeImage, root, librariesOf([node]));
	return nodeImage;
}

export function ensureRegistryImage(): string {
	if (imageExists(registryImage)) {
		return registryImage;
	}

	const binary = '/usr/bin/docker-registry';
	if (!existsSync(binary)) {
		throw new Error("the tests need Debian's docker-registry package: bash scripts/test-setup.sh installs it");
	}

	const root = baseRoot();
	mkdirSync(path.join(root, 'etc/docker/registry'), {recursive: true});
	mkdirSync(path.join(root, 'var/lib/registry'), {recursive: true});
	// registry:2's own configuration: filesystem storage, no auth, port 5000 (REGISTRY_HTTP_ADDR moves it).
	writeFileSync(
		path.join(root, 'etc/docker/registry/config.yml'),
		'version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: /var/lib/registry\n  delete:\n    enabled: true\nhttp:\n  addr: :5000\n',
	);
	importRoot(
		registryImage,
		root,
		[binary, ...librariesOf([binary])],
		[],
		['CMD ["/usr/bin/docker-registry", "serve", "/etc/docker/registry/config.yml"]', 'EXPOSE 5000'],
	);
	return registryImage;
}
