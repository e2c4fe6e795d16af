// The bad-input corpus: what a hostile but honest user types, feeds and does, one case an entry.
// Each says its command, its setup, the exit code the README's table gives, and (optionally) what
// the output must say. The runner (test/e2e/corpus.test.ts) adds the rules every case keeps: it
// ends within its deadline, its output has no raw error (stack trace, TypeError, [object Object],
// undefined, NaN, a bare "fetch failed", a Node warning) and no secret value.
import type {CorpusWorld} from './world.js';

export type CorpusCase = {
	readonly name: string;
	readonly args: (world: CorpusWorld) => string[];
	readonly env?: (world: CorpusWorld) => Record<string, string | undefined>;
	/** Tools the case's PATH holds (real ones linked in). */
	readonly tools?: readonly string[];
	readonly exit: number;
	/** stdout + stderr must match. */
	readonly says?: RegExp;
	/** Milliseconds the command may take (default 20 s). */
	readonly within?: number;
	/** Values that must appear nowhere in the output. */
	readonly secrets?: (world: CorpusWorld) => readonly string[];
	/** How stdout is taken: closed at once (EPIPE), or /dev/full. */
	readonly stdout?: 'closed' | 'full';
	/** A signal sent after this many milliseconds; the command must end within 2 s of it. */
	readonly signal?: {readonly name: 'SIGINT' | 'SIGTERM'; readonly after: number};
};

const usage = (name: string, args: string[], says: RegExp): CorpusCase => ({name, args: () => args, exit: 2, says});

const ok = {Dockerfile: 'FROM todo-deploy-test/busybox:1\n'};
const twoSides = {'backend/Dockerfile': ok.Dockerfile, 'backend/main.py': 'print(1)\n', 'frontend/Dockerfile': ok.Dockerfile, 'frontend/next.config.js': '\n'};

