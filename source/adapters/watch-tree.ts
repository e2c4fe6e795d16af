// A folder watched for saves: one non-recursive fs.watch per directory, so folders the build never
// sees (node_modules, .git, what .dockerignore leaves out) cost no inotify watch at all. Node's own
// recursive watch on Linux walks every folder, node_modules included, and a Next.js project has tens
// of thousands: enough to hit fs.inotify.max_user_watches and "too many open files".
import {watch, type FSWatcher} from 'node:fs';
import {lstat, readdir} from 'node:fs/promises';
import path from 'node:path';

export type TreeWatch = {close(): void; readonly folders: () => number};

/** Never watched: history, dependencies, caches and build output, whatever .dockerignore says. */
const neverWatched = new Set(['.git', 'node_modules', '.next', '__pycache__', '.venv', 'venv', '.todo-deploy', '.pytest_cache', '.mypy_cache']);

/**
 * Calls onChange with the path (relative to dir, with /) of every file created, changed or removed.
 * skip(relative) leaves a file or folder out (a .dockerignore match).
 */
export async function watchTree(
	dir: string,
	options: {readonly skip: (relative: string) => boolean; readonly onChange: (relative: string) => void; readonly onError?: (error: Error) => void},
): Promise<TreeWatch> {
	const watchers = new Map<string, FSWatcher>();
	let closed = false;
	const relativeOf = (absolute: string) => path.relative(dir, absolute).split(path.sep).join('/');
	const skipped = (absolute: string) => {
		const relative = relativeOf(absolute);
		return relative !== '' && (neverWatched.has(path.basename(absolute)) || options.skip(relative));
	};

	const add = async (folder: string): Promise<void> => {
		if (closed || watchers.has(folder) || skipped(folder)) {
			return;
		}

		let watcher: FSWatcher;
		try {
			watcher = watch(folder, {persistent: true}, (_event, name) => {
				if (!name) {
					return;
				}

				const absolute = path.join(folder, name.toString());
				if (skipped(absolute)) {
					return;
				}

				// A new folder is watched too; a folder that went away stops its watch.
				void lstat(absolute).then(
					async info => (info.isDirectory() ? add(absolute) : undefined),
					() => {
						watchers.get(absolute)?.close();
						watchers.delete(absolute);
					},
				);
				options.onChange(relativeOf(absolute));
			});
		} catch (error) {
			options.onError?.(error as Error);
			return;
		}

		watcher.on('error', error => options.onError?.(error));
		watchers.set(folder, watcher);
		const entries = await readdir(folder, {withFileTypes: true}).catch(() => []);
		await Promise.all(entries.filter(entry => entry.isDirectory()).map(async entry => add(path.join(folder, entry.name))));
	};

	await add(path.resolve(dir));
	return {
		close() {
			closed = true;
			for (const watcher of watchers.values()) {
				watcher.close();
			}

			watchers.clear();
		},
		folders: () => watchers.size,
	};
}
