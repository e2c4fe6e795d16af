// The download's sink, on a worker thread: hashes and writes each chunk the main thread read from the
// network, and says how much is on disk. Started by download.ts with the file's path.
import {createHash} from 'node:crypto';
import {closeSync, openSync, writeSync} from 'node:fs';
import {parentPort, workerData} from 'node:worker_threads';

export type SinkMessage = {readonly type: 'chunk'; readonly chunk: Uint8Array} | {readonly type: 'end'};
export type SinkReply =
	| {readonly type: 'ack'; readonly bytes: number}
	| {readonly type: 'done'; readonly sha256: string}
	| {readonly type: 'error'; readonly message: string; readonly code?: string | undefined};

const port = parentPort;
const {file} = workerData as {file: string};
const hash = createHash('sha256');
const reply = (message: SinkReply) => port?.postMessage(message);
const failure = (error: unknown): SinkReply => ({
	type: 'error',
	message: error instanceof Error ? error.message : String(error),
	code: (error as NodeJS.ErrnoException).code,
});

let fd: number | undefined;
try {
	fd = openSync(file, 'w', 0o600);
} catch (error) {
	reply(failure(error));
}

port?.on('message', (message: SinkMessage) => {
	if (fd === undefined) {
		return;
	}

	try {
		if (message.type === 'chunk') {
			hash.update(message.chunk);
			for (let offset = 0; offset < message.chunk.byteLength;) {
				offset += writeSync(fd, message.chunk, offset);
			}

			reply({type: 'ack', bytes: message.chunk.byteLength});
		} else {
			closeSync(fd);
			fd = undefined;
			reply({type: 'done', sha256: hash.digest('hex')});
		}
	} catch (error) {
		try {
			if (fd !== undefined) {
				closeSync(fd);
			}
		} catch {
			// Already closed or never opened: the error below is the one that matters.
		}

		fd = undefined;
		reply(failure(error));
	}
});
