import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import {applyMirror, checksumFor, defaultInstallDir, releasePlatform, sameVersion, toolRelease} from '../../source/engine/tools/catalog.js';
import {capturedFixture} from '../helpers/paths.js';

test('release platforms: linux and darwin, amd64 and arm64; everything else is refused with a reason', () => {
	assert.deepEqual(releasePlatform('linux', 'x64'), {os: 'linux', arch: 'amd64'});
	assert.deepEqual(releasePlatform('darwin', 'arm64'), {os: 'darwin', arch: 'arm64'});
	assert.match((releasePlatform('win32', 'x64') as {unsupported: string}).unsupported, /run todo-deploy inside a WSL 2 distro/);
	assert.match((releasePlatform('linux', 's390x') as {unsupported: string}).unsupported, /linux\/s390x is not a platform/);
});

test('the official release URLs, per tool and platform', () => {
	const linux = {os: 'linux', arch: 'amd64'} as const;
	assert.equal(toolRelease('helm', linux).url, 'https://get.helm.sh/helm-v4.1.4-linux-amd64.tar.gz');
	assert.equal(toolRelease('helm', linux).member, 'linux-amd64/helm');
	assert.equal(toolRelease('kubectl', {os: 'darwin', arch: 'arm64'}, {version: 'v1.34.5'}).url, 'https://dl.k8s.io/release/v1.34.5/bin/darwin/arm64/kubectl');
	const trivy = toolRelease('trivy', {os: 'darwin', arch: 'arm64'});
	assert.equal(trivy.url, 'https://github.com/aquasecurity/trivy/releases/download/v0.74.0/trivy_0.74.0_macOS-ARM64.tar.gz');
	assert.equal(trivy.checksumUrl, 'https://github.com/aquasecurity/trivy/releases/download/v0.74.0/trivy_0.74.0_checksums.txt');
	assert.equal(trivy.fileName, 'trivy_0.74.0_macOS-ARM64.tar.gz');
	assert.equal(toolRelease('kind', linux).checksumUrl, 'https://github.com/kubernetes-sigs/kind/releases/download/v0.32.0/kind-linux-amd64.sha256sum');
});

test('--mirror rewrites https://HOST/PATH to MIRROR/HOST/PATH, checksum files included', () => {
	assert.equal(
		applyMirror('https://get.helm.sh/helm-v4.2.4-linux-amd64.tar.gz', 'https://mirror.corp/tools/'),
		'https://mirror.corp/tools/get.helm.sh/helm-v4.2.4-linux-amd64.tar.gz',
	);
	assert.equal(applyMirror('https://dl.k8s.io/x', undefined), 'https://dl.k8s.io/x');
	assert.equal(
		toolRelease('minikube', {os: 'linux', arch: 'amd64'}, {mirror: 'http://127.0.0.1:8080'}).checksumUrl,
		'http://127.0.0.1:8080/github.com/kubernetes/minikube/releases/download/v1.38.1/minikube-linux-amd64.sha256',
	);
});

test('checksum files in each real format', () => {
	// minikube's .sha256: the bare hash and a newline (a real published file).
	const minikube = readFileSync(capturedFixture('release', 'minikube-linux-amd64.sha256'), 'utf8');
	assert.equal(checksumFor(minikube, 'minikube-linux-amd64'), minikube.trim());
	// kind's .sha256sum line, as a release script logged it.
	const kindLine = readFileSync(capturedFixture('release', 'kind-published-sha256sum-line-as-logged.txt'), 'utf8').replace(/^published kind sha:\s+/, '');
	assert.equal(checksumFor(kindLine, 'kind-linux-amd64'), 'aee6151561422756b764a4ae28e7f44cda5af5a9eead3cc9985112b1de8d8e0d');
	// goreleaser's checksums.txt: one line a file; the right one is picked, a missing one is undefined.
	const list = `${'a'.repeat(64)}  trivy_0.74.0_Linux-ARM64.tar.gz\n${'b'.repeat(64)}  trivy_0.74.0_Linux-64bit.tar.gz\n`;
	assert.equal(checksumFor(list, 'trivy_0.74.0_Linux-64bit.tar.gz'), 'b'.repeat(64));
	assert.equal(checksumFor(list, 'trivy_0.74.0_macOS-64bit.tar.gz'), undefined);
	assert.equal(checksumFor('<html>Not Found</html>', 'x'), undefined);
	assert.equal(checksumFor(`${'C'.repeat(64)} *helm-v4.2.4-linux-amd64.tar.gz`, 'helm-v4.2.4-linux-amd64.tar.gz'), 'c'.repeat(64));
});

test('the install folder follows XDG_DATA_HOME; versions compare without v and build metadata', () => {
	assert.equal(defaultInstallDir({}, '/home/dev'), '/home/dev/.local/share/todo-deploy/bin');
	assert.equal(defaultInstallDir({XDG_DATA_HOME: '/data'}, '/home/dev'), '/data/todo-deploy/bin');
	assert.equal(defaultInstallDir({XDG_DATA_HOME: 'relative'}, '/home/dev'), '/home/dev/.local/share/todo-deploy/bin');
	assert.ok(sameVersion('v4.2.4+g05fa379', '4.2.4'));
	assert.ok(!sameVersion('v4.2.3', '4.2.4'));
	assert.ok(!sameVersion(undefined, '4.2.4'));
});
