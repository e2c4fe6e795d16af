// A certificate refused for its dates (this machine's clock behind, WSL 2 after sleep; or a certificate
// past its end, minikube's own kept over a year) told apart from one refused for who signed it (a company
// CA), in what Go, kubeadm and containerd really print.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import {certificateTime} from '../../source/diagnose/certificate-time.js';
import {explainClusterStart} from '../../source/diagnose/cluster-start.js';
import {firstRule} from '../../source/diagnose/rules.js';
import {pullRules} from '../../source/diagnose/pull.js';
import {explainHelmFailure} from '../../source/engine/deploy/explain.js';
import {capturedFixture} from '../helpers/paths.js';

const text = (file: string) => readFileSync(capturedFixture(file), 'utf8');
const pull = (file: string) => {
	const message = text(file).trim();
	const image = /image "([^"]+)"/.exec(message)?.[1] ?? '';
	return firstRule(pullRules, {message, image, imageHost: image.split('/')[0] ?? '', preload: `docker pull ${image} && minikube image load ${image}`});
};

test('the dates of a refused certificate, from each wording', () => {
	assert.deepEqual(certificateTime(text('k8s/pull-failures/x509-certificate-expired-current-time-after.txt')), {
		kind: 'expired',
		current: '2025-06-12T03:05:25Z',
		bound: '2025-06-07T05:48:45Z',
	});
	assert.deepEqual(certificateTime(text('minikube/minikube-start-kubeadm-certificate-not-valid-yet-EXCERPT.txt')), {
		kind: 'clock-behind',
		bound: '2023-03-28 09:32:39 +0000 UTC',
	});
	assert.deepEqual(certificateTime('x509: certificate has expired or is not yet valid: current time 2026-01-02T10:00:00Z is before 2026-03-01T00:00:00Z'), {
		kind: 'clock-behind',
		current: '2026-01-02T10:00:00Z',
		bound: '2026-03-01T00:00:00Z',
	});
	assert.deepEqual(certificateTime(text('k8s/pull-failures/x509-expired-or-not-yet-valid-clock-drift.txt')), {kind: 'either'});
	// Who signed it is another cause: the company CA's rule keeps it.
	assert.equal(certificateTime(text('k8s/pull-failures/x509-minikube-docker.txt')), undefined);
});

test("a pull refused for the certificate's dates names the clock, a company CA's refusal names the CA", () => {
	const expired = pull('k8s/pull-failures/x509-certificate-expired-current-time-after.txt');
	assert.equal(expired?.id, 'certificate-time');
	assert.match(expired.said.cause, /the registry's TLS certificate has expired \(it ended at 2025-06-07T05:48:45Z\) \(the time there: 2025-06-12T03:05:25Z\)/);
	assert.match(expired.said.fix, /If 2025-06-12T03:05:25Z is not the time now, the clock is off: .*sudo hwclock -s/);
	assert.match(expired.said.fix, /docker pull harbor\.scpmtk\.com/);
	const drift = pull('k8s/pull-failures/x509-expired-or-not-yet-valid-clock-drift.txt');
	assert.equal(drift?.id, 'certificate-time');
	assert.match(drift.said.fix, /^Compare date with the real time/);
	const ca = pull('k8s/pull-failures/x509-minikube-docker.txt');
	assert.equal(ca?.id, 'untrusted-certificate');
	assert.doesNotMatch(ca.said.fix, /hwclock/);
});

test("minikube's own expired certificates get minikube delete or their renewal, a clock behind gets the clock", () => {
	const expired = explainClusterStart(
		{program: 'minikube', args: ['start', '-p', 'todo']},
		text('minikube/minikube-start-GUEST_START-certificate-expired-v1.24-EXCERPT.txt'),
	);
	assert.equal(expired.rule, 'certificate-time');
	assert.match(expired.cause, /^Minikube's own \(the cluster's\) certificate has expired \(it ended at 2023-07-07T06:44:44Z\)/);
	assert.match(expired.fix, /^Run minikube delete -p todo, then try again \(a new cluster/);
	assert.match(expired.fix, /minikube ssh -p todo -- sudo kubeadm certs renew all/);
	const behind = explainClusterStart(
		{program: 'minikube', args: ['start']},
		`${text('minikube/minikube-start-kubeadm-certificate-not-valid-yet-EXCERPT.txt')}\nX Exiting due to GUEST_START: wait: kubeadm init failed\n`,
	);
	assert.equal(behind.rule, 'certificate-time');
	assert.match(behind.cause, /not valid yet: it starts at 2023-03-28 09:32:39 \+0000 UTC, so the clock that checked it is behind/);
	assert.match(behind.fix, /^Set this machine's clock right: in WSL 2/);
	assert.doesNotMatch(behind.fix, /minikube delete/);
});

test("helm's own words for an API server certificate past its dates", () => {
	const said = explainHelmFailure(
		'Error: Kubernetes cluster unreachable: Get "https://127.0.0.1:32771/version": tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time 2026-12-03T10:00:00Z is before 2026-12-03T11:40:00Z',
		'todo',
		'todo',
	);
	assert.match(said.message, /the API server's certificate is not valid yet: it starts at 2026-12-03T11:40:00Z/);
	assert.match(said.fix ?? '', /^Set this machine's clock right/);
});
