// A lock file for this machine: created only when there is none (O_EXCL), holding who made it. A
// lock whose process is gone (killed, crashed) is taken over; one held by a live process is not.
import {readFile, unlink, writeFile} from 'node:fs/promises';
import os from 'node:os';

export type LockHolder = {readonly command: string; readonly host: string; readonly pid: number; readonly since: string};

const alive = (pid: number) => {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		// EPERM: it is there, run by another user.
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
};

/** Who holds the lock file; undefined when it is gone or unreadable (half-written by a run that died). */
const readHolder = async (file: string) =>
	readFile(file, 'utf8')
		.then(text => JSON.parse(text) as LockHolder)
		.catch(() => undefined);

/** Takes the lock file: undefined when taken, else who holds it. */
export async function takeLockFile(file: string, command: string): Promise<LockHolder | undefined> {
	const mine: LockHolder = {command, host: os.hostname(), pid: process.pid, since: new Date().toISOString()};
	for (let attempt = 0; attempt < 3; attempt++) {
		try {
			await writeFile(file, `${JSON.stringify(mine)}\n`, {flag: 'wx', mode: 0o600});
			return undefined;
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
				throw error;
			}
		}

		const holder = await readHolder(file);
		// Gone (or unreadable, half-written by a run that died): taken over.
		if (holder && !(holder.host === os.hostname() && !alive(holder.pid))) {
			return holder;
		}

		await unlink(file).catch(() => undefined);
	}

	return {command: 'another todo-deploy', host: os.hostname(), pid: 0, since: new Date().toISOString()};
}

/** Removes the lock file when it is still this process's. */
export async function dropLockFile(file: string): Promise<void> {
	const holder = await readHolder(file);
	if (holder?.pid === process.pid && holder.host === os.hostname()) {
		await unlink(file).catch(() => undefined);
	}
}
