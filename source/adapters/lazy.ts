// A heavy module loaded on first use, once: the first frame never waits for a client it does not need.
export function onFirstUse<T>(load: () => Promise<T>): () => Promise<T> {
	let loading: Promise<T> | undefined;
	return async () => {
		loading ??= load();
		return loading;
	};
}
