// Streams one file out of a .tar.gz: gunzip, walk the tar headers, write only the wanted member.
// Nothing is buffered whole; long names (GNU "L" and pax "path=") are understood.
import {once} from 'node:events';
import {createReadStream, createWriteStream, type WriteStream} from 'node:fs';
import {createGunzip} from 'node:zlib';

const block = 512;

function field(header: Buffer, start: number, length: number): string {
	const raw = header.subarray(start, start + length);
	const end = raw.indexOf(0);
	return raw.subarray(0, end === -1 ? raw.length : end).toString('utf8');
}

function octal(header: Buffer, start: number, length: number): number {
	const text = field(header, start, length).trim();
	return text === '' ? 0 : Number.parseInt(text, 8);
}

const normalise = (name: string) => name.replace(/^\.\//, '').replace(/\/+$/, '');

export class ArchiveError extends Error {
	override name = 'ArchiveError';
}

export async function extractTarGzMember(archive: string, member: string, destination: string): Promise<void> {
	const wanted = normalise(member);
	const seen: string[] = [];
	let pending: Buffer = Buffer.alloc(0);
	let state: {type: 'header'} | {type: 'body'; remaining: number; padding: number; sink: WriteStream | undefined; meta: 'long-name' | 'pax' | undefined; metaChunks: Buffer[]} = {type: 'header'};
	let nextName: string | undefined;
	let found = false;
	let ended = false;

	const input = createReadStream(archive).pipe(createGunzip());
	try {
		for await (const chunk of input as AsyncIterable<Buffer>) {
			pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
			while (!ended) {
				if (state.type === 'header') {
					if (pending.length < block) {
						break;
					}

					const header = pending.subarray(0, block);
					pending = pending.subarray(block);
					if (header.every(byte => byte === 0)) {
						ended = found;
						continue;
					}

					const size = octal(header, 124, 12);
					const type = String.fromCodePoint(header[156] ?? 0);
					const prefix = field(header, 345, 155);
					const name = normalise(nextName ?? (prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100)));
					const padding = (block - (size % block)) % block;
					if (type === 'L' || type === 'x') {
						state = {type: 'body', remaining: size, padding, sink: undefined, meta: type === 'L' ? 'long-name' : 'pax', metaChunks: []};
						continue;
					}

					nextName = undefined;
					if (type === '0' || type === '\0') {
						seen.push(name);
					}

					const isWanted = (type === '0' || type === '\0') && name === wanted;
					const sink = isWanted ? createWriteStream(destination, {mode: 0o755}) : undefined;
					found ||= isWanted;
					state = {type: 'body', remaining: size, padding, sink, meta: undefined, metaChunks: []};
					continue;
				}

				if (state.remaining > 0) {
					if (pending.length === 0) {
						break;
					}

					const take = Math.min(state.remaining, pending.length);
					const piece = pending.subarray(0, take);
					pending = pending.subarray(take);
					state.remaining -= take;
					if (state.meta) {
						state.metaChunks.push(Buffer.from(piece));
					} else if (state.sink && !state.sink.write(piece)) {
						await once(state.sink, 'drain');
					}

					continue;
				}

				if (pending.length < state.padding) {
					break;
				}

				pending = pending.subarray(state.padding);
				if (state.meta === 'long-name') {
					nextName = Buffer.concat(state.metaChunks).toString('utf8').replace(/\0+$/, '');
				} else if (state.meta === 'pax') {
					nextName = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(Buffer.concat(state.metaChunks).toString('utf8'))?.[1] ?? nextName;
				}

				if (state.sink) {
					state.sink.end();
					await once(state.sink, 'close');
					ended = true;
				}

				state = {type: 'header'};
			}

			if (ended) {
				break;
			}
		}
	} catch (error) {
		if (state.type === 'body') {
			state.sink?.destroy();
		}

		throw new ArchiveError(`the archive could not be read: ${error instanceof Error ? error.message : String(error)}`);
	} finally {
		input.destroy();
	}

	if (!found) {
		throw new ArchiveError(`the archive has no ${wanted}; it holds ${seen.slice(0, 8).join(', ') || 'no files'}`);
	}

	if (state.type === 'body' && state.remaining > 0) {
		state.sink?.destroy();
		throw new ArchiveError(`the archive ends inside ${wanted}`);
	}
}
