// The one line splitter: complete lines of a byte stream as they arrive. A line, or a UTF-8
// character, split across chunks waits for its end; a last line without a newline is handed over too.
import {StringDecoder} from 'node:string_decoder';

/** onChunk hears of every chunk, lines or not (a watchdog's heartbeat). */
export async function* lines(chunks: AsyncIterable<Uint8Array | string>, onChunk: () => void = () => undefined): AsyncGenerator<string> {
	const decoder = new StringDecoder('utf8');
	let partial = '';
	for await (const chunk of chunks) {
		onChunk();
		const text = partial + (typeof chunk === 'string' ? chunk : decoder.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
		let start = 0;
		for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
			yield text.slice(start, end);
			start = end + 1;
		}

		partial = text.slice(start);
	}

	partial += decoder.end();
	if (partial !== '') {
		yield partial;
	}
}

export async function eachLine(chunks: AsyncIterable<Uint8Array | string>, onLine: (line: string) => void, onChunk?: () => void): Promise<void> {
	for await (const line of lines(chunks, onChunk)) {
		onLine(line);
	}
}
