// Pure: why the app's chatbot did not answer, read from what its backend sent back (most backends pass
// the provider's error on: Gemini's own answer, or the HTTP library's words for a connection that
// failed). A table of rules, each fired by a captured real output; the first that matches wins.
import {firstRule, pattern, type Rule} from './rules.js';

export type ChatCause = {
	readonly kind: 'key' | 'dns' | 'proxy' | 'timeout' | 'refused';
	readonly cause: string;
	readonly fix: string;
};

export const chatRules: ReadonlyArray<Rule<string, RegExpExecArray, ChatCause>> = [
	{
		id: 'key-refused',
		fixture: 'chat/gemini-openai-compat-api-key-invalid.json',
		matches: pattern(/API_KEY_INVALID|API key not valid|API Key not found|PERMISSION_DENIED|UNAUTHENTICATED|invalid_api_key|Incorrect API key/i),
		says: () => ({
			kind: 'key',
			cause: 'the provider refused the key (API key not valid)',
			fix: 'Give the chatbot a valid Gemini API key (https://aistudio.google.com/apikey): GEMINI_API_KEY=… todo-deploy deploy puts it into the Secret (never on a command line), and the pods restart with it.',
		}),
	},
	{
		id: 'dns',
		fixture: 'chat/httpx-temporary-failure-in-name-resolution.txt',
		matches: pattern(/Temporary failure in name resolution|Name or service not known|getaddrinfo|ENOTFOUND|EAI_AGAIN|nodename nor servname/i),
		says: () => ({
			kind: 'dns',
			cause: "the backend pod cannot resolve the provider's name (DNS)",
			fix: "The cluster's DNS answers for names outside it only when it can reach a DNS server: check that CoreDNS runs (kubectl -n kube-system get pods -l k8s-app=kube-dns) and that no NetworkPolicy blocks the pod's DNS (the chart's allows port 53 to kube-dns).",
		}),
	},
	{
		id: 'proxy',
		fixture: 'chat/requests-proxy-407.txt',
		matches: pattern(/Proxy Authentication Required|ProxyError|Unable to connect to proxy|Tunnel connection failed/i),
		says: () => ({
			kind: 'proxy',
			cause: 'a proxy between the pod and the provider refused the connection',
			fix: 'Give the backend the proxy it needs with its credentials: --set backend.env.HTTPS_PROXY=http://USER:PASSWORD@PROXY:PORT (keep the password in .env as HTTPS_PROXY and let deploy put it in the Secret), with NO_PROXY for the cluster (.svc,.cluster.local,10.0.0.0/8).',
		}),
	},
	{
		id: 'timeout',
		fixture: 'chat/urllib3-connect-timeout-generativelanguage.txt',
		matches: pattern(/timed out|ETIMEDOUT|ConnectTimeout|Read timed out|deadline exceeded/i),
		says: () => ({
			kind: 'timeout',
			cause: 'the connection to the provider hangs: something between the pod and the Internet drops it',
			fix: "An egress NetworkPolicy that does not let the backend out on 443 (the chart's allows HTTPS out of the backend; a policy of the cluster's own may not), a firewall, or a network that needs a proxy (then --set backend.env.HTTPS_PROXY=…). kubectl -n NAMESPACE get networkpolicy lists the policies.",
		}),
	},
	{
		id: 'refused',
		fixture: 'chat/urllib-connection-refused.txt',
		matches: pattern(/Connection refused|ECONNREFUSED|Errno 111/i),
		says: () => ({
			kind: 'refused',
			cause: "nothing accepts connections at the provider's address the backend uses",
			fix: "Check the provider's base URL the backend reads (todo-deploy discover lists its settings); the public Gemini API is https://generativelanguage.googleapis.com.",
		}),
	},
];

/** The cause in what the backend answered, if any rule knows it. */
export function chatCause(answer: string): ChatCause | undefined {
	return firstRule(chatRules, answer)?.said;
}
