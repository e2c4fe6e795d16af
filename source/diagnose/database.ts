// Why an app cannot use its database, read from its last lines (psycopg2, SQLAlchemy, node-postgres,
// libpq): a table of rules, each fired by a captured real log.
import {firstRule, pattern, type Rule} from './rules.js';

export type DatabaseCause = {
	readonly kind: 'password' | 'host' | 'starting' | 'localhost' | 'refused' | 'timeout';
	readonly title: string;
	readonly explanation: string;
	readonly fix: string;
	readonly line: string;
	/** The host the app looks for, when that is the cause. */
	readonly host?: string;
};

type Said = Omit<DatabaseCause, 'line'>;

export const databaseRules: ReadonlyArray<Rule<string, RegExpExecArray, Said>> = [
	{
		id: 'password',
		fixture: 'app-logs/psycopg2-password-authentication-failed.txt',
		matches: pattern(/password authentication failed for user \\?"?([\w.@-]+)/),
		says: ([, user = '']) => ({
			kind: 'password',
			title: 'the database rejects its password',
			explanation: `PostgreSQL refuses the password given for user "${user}". A database keeps the password it was first started with, in its volume: an install with a new password (after todo-deploy down kept the data, or a deleted Secret) no longer matches it.`,
			fix: 'Give the database its old password back (TODO_DATABASE_PASSWORD=the old one, then todo-deploy deploy), or start the data over: todo-deploy down --delete-data (every todo is lost), then todo-deploy up.',
		}),
	},
	{
		id: 'host',
		fixture: 'app-logs/psycopg2-could-not-translate-host-name.txt',
		matches: pattern(
			/could not translate host name \\?"([^"\\]+)\\?"|getaddrinfo (?:ENOTFOUND|EAI_AGAIN) ([\w.-]+)|dial tcp: lookup ([\w.-]+)(?: on [\d.:]+)?: no such host/,
		),
		says: found => {
			const name = found[1] ?? found[2] ?? found[3] ?? '';
			return {
				kind: 'host',
				host: name,
				title: `the database host "${name}" does not resolve`,
				explanation: `The app looks for its database at "${name}", and no Service of that name exists here (a docker-compose service name, a name from .env, or another release's Service).`,
				fix: "Make the database URL name the database's Service in this namespace (kubectl get svc lists them; todo-deploy's chart sets it for you); todo-deploy discover shows where the app reads it.",
			};
		},
	},
	{
		id: 'starting',
		fixture: 'app-logs/psycopg2-database-system-starting-up.txt',
		matches: pattern(/the database system is starting up/),
		says: () => ({
			kind: 'starting',
			title: 'the database is still starting up',
			explanation:
				'PostgreSQL answers, but refuses connections while it starts: after its first initialisation, or while it recovers from an unclean stop (a killed pod, a full disk). The app gave up instead of waiting, and is restarted.',
			fix: 'Wait for the postgresql pod on this screen to be ready: the next restart of the app connects. If it stays starting for minutes, its logs say what it recovers (kubectl logs on that pod). For a clean start every time, make the app retry its first connection, or start it after the database (an init container that runs pg_isready).',
		}),
	},
	{
		id: 'localhost',
		fixture: 'app-logs/node-econnrefused-localhost-copied-config.txt',
		matches: pattern(
			/connection to server at "(localhost|127\.0\.0\.1|::1)"(?: \([^)]*\))?, port (\d+) failed: Connection refused|connect ECONNREFUSED (127\.0\.0\.1|::1):(5432)\b|Is the server running on host "(localhost|127\.0\.0\.1|::1)"/,
		),
		says: found => {
			const host = found[1] ?? found[3] ?? found[5] ?? 'localhost';
			return {
				kind: 'localhost',
				host,
				title: `the database URL points at ${host}, which in a pod is the pod itself`,
				explanation: `The app connects to its database at ${host}. Inside a pod that is the pod's own network, where no database listens: a value from docker-compose, .env or a laptop's setup, copied across. PostgreSQL's own state has nothing to do with it.`,
				fix: "Make the database URL's host the database's Service in this namespace (kubectl get svc lists them; todo-deploy's chart sets it when it deploys the database); todo-deploy discover shows where the app reads it.",
			};
		},
	},
	{
		id: 'refused',
		fixture: 'app-logs/psycopg2-connection-refused-service-host.txt',
		matches: pattern(
			/port \d+ failed: Connection refused|connect ECONNREFUSED [\w.:[\]]+:5432|could not connect to server: Connection refused|Connection to [\w.-]+:5432 refused/,
		),
		says: () => ({
			kind: 'refused',
			title: 'nothing accepts connections at the database yet',
			explanation:
				'The database port refuses the connection: the PostgreSQL pod is not running or not ready (starting, or failing itself), so the app exits and is restarted.',
			fix: 'Look at the postgresql pod on this screen: once it is ready, the next restart of the app connects. If it never is, its own diagnosis says why.',
		}),
	},
	{
		id: 'timeout',
		fixture: 'app-logs/psycopg2-connection-timed-out-cloud-run-EXCERPT.txt',
		matches: pattern(/port \d+ failed: (Connection timed out|timeout expired)|connect ETIMEDOUT [\w.:]+:5432/),
		says: () => ({
			kind: 'timeout',
			title: 'the database does not answer in time',
			explanation: 'The connection to port 5432 hangs: a NetworkPolicy drops it, or the database is overloaded.',
			fix: 'Check that a NetworkPolicy lets the app reach the database on 5432 (todo-deploy lint finds a wrong one), and the postgresql pod on this screen.',
		}),
	},
];

/** The database cause of the last line that has one (the newest line wins). */
export function databaseCause(lines: readonly string[]): DatabaseCause | undefined {
	for (const line of [...lines].reverse()) {
		const matched = firstRule(databaseRules, line);
		if (matched) {
			return {...matched.said, line};
		}
	}

	return undefined;
}
