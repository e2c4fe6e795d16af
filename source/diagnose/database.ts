// Why an app cannot use its database, read from its last lines (psycopg2, SQLAlchemy, node-postgres,
// libpq): a table of rules, each fired by a captured real log.
import {firstRule, pattern, type Rule} from './rules.js';

export type DatabaseCause = {
	readonly kind: 'password' | 'host' | 'refused' | 'timeout';
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
		id: 'refused',
		fixture: 'app-logs/psycopg2-connection-refused.txt',
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
