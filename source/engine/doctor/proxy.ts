// Pure: a proxy in the environment, and what a local cluster needs of it. Behind a company proxy,
// HTTPS_PROXY without the cluster's own addresses in NO_PROXY sends kubectl, helm and minikube's
// checks of the node to the proxy, which cannot reach them.

/** What a local cluster needs to reach directly: the machine, minikube's docker network, the service range. */
export const clusterNoProxy = ['localhost', '127.0.0.1', '192.168.49.0/24', '10.96.0.0/12'] as const;

export type ProxyFacts = {
	/** The proxy, its user and password masked. */
	readonly proxy: string | undefined;
	readonly noProxy: readonly string[];
	/** What clusterNoProxy needs that NO_PROXY does not cover. */
	readonly missing: readonly string[];
	/** A CA bundle of the user's (SSL_CERT_FILE, NODE_EXTRA_CA_CERTS, REQUESTS_CA_BUNDLE), as variable=path. */
	readonly companyCa: string | undefined;
};

const read = (env: Readonly<Record<string, string | undefined>>, name: string) => env[name] ?? env[name.toLowerCase()];

/** A proxy URL without its password: http://user:secret@proxy:3128 -> http://user:***@proxy:3128. */
export function maskProxy(url: string): string {
	return url.replace(/^([a-z][\w+.-]*:\/\/[^:@/]+):[^@/]*@/i, '$1:***@');
}

function ipv4(text: string): number | undefined {
	const parts = text.split('.');
	if (parts.length !== 4 || !parts.every(part => /^\d{1,3}$/.test(part) && Number(part) <= 255)) {
		return undefined;
	}

	return parts.reduce((value, part) => value * 256 + Number(part), 0);
}

function network(text: string): {readonly base: number; readonly bits: number} | undefined {
	const [address = '', bits] = text.split('/');
	const base = ipv4(address);
	const size = bits === undefined ? 32 : Number(bits);
	return base === undefined || !Number.isInteger(size) || size < 0 || size > 32 ? undefined : {base, bits: size};
}

const prefix = (value: number, bits: number) => (bits === 0 ? 0 : Math.floor(value / 2 ** (32 - bits)));

/** Whether one NO_PROXY entry covers a needed host or range (a wider range covers a narrower one). */
export function covers(entry: string, needed: string): boolean {
	const rule = entry.trim().toLowerCase();
	if (rule === '*' || rule === needed) {
		return true;
	}

	const have = network(rule);
	const want = network(needed);
	return have !== undefined && want !== undefined && have.bits <= want.bits && prefix(have.base, have.bits) === prefix(want.base, have.bits);
}

export function proxyFacts(env: Readonly<Record<string, string | undefined>>): ProxyFacts {
	const raw = read(env, 'HTTPS_PROXY') ?? read(env, 'HTTP_PROXY');
	const noProxy = (read(env, 'NO_PROXY') ?? '')
		.split(',')
		.map(entry => entry.trim())
		.filter(Boolean);
	const caVariable = ['SSL_CERT_FILE', 'NODE_EXTRA_CA_CERTS', 'REQUESTS_CA_BUNDLE', 'CURL_CA_BUNDLE'].find(name => env[name]);
	return {
		proxy: raw ? maskProxy(raw) : undefined,
		noProxy,
		missing: raw ? clusterNoProxy.filter(needed => !noProxy.some(entry => covers(entry, needed))) : [],
		companyCa: caVariable ? `${caVariable}=${env[caVariable]}` : undefined,
	};
}

/** The doctor's words for it: a note when all is well, a problem with the fix when NO_PROXY lacks the cluster. */
export function describeProxy(facts: ProxyFacts): {readonly note?: string; readonly problem?: {readonly detail: string; readonly fix: string}} {
	const ca = facts.companyCa
		? ` A company CA is in use (${facts.companyCa}): the cluster's node does not have it, so pulls from registries that need it fail with "x509: certificate signed by unknown authority" (minikube: copy the .pem into ~/.minikube/certs, then minikube start --embed-certs).`
		: '';
	if (!facts.proxy) {
		return ca ? {note: ca.trim()} : {};
	}

	if (facts.missing.length === 0) {
		return {note: `A proxy is set (${facts.proxy}) and NO_PROXY covers the local cluster.${ca}`};
	}

	const all = [...facts.noProxy, ...facts.missing].join(',');
	return {
		problem: {
			detail: `A proxy is set (${facts.proxy}), but NO_PROXY ${facts.noProxy.length > 0 ? `(${facts.noProxy.join(',')}) ` : ''}lacks ${facts.missing.join(', ')}: kubectl, helm and minikube would send the local cluster's traffic to the proxy, which cannot reach it.${ca}`,
			fix: `export NO_PROXY=${all} no_proxy=${all} (and add it to ~/.bashrc); minikube takes it into the node with minikube start --docker-env HTTPS_PROXY=$HTTPS_PROXY --docker-env NO_PROXY=$NO_PROXY.`,
		},
	};
}
