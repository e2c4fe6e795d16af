// Streams one file out of a .tar.gz through gunzip and tar-stream's extractor: only the wanted member
// is written, nothing is held whole, and long names (GNU "L" and pax "path=") are tar-stream's to read.
// And the other way: a few text files packed into a new .tar.gz (the bundle).
import {createReadStream, createWriteStream} from 'node:fs';
import {pipeline} from 'node:stream/promises';
import {rename, rm} from 'node:fs/promises';
import {createGunzip, createGzip} from 'node:zlib';
import {extract, pack} from 'tar-stream';

const normalise = (name: string) => name.replace(/^\.\//, '').replace(/\/+$/, '');

export class ArchiveError extends Error {
	override name = 'ArchiveError';
}

export async function extractTarGzMember(archive: string, member: string, destination: string): Promise<void> {
	const wanted = normalise(member);
	const seen: string[] = [];
	let found = false;
	const entries = extract();
	// Settles to the stream's error, if any: the loop below sees the same failure first.
	const reading = pipeline(createReadStream(archive), createGunzip(), entries).then(
		() => undefined,
		(error: unknown) => error,
	);
	try {
		for await (const entry of entries) {
			const name = normalise(entry.header.name);
			if (entry.header.type !== 'file') {
				entry.resume();
				continue;
			}

			seen.push(name);
			if (name !== wanted) {
				entry.resume();
				continue;
			}

			found = true;
			await pipeline(entry, createWriteStream(destination, {mode: 0o755}));
			// The rest of the archive is not needed.
			entries.destroy();
			break;
		}

		const failure = await reading;
		if (failure && !found) {
			throw failure;
		}
	} catch (error) {
		throw new ArchiveError(`the archive could not be read: ${error instanceof Error ? error.message : String(error)}`);
	}

	if (!found) {
		throw new ArchiveError(`the archive has no ${wanted}; it holds ${seen.slice(0, 8).join(', ') || 'no files'}`);
	}
}

/** Writes text files into a new .tar.gz (0600), whole or not at all: a temporary file renamed into place. */
export async function writeTarGz(archive: string, files: ReadonlyArray<{readonly name: string; readonly content: string}>, mtime: Date): Promise<void> {
	const temporary = `${archive}.${process.pid}.tmp`;
	const packer = pack();
	const written = pipeline(packer, createGzip(), createWriteStream(temporary, {mode: 0o600}));
	try {
		for (const file of files) {
			const body = Buffer.from(file.content);
			await new Promise<void>((resolve, reject) => {
				packer.entry({name: file.name, size: body.length, mode: 0o600, mtime}, body, error => (error ? reject(error) : resolve()));
			});
		}

		packer.finalize();
		await written;
		await rename(temporary, archive);
	} catch (error) {
		packer.destroy();
		await written.catch(() => undefined);
		await rm(temporary, {force: true});
		throw error;
	}
}
