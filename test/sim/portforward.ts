// `kubectl port-forward` against the simulator: the API server's SPDY/3.1 upgrade on
// POST .../pods/NAME/portforward, and the kubelet's side of the protocol (portforward.k8s.io): for
// each forwarded connection kubectl opens an "error" stream and a "data" stream with the same
// requestid; the data stream is piped to a loopback port standing in for the container's port, and
// a failure to connect is written on the error stream, as the kubelet does.
// kubectl first tries the WebSocket tunnel (Kubernetes 1.30+); this server refuses it like an API
// server without that feature, and kubectl falls back to SPDY, as it does against such servers.
import {createRequire} from 'node:module';
import net from 'node:net';
import type {Duplex} from 'node:stream';
import zlib from 'node:zlib';

// SPDY/3's header compression dictionary (a constant of the protocol), from node-spdy's transport.
const require = createRequire(import.meta.url);
const dictionary = (require('spdy-transport/lib/spdy-transport/protocol/spdy/dictionary.js') as Record<number, Buffer>)[3]!;

const synStream = 1;
const synReply = 2;
const rstStream = 3;
const ping = 6;
const goAway = 7;
const headersFrame = 8;
const flagFin = 0x01;

/** Where a pod's port is served: a loopback port, or the reason the connection fails. */
export type ForwardTarget = (namespace: string, pod: string, port: number) => number | undefined;

type Forward = {errorStream?: number; dataStream?: number; port: number; target?: net.Socket};

function readHeaderBlock(block: Buffer): Record<string, string> {
	const headers: Record<string, string> = {};
	let offset = 4;
	for (let pair = 0, count = block.readUInt32BE(0); pair < count; pair++) {
		const nameLength = block.readUInt32BE(offset);
		const name = block.toString('utf8', offset + 4, offset + 4 + nameLength);
		offset += 4 + nameLength;
		const valueLength = block.readUInt32BE(offset);
		headers[name] = block.toString('utf8', offset + 4, offset + 4 + valueLength);
		offset += 4 + valueLength;
	}

	return headers;
}

