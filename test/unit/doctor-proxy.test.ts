// A proxy in the environment, and what a local cluster needs of NO_PROXY.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {covers, describeProxy, maskProxy, proxyFacts} from '../../source/engine/doctor/proxy.js';
import {platformCheck} from '../../source/engine/doctor/check-machine.js';
import {createFakeSystem} from '../helpers/fake-system.js';

test('NO_PROXY entries cover hosts and ranges as the tools read them: a wider range covers a narrower one', () => {
	assert.equal(covers('127.0.0.0/8', '127.0.0.1'), true);
	assert.equal(covers('192.168.0.0/16', '192.168.49.0/24'), true);
	assert.equal(covers('192.168.49.0/24', '192.168.0.0/16'), false);
	assert.equal(covers('10.0.0.0/8', '10.96.0.0/12'), true);
	assert.equal(covers('10.96.0.1', '10.96.0.0/12'), false);
	assert.equal(covers('LOCALHOST', 'localhost'), true);
	assert.equal(covers('*', '10.96.0.0/12'), true);
	assert.equal(covers('.svc', '127.0.0.1'), false);
});

test('the proxy password is never shown', () => {
	assert.equal(maskProxy('http://dev:s3cr3t@proxy.corp:3128'), 'http://dev:***@proxy.corp:3128');
	assert.equal(maskProxy('http://proxy.corp:3128'), 'http://proxy.corp:3128');
	const facts = proxyFacts({HTTPS_PROXY: 'http://dev:s3cr3t@proxy.corp:3128'});
	assert.doesNotMatch(JSON.stringify(describeProxy(facts)), /s3cr3t/);
});

test('a proxy whose NO_PROXY lacks the cluster says what is missing and the export that adds it', () => {
	const facts = proxyFacts({https_proxy: 'http://proxy.corp:3128', no_proxy: 'localhost,127.0.0.1,.corp'});
	assert.deepEqual(facts.missing, ['192.168.49.0/24', '10.96.0.0/12']);
	const said = describeProxy(facts);
	assert.match(
		said.problem?.detail ?? '',
		/^A proxy is set \(http:\/\/proxy\.corp:3128\), but NO_PROXY \(localhost,127\.0\.0\.1,\.corp\) lacks 192\.168\.49\.0\/24, 10\.96\.0\.0\/12/,
	);
	assert.match(said.problem?.fix ?? '', /^export NO_PROXY=localhost,127\.0\.0\.1,\.corp,192\.168\.49\.0\/24,10\.96\.0\.0\/12 no_proxy=/);
	assert.match(said.problem?.fix ?? '', /minikube start --docker-env HTTPS_PROXY=\$HTTPS_PROXY --docker-env NO_PROXY=\$NO_PROXY/);
});

test('a NO_PROXY that covers it is a note; no proxy says nothing; a company CA is named', () => {
	assert.match(
		describeProxy(proxyFacts({HTTP_PROXY: 'http://p:8080', NO_PROXY: '127.0.0.0/8,localhost,192.168.0.0/16,10.0.0.0/8'})).note ?? '',
		/covers the local cluster/,
	);
	assert.deepEqual(describeProxy(proxyFacts({PATH: '/usr/bin'})), {});
	assert.match(
		describeProxy(proxyFacts({SSL_CERT_FILE: '/etc/ssl/corp.pem'})).note ?? '',
		/company CA is in use \(SSL_CERT_FILE=\/etc\/ssl\/corp\.pem\).*x509: certificate signed by unknown authority.*--embed-certs/,
	);
});

test("the platform check warns of it with the machine's other limits", async () => {
	const system = createFakeSystem({cpus: 8, memoryMiB: 16_000, env: {PATH: '/usr/bin', HTTPS_PROXY: 'http://proxy.corp:3128'}});
	const outcome = await platformCheck.run(system);
	assert.equal(outcome.status, 'warn');
	assert.match(outcome.detail ?? '', /A proxy is set .* lacks localhost, 127\.0\.0\.1, 192\.168\.49\.0\/24, 10\.96\.0\.0\/12/);
});
