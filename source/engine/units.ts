// Sizes in words, for the engine's own summaries and the renderers alike.

/** 999 B, 12.3 kB, 467.0 MB (decimal units, as Docker prints them). */
export function formatBytes(bytes: number): string {
	if (bytes < 1000) {
		return `${bytes} B`;
	}

	return bytes < 1_000_000 ? `${(bytes / 1000).toFixed(1)} kB` : `${(bytes / 1_000_000).toFixed(1)} MB`;
}