export function upgradeToPortForward(socket: Duplex, head: Buffer, where: {namespace: string; pod: string}, target: ForwardTarget): void {
	socket.write(
		['HTTP/1.1 101 Switching Protocols', 'Connection: Upgrade', 'Upgrade: SPDY/3.1', 'X-Stream-Protocol-Version: portforward.k8s.io', '', ''].join('\r\n'),
	);

	// One zlib stream per direction for the whole connection, as SPDY requires.
	const inflate = zlib.createInflate({dictionary});
	const deflate = zlib.createDeflate({dictionary});
	const through = async (stream: zlib.Inflate | zlib.Deflate, input: Buffer) =>
		new Promise<Buffer>((resolve, reject) => {
			const chunks: Buffer[] = [];
			const onData = (chunk: Buffer) => chunks.push(chunk);
			stream.on('data', onData);
			stream.once('error', reject);
			stream.write(input);
			stream.flush(zlib.constants.Z_SYNC_FLUSH, () => {
				stream.off('data', onData);
				stream.off('error', reject);
				resolve(Buffer.concat(chunks));
			});
		});

	// Frames go out in order, even those whose headers wait for the compressor.
	let output = Promise.resolve();
	const send = (frame: () => Promise<Buffer> | Buffer) => {
		output = output
			.then(async () => {
				if (!socket.destroyed) {
					socket.write(await frame());
				}
			})
			.catch(() => {
				socket.destroy();
			});
	};

	const control = (type: number, flags: number, payload: Buffer) => {
		const header = Buffer.alloc(8);
		header.writeUInt16BE(0x80_00 | 3, 0);
		header.writeUInt16BE(type, 2);
		header.writeUInt8(flags, 4);
		header.writeUIntBE(payload.length, 5, 3);
		return Buffer.concat([header, payload]);
	};

	const data = (streamId: number, payload: Buffer, fin = false) => {
		const header = Buffer.alloc(8);
		header.writeUInt32BE(streamId & 0x7f_ff_ff_ff, 0);
		header.writeUInt8(fin ? flagFin : 0, 4);
		header.writeUIntBE(payload.length, 5, 3);
		return Buffer.concat([header, payload]);
	};

	const reply = (streamId: number) =>
		send(async () => {
			const id = Buffer.alloc(4);
			id.writeUInt32BE(streamId, 0);
			// An empty header block: no pairs.
			return control(synReply, 0, Buffer.concat([id, await through(deflate, Buffer.alloc(4))]));
		});

	const forwards = new Map<string, Forward>();
	const byStream = new Map<number, Forward>();

	const close = () => {
		for (const forward of forwards.values()) {
			forward.target?.destroy();
		}

		socket.destroy();
	};

	const connect = (forward: Forward) => {
		const {errorStream, dataStream} = forward;
		if (errorStream === undefined || dataStream === undefined) {
			return;
		}

		const fail = (reason: string) => {
			send(() => data(errorStream, Buffer.from(`error forwarding port ${forward.port} to pod ${where.pod}, uid : ${reason}`)));
			send(() => data(errorStream, Buffer.alloc(0), true));
			send(() => data(dataStream, Buffer.alloc(0), true));
		};

		const port = target(where.namespace, where.pod, forward.port);
		if (port === undefined) {
			fail(`failed to connect to localhost:${forward.port} inside the pod's network namespace: connect: connection refused`);
			return;
		}

		const connection = net.connect(port, '127.0.0.1');
		forward.target = connection;
		connection.on('data', (chunk: Buffer) => send(() => data(dataStream, chunk)));
		connection.on('end', () => {
			send(() => data(dataStream, Buffer.alloc(0), true));
			send(() => data(errorStream, Buffer.alloc(0), true));
		});
		connection.on('error', error => fail(error.message));
	};

	let buffer = head;
	let reading = Promise.resolve();
	const handle = async (frame: Buffer) => {
		if ((frame[0]! & 0x80) === 0) {
			const streamId = frame.readUInt32BE(0) & 0x7f_ff_ff_ff;
			const forward = byStream.get(streamId);
			const payload = frame.subarray(8);
			if (forward && streamId === forward.dataStream) {
				if (payload.length > 0) {
					forward.target?.write(payload);
				}

				if (frame[4]! & flagFin) {
					forward.target?.end();
				}
			}

			return;
		}

		const type = frame.readUInt16BE(2);
		if (type === synStream || type === headersFrame) {
			const streamId = frame.readUInt32BE(8) & 0x7f_ff_ff_ff;
			// Every header block goes through the inflater, or the next one cannot be read.
			const headers = readHeaderBlock(await through(inflate, frame.subarray(type === synStream ? 18 : 12)));
			if (type !== synStream) {
				return;
			}

			const requestId = headers['requestid'] ?? String(streamId);
			const forward = forwards.get(requestId) ?? {port: Number(headers['port'])};
			forwards.set(requestId, forward);
			byStream.set(streamId, forward);
			if (headers['streamtype'] === 'error') {
				forward.errorStream = streamId;
			} else {
				forward.dataStream = streamId;
			}

			reply(streamId);
			connect(forward);
		} else if (type === ping) {
			send(() => frame);
		} else if (type === rstStream) {
			byStream.get(frame.readUInt32BE(8) & 0x7f_ff_ff_ff)?.target?.destroy();
		} else if (type === goAway) {
			close();
		}
	};

	const drain = () => {
		while (buffer.length >= 8) {
			const length = buffer.readUIntBE(5, 3);
			if (buffer.length < 8 + length) {
				return;
			}

			const frame = buffer.subarray(0, 8 + length);
			buffer = buffer.subarray(8 + length);
			reading = reading.then(async () => handle(frame)).catch(() => close());
		}
	};

	socket.on('data', (chunk: Buffer) => {
		buffer = Buffer.concat([buffer, chunk]);
		drain();
	});
	socket.on('close', close);
	socket.on('error', close);
	drain();
}