export const corpusCases: readonly CorpusCase[] = [
	// The command line: every number has a range, every name a shape; the message says what is allowed.
	usage('unknown command', ['deploi'], /Unknown command "deploi"/),
	usage('unknown option', ['doctor', '--colour'], /Unknown option '--colour'|--colour/),
	usage('option without its value', ['verify', '--users'], /--users/),
	usage('users 0', ['verify', '--users', '0'], /--users takes a whole number from 1 to 10000/),
	usage('users 1e9', ['verify', '--users', '1e9'], /--users takes a whole number from 1 to 10000/),
	usage('users -5', ['verify', '--users', '-5'], /--users takes a whole number from 1 to 10000/),
	usage('users not a number', ['verify', '--users', 'many'], /--users takes a whole number/),
	usage('users fraction', ['verify', '--users', '2.5'], /--users takes a whole number/),
	usage('duration 0', ['verify', '--duration', '0'], /--duration takes a number from 1 to 3600 s/),
	usage('duration a week', ['verify', '--duration', '604800'], /--duration takes a number from 1 to 3600 s/),
	usage('target p95 0', ['verify', '--target-p95', '0'], /--target-p95 takes a number from 1/),
	usage('target p95 Infinity', ['verify', '--target-p95', 'Infinity'], /--target-p95 takes a number/),
	usage('port 0', ['verify', '--port', '0'], /--port takes a whole number from 1 to 65535/),
	usage('port 70000', ['verify', '--port', '70000'], /--port takes a whole number from 1 to 65535/),
	usage('timeout 0', ['deploy', '--timeout', '0'], /--timeout takes a number from 1 to 86400 s/),
	usage('timeout 1e12', ['deploy', '--timeout', '1e12'], /--timeout takes a number from 1 to 86400 s/),
	usage('timeout NaN', ['deploy', '--timeout', 'NaN'], /--timeout takes a number/),
	usage('namespace with capitals', ['status', '-n', 'Todo'], /is not a namespace name/),
	usage('namespace too long', ['status', '-n', 'a'.repeat(70)], /is not a namespace name/),
	usage('release with a dot', ['deploy', '--release', 'my.app'], /is not a Helm release name/),
	usage('secret on --set', ['deploy', '--set', 'secrets.authSecret=hunter2hunter2'], /Secrets never go on the command line/),
	usage('--set without =', ['deploy', '--set', 'backend.replicas'], /--set/),
	usage('two load targets', ['load', '--kind', 'a', '--minikube', 'b'], /Name one place to load into/),
	usage('severity list wrong', ['scan', '--severity', 'SEVERE'], /takes a list of CRITICAL, HIGH/),
	usage('registry not a registry', ['load', '--registry', 'http://x y'], /is not a registry/),
	usage('url not a url', ['verify', '--url', 'localhost:8000'], /is not an http:\/\/ or https:\/\/ address/),
	usage('api not a path', ['verify', '--api', 'api/todos'], /is not a path starting with \//),
	usage('token-env not a name', ['verify', '--token-env', '1X'], /is not an environment variable name/),
	usage('token-env unset', ['verify', '--token-env', 'NO_SUCH_TOKEN'], /\$NO_SUCH_TOKEN is not set/),
	usage('install an unknown tool', ['install', 'kubeadm'], /kubeadm/),
	usage('status takes no folder', ['status', 'todo'], /status takes no arguments/),
	usage('build two folders', ['build', 'a', 'b'], /build takes \[DIR\]/),
	usage('skip an unknown step', ['up', '--skip', 'tests'], /--skip/),
	// up builds and deploys both sides: --only is build's, and the message says so.
	usage("up with build's --only", ['up', '--only', 'backend'], /^todo-deploy: up has no --only; build, load and scan take it \(todo-deploy build --help\)\.$/m),
	usage('only a third side', ['build', '--only', 'database'], /--only/),
	usage('on-failure unknown', ['deploy', '--on-failure', 'retry'], /--on-failure/),
	usage('lint target unknown', ['lint', '--target', 'cloud'], /--target/),
	usage('users with a unit', ['verify', '--users', '10k'], /--users takes a whole number/),
	usage('duration empty', ['verify', '--duration', ''], /--duration takes a number/),

	// Project files: named, with what to do; never a crash.
	{
		name: 'todo-deploy.json not JSON',
		args: world => ['discover', world.project({...twoSides, 'todo-deploy.json': '{"backend": '})],
		exit: 1,
		says: /todo-deploy\.json is not valid JSON/,
	},
	{
		name: 'todo-deploy.json of the wrong shape',
		args: world => ['discover', world.project({...twoSides, 'todo-deploy.json': '{"backend": 42, "chart": ["a"]}'})],
		exit: 1,
		says: /todo-deploy\.json does not match its schema: \/backend must be object/,
	},
	{
		name: 'todo-deploy.json with an unknown key',
		args: world => ['discover', world.project({...twoSides, 'todo-deploy.json': '{"backend": {"context": "backend", "dockerfile": "Dockerfile", "prot": 1}}'})],
		exit: 1,
		says: /todo-deploy\.json does not match its schema: \/backend must NOT have additional properties \(prot\)/,
	},
	{
		name: 'todo-deploy.json is an array',
		args: world => ['build', world.project({...twoSides, 'todo-deploy.json': '[]'})],
		exit: 1,
		says: /todo-deploy\.json does not match its schema/,
	},
	{
		name: 'todo-deploy.json with a port out of range',
		args: world => [
			'discover',
			world.project({...twoSides, 'todo-deploy.json': '{"backend": {"context": "backend", "dockerfile": "Dockerfile", "port": 99999}}'}),
		],
		exit: 1,
		says: /\/backend\/port must be <= 65535/,
	},
	{
		name: 'state.json corrupt',
		args: world => [
			'verify',
			world.project({'.todo-deploy/state.json': '{"version": 1, "sections": {"verify": '}),
			'--url',
			`http://127.0.0.1:${world.refusing}`,
			'--no-load',
		],
		exit: 8,
		says: /\.todo-deploy\/state\.json could not be read: .*moved aside to .*state\.json\.bad-/,
	},
	{
		name: 'state.json of the wrong shape',
		args: world => [
			'verify',
			world.project({
				'.todo-deploy/state.json': '{"version": 1, "project": 3, "sections": {"verify": {"status": "verified", "data": {"load": {"p95": null}}}}}',
			}),
			'--url',
			`http://127.0.0.1:${world.refusing}`,
			'--no-load',
		],
		exit: 8,
		says: /state\.json .*moved aside/,
	},
	{
		name: 'state.json after a load check where every request failed',
		args: world => [
			'build',
			world.project({
				'.todo-deploy/state.json': JSON.stringify({
					version: 1,
					project: '/x',
					sections: {
						verify: {
							status: 'failed',
							at: '2026-01-01T00:00:00Z',
							data: {
								url: 'http://x',
								health: [],
								smoke: [],
								load: {users: 5, durationMs: 1000, requests: 0, errors: 40, p50: null, p95: null, p99: null, targetP95Ms: 500, passed: false, histogram: []},
							},
						},
					},
				}),
			}),
		],
		exit: 1,
		says: /No backend or frontend Dockerfile/,
	},
	{
		name: 'build a folder that does not exist',
		args: world => ['build', `${world.project({})}/nowhere`],
		exit: 1,
		says: /nowhere does not exist/,
	},
	{
		name: 'build a file, not a folder',
		args: world => ['build', `${world.project({'notes.txt': 'x'})}/notes.txt`],
		exit: 1,
		says: /is not a folder/,
	},
	{name: 'build with no Dockerfile', args: world => ['build', world.project({'README.md': '# x'})], exit: 1, says: /No backend or frontend Dockerfile/},
	{name: 'discover an empty folder', args: world => ['discover', world.project({})], exit: 1, says: /backend {3}not found/},
	{
		name: 'lint a folder that is no chart',
		args: world => ['lint', world.project({'values.yaml': 'a: 1\n'})],
		exit: 2,
		says: /is not a Helm chart \(no Chart\.yaml\)/,
	},

	// Secrets: placeholders and malformed values refused before anything is deployed, with the line.
	...[
		['AIzaSy filler', 'GEMINI_API_KEY', 'AIzaSyXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX'],
		['x filler', 'TODO_AUTH_SECRET', 'xxxxxxxxxxxxxxxxxxxxxxxx'],
		['zero filler', 'TODO_DATABASE_PASSWORD', '0000000000000000'],
		['dots', 'TODO_AUTH_SECRET', '……..........'],
		['only spaces', 'TODO_AUTH_SECRET', '        '],
		['changeme', 'TODO_DATABASE_PASSWORD', 'changeme'],
		['your-key-here', 'GEMINI_API_KEY', 'your-gemini-api-key-here'],
		['angle brackets', 'TODO_AUTH_SECRET', '<your secret>'],
	].map(([label = '', name = '', value = '']): CorpusCase => ({
		name: `placeholder in the environment: ${label}`,
		args: world => ['deploy', world.project(twoSides)],
		env: world => ({KUBECONFIG: world.kubeconfig(`http://127.0.0.1:${world.html500}`), [name]: value}),
		tools: ['helm'],
		exit: 1,
		says: new RegExp(`from ${name} is .*not a real value`),
	})),
	{
		name: '.env with an unclosed quote',
		args: world => ['deploy', world.project({...twoSides, '.env': 'TODO_DATABASE_PASSWORD=fine-password-123\nTODO_AUTH_SECRET="never closed\n'})],
		env: world => ({KUBECONFIG: world.kubeconfig(`http://127.0.0.1:${world.html500}`)}),
		tools: ['helm'],
		exit: 1,
		says: /\.env line 2: TODO_AUTH_SECRET has an opening quote and no closing one/,
	},
	{
		name: '.env with a line that is no setting',
		args: world => ['deploy', world.project({...twoSides, '.env': 'TODO_DATABASE_PASSWORD=fine-password-123\nthis is not a setting\n'})],
		env: world => ({KUBECONFIG: world.kubeconfig(`http://127.0.0.1:${world.html500}`)}),
		tools: ['helm'],
		exit: 1,
		says: /\.env line 2: "this is not a setting" is not NAME=value/,
	},

	// Kubeconfigs and API servers: each broken kind named, with its fix; a silent one has a deadline.
	{name: 'no kubeconfig', args: () => ['status', '--once'], exit: 3, says: /no kubeconfig/i},
	{name: 'kubeconfig is a folder', args: () => ['status', '--once'], env: world => ({KUBECONFIG: world.project({})}), exit: 3, says: /kubeconfig/i},
	{
		name: 'kubeconfig not YAML',
		args: () => ['status', '--once'],
		env: world => ({KUBECONFIG: `${world.project({config: 'clusters: [\n  - {name: '})}/config`}),
		exit: 3,
		says: /kubeconfig/i,
	},
	{
		name: 'kubeconfig with no current context',
		args: () => ['status', '--once'],
		env: world => ({KUBECONFIG: `${world.project({config: 'apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n'})}/config`}),
		exit: 3,
		says: /context/i,
	},
	{
		name: 'API server refuses',
		args: () => ['status', '--once'],
		env: world => ({KUBECONFIG: world.kubeconfig(`http://127.0.0.1:${world.refusing}`)}),
		exit: 3,
		says: /refused/i,
	},
	{
		name: 'API server silent',
		args: () => ['status', '--once'],
		env: world => ({KUBECONFIG: world.kubeconfig(`http://127.0.0.1:${world.silent}`)}),
		exit: 3,
		says: /did not answer within \d+ s/,
		within: 25_000,
	},
	{
		name: 'API server answers HTML',
		args: () => ['status', '--once'],
		env: world => ({KUBECONFIG: world.kubeconfig(`http://127.0.0.1:${world.html500}`)}),
		exit: 3,
		says: /500/,
	},
	{
		name: 'down against a silent API server',
		args: () => ['down'],
		env: world => ({KUBECONFIG: world.kubeconfig(`http://127.0.0.1:${world.silent}`)}),
		tools: ['helm'],
		exit: 3,
		says: /did not answer within \d+ s/,
		within: 25_000,
	},
	{
		name: 'deploy against a silent API server',
		args: world => ['deploy', world.project(twoSides)],
		env: world => ({KUBECONFIG: world.kubeconfig(`http://127.0.0.1:${world.silent}`)}),
		tools: ['helm'],
		exit: 3,
		says: /did not answer within \d+ s/,
		within: 25_000,
	},
	{
		name: 'deploy with no helm creates nothing',
		args: world => ['deploy', world.project(twoSides)],
		env: world => ({KUBECONFIG: world.kubeconfig(`http://127.0.0.1:${world.html500}`)}),
		exit: 3,
		says: /Helm is not installed, so nothing was changed\.\n {2}fix: npx todo-deploy install helm/,
	},
	{
		name: 'verify against a silent backend',
		args: world => ['verify', world.project({}), '--url', `http://127.0.0.1:${world.silent}`, '--no-load'],
		exit: 8,
		says: /did not answer within \d+ s/,
		within: 60_000,
	},
	{
		name: 'verify against a refusing backend',
		args: world => ['verify', world.project({}), '--url', `http://127.0.0.1:${world.refusing}`, '--no-load'],
		exit: 8,
		says: /ECONNREFUSED|refused/,
	},
	{
		name: 'verify against an HTML error page',
		args: world => ['verify', world.project({}), '--url', `http://127.0.0.1:${world.html500}`, '--no-load'],
		exit: 8,
		says: /answered 500/,
	},
	{
		name: 'verify: a secret the backend echoes is masked on screen and in the report',
		args: world => ['verify', world.project({}), '--url', `http://127.0.0.1:${world.leaky}`, '--no-load'],
		env: world => ({TODO_DATABASE_PASSWORD: world.leakedSecret}),
		exit: 8,
		says: /\*\*\*\*/,
		secrets: world => [world.leakedSecret],
	},
	{
		name: 'verify load check: every request fails',
		args: world => ['verify', world.project({}), '--url', `http://127.0.0.1:${world.html500}`, '--users', '5', '--duration', '1'],
		exit: 8,
		says: /requests failed/,
	},

	// Docker endpoints: refusing, hanging and odd ones told apart, each with its own fix.
	{name: 'Docker socket missing', args: world => ['build', world.project(twoSides)], exit: 3, says: /Docker is not running: there is no socket at/},
	{
		name: 'Docker refuses on tcp',
		args: world => ['build', world.project(twoSides)],
		env: world => ({DOCKER_HOST: `tcp://127.0.0.1:${world.refusing}`}),
		exit: 3,
		says: /refused/,
	},
	{
		name: 'Docker accepts and never answers (tcp)',
		args: world => ['build', world.project(twoSides)],
		env: world => ({DOCKER_HOST: `tcp://127.0.0.1:${world.silent}`}),
		exit: 3,
		says: /did not answer within \d+ s/,
		within: 25_000,
	},
	{
		name: 'Docker accepts and never answers (socket)',
		args: world => ['build', world.project(twoSides)],
		env: world => ({DOCKER_HOST: `unix://${world.silentSocket}`}),
		exit: 3,
		says: /did not answer within \d+ s/,
		within: 25_000,
	},
	{
		name: 'DOCKER_HOST garbage',
		args: world => ['build', world.project(twoSides)],
		env: () => ({DOCKER_HOST: 'htp:/wrong'}),
		exit: 3,
		says: /DOCKER_HOST/,
	},
	{
		name: 'doctor with a hung Docker',
		args: () => ['doctor', '--json'],
		env: world => ({DOCKER_HOST: `tcp://127.0.0.1:${world.silent}`}),
		exit: 1,
		says: /did not answer/,
		within: 25_000,
	},

	// More files and endpoints.
	{
		name: 'todo-deploy.json with an empty chart',
		args: world => ['discover', world.project({...twoSides, 'todo-deploy.json': '{"chart": ""}'})],
		exit: 1,
		says: /\/chart must NOT have fewer than 1 characters/,
	},
	{
		name: 'todo-deploy.json with a setting of an unknown kind',
		args: world => [
			'discover',
			world.project({...twoSides, 'todo-deploy.json': '{"backend": {"context": "backend", "dockerfile": "Dockerfile", "env": {"X": {"kind": "magic"}}}}'}),
		],
		exit: 1,
		says: /todo-deploy\.json does not match its schema/,
	},
	{
		name: 'kubeconfig context that names no cluster',
		args: () => ['status', '--once'],
		env: world => ({
			KUBECONFIG: `${world.project({config: 'apiVersion: v1\nkind: Config\ncurrent-context: a\ncontexts:\n- name: a\n  context: {cluster: gone, user: u}\nclusters: []\nusers: [{name: u, user: {}}]\n'})}/config`,
		}),
		exit: 3,
		says: /names no cluster|no cluster/,
	},
	{
		name: 'down against a refusing API server',
		args: () => ['down'],
		env: world => ({KUBECONFIG: world.kubeconfig(`http://127.0.0.1:${world.refusing}`)}),
		tools: ['helm'],
		exit: 3,
		says: /refused/,
	},
	{
		name: 'status --json against a refusing API server',
		args: () => ['status', '--once', '--json'],
		env: world => ({KUBECONFIG: world.kubeconfig(`http://127.0.0.1:${world.refusing}`)}),
		exit: 3,
		says: /refused/,
	},
	{name: 'load with no cluster anywhere', args: world => ['load', world.project(twoSides)], exit: 3, says: /no cluster to load into/},
	{name: 'scan without Docker', args: world => ['scan', world.project(twoSides)], exit: 3, says: /Docker is not running/},
	{name: 'up without a terminal and without --yes', args: world => ['up', world.project(twoSides)], exit: 1, says: /run with --yes to go ahead/},
	{
		name: 'lint without helm is the machine to fix, not the chart',
		args: world => ['lint', world.project({'Chart.yaml': 'apiVersion: v2\nname: fine\nversion: 0.1.0\n', 'templates/cm.yaml': 'kind: ConfigMap\n'})],
		exit: 3,
		says: /Helm is not installed, so \S+ could not be rendered or checked\.\n {2}fix: npx todo-deploy install helm/,
	},
	{
		name: 'lint a chart whose template does not parse',
		args: world => [
			'lint',
			world.project({
				'Chart.yaml': 'apiVersion: v2\nname: broken\nversion: 0.1.0\n',
				'templates/cm.yaml': 'kind: ConfigMap\nmetadata: {name: {{ .Values.name }\n',
			}),
		],
		tools: ['helm'],
		exit: 1,
		says: /did not render|parse error/,
	},
	{
		name: 'lint a chart with a placeholder secret',
		args: world => [
			'lint',
			world.project({
				'Chart.yaml': 'apiVersion: v2\nname: leaky\nversion: 0.1.0\n',
				'templates/secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata: {name: app}\nstringData:\n  AUTH_SECRET: changeme\n',
			}),
		],
		tools: ['helm'],
		exit: 1,
		says: /placeholder/,
	},
	{
		name: 'verify with an OpenAPI file that is not JSON',
		args: world => {
			const root = world.project({'api.json': '{not json'});
			return ['verify', root, '--url', `http://127.0.0.1:${world.html500}`, '--openapi', `${root}/api.json`, '--no-load'];
		},
		exit: 8,
		says: /is not JSON/,
	},
	{name: 'doctor with no HOME', args: () => ['doctor'], env: () => ({HOME: undefined}), exit: 1},
	{
		name: 'doctor with a kubeconfig that is not YAML',
		args: () => ['doctor'],
		env: world => ({KUBECONFIG: `${world.project({config: ': : :\n\t- ['})}/config`}),
		exit: 1,
		says: /kubeconfig/i,
	},
	{
		name: 'deploy --recover against a silent API server',
		args: world => ['deploy', world.project(twoSides), '--recover'],
		env: world => ({KUBECONFIG: world.kubeconfig(`http://127.0.0.1:${world.silent}`)}),
		tools: ['helm'],
		exit: 3,
		says: /did not answer within \d+ s/,
		within: 25_000,
	},

	// Output that cannot be written, and signals: a clean end, one line, the table's code.
	{name: 'doctor | head -c 0', args: () => ['doctor'], stdout: 'closed', exit: 1},
	{name: 'doctor --json | head -c 0', args: () => ['doctor', '--json'], stdout: 'closed', exit: 1},
	{
		name: 'discover > /dev/full',
		args: world => ['discover', world.project(twoSides)],
		stdout: 'full',
		exit: 1,
		says: /could not write the output: no space left on the device/,
	},
	{name: 'doctor > /dev/full', args: () => ['doctor'], stdout: 'full', exit: 1, says: /could not write the output/},
	{name: '--help > /dev/full', args: () => ['--help'], stdout: 'full', exit: 1, says: /could not write the output/},
	{
		name: 'SIGTERM during a build against a hung Docker',
		args: world => ['build', world.project(twoSides)],
		env: world => ({DOCKER_HOST: `unix://${world.silentSocket}`}),
		signal: {name: 'SIGTERM', after: 1500},
		exit: 130,
	},
	{
		name: 'SIGINT during a build against a hung Docker',
		args: world => ['build', world.project(twoSides)],
		env: world => ({DOCKER_HOST: `unix://${world.silentSocket}`}),
		signal: {name: 'SIGINT', after: 1500},
		exit: 130,
	},
	{
		name: 'SIGTERM during status against a silent API server',
		args: () => ['status'],
		env: world => ({KUBECONFIG: world.kubeconfig(`http://127.0.0.1:${world.silent}`)}),
		signal: {name: 'SIGTERM', after: 1500},
		exit: 130,
	},
	{
		name: 'SIGTERM during the load check',
		args: world => ['verify', world.project({}), '--url', `http://127.0.0.1:${world.silent}`, '--users', '10000', '--duration', '3600'],
		signal: {name: 'SIGTERM', after: 3000},
		exit: 130,
	},
	{
		name: 'SIGINT during doctor (a hung Docker keeps it busy)',
		args: () => ['doctor'],
		env: world => ({DOCKER_HOST: `tcp://127.0.0.1:${world.silent}`}),
		signal: {name: 'SIGINT', after: 800},
		exit: 130,
	},
	{
		name: 'SIGTERM during deploy against a silent API server',
		args: world => ['deploy', world.project(twoSides)],
		env: world => ({KUBECONFIG: world.kubeconfig(`http://127.0.0.1:${world.silent}`)}),
		tools: ['helm'],
		signal: {name: 'SIGTERM', after: 1500},
		exit: 130,
	},
	{
		name: 'SIGTERM during verify --json',
		args: world => ['verify', world.project({}), '--json', '--url', `http://127.0.0.1:${world.silent}`],
		signal: {name: 'SIGTERM', after: 1500},
		exit: 130,
	},
];
