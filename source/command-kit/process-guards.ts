// The process around a command: output that cannot be written ends it, every write passes the secret
// mask, and SIGINT or SIGTERM end it within 2 s whatever the command does.
import {messageOf} from '../engine/errors.js';
import {addSecrets, maskText, secretValuesOf} from '../engine/mask.js';
import {writeErr} from './io.js';

/**
 * stdout or stderr that cannot be written (a closed pipe: `| head`; a full disk: `> /dev/full`) ends
 * the command with exit 1: quietly for a closed pipe, as `head` users expect; with one line otherwise.
 */
function guardOutput(): void {
	const fail = (stream: 'stdout' | 'stderr') => (error: NodeJS.ErrnoException) => {
		if (error.code !== 'EPIPE' && stream === 'stdout') {
			try {
				process.stderr.write(`todo-deploy: could not write the output: ${describeWriteError(error)}\n`);
			} catch {
				// stderr is gone too.
			}
		}

		process.exit(1);
	};

	process.stdout.on('error', fail('stdout'));
	process.stderr.on('error', fail('stderr'));
}

const describeWriteError = (error: NodeJS.ErrnoException) =>
	error.code === 'ENOSPC' ? 'no space left on the device (ENOSPC)' : error.code === 'EIO' ? 'the terminal is gone (EIO)' : messageOf(error);

/** Whatever is written to stdout or stderr passes the secret mask first (mask.ts). */
function maskOutput(): void {
	addSecrets(secretValuesOf(process.env));
	for (const stream of [process.stdout, process.stderr]) {
		const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
		stream.write = ((chunk: unknown, ...rest: unknown[]) => write(typeof chunk === 'string' ? maskText(chunk) : chunk, ...rest)) as typeof stream.write;
	}
}

/** SIGINT and SIGTERM end every command within 2 s: a command's own handler stops its work; this one makes sure. */
function onSignals(): void {
	const backstop = () => {
		// The command's runner cancels its work and ends as cancelled; without one, or if it is stuck, end here.
		const own = process.listenerCount('SIGINT') > 1 || process.listenerCount('SIGTERM') > 1;
		setTimeout(
			() => {
				writeErr('\nCancelled.\n');
				process.exit(130);
			},
			own ? 1800 : 0,
		).unref();
	};

	process.on('SIGINT', backstop);
	process.on('SIGTERM', backstop);
}

/** All three, before a command runs. */
export function guardProcess(): void {
	guardOutput();
	onSignals();
	maskOutput();
}
