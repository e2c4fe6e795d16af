// Pure: latency samples -> percentiles, throughput and a terminal chart.

/** The nearest-rank percentile (as wrk and most load tools report it). */
export function percentile(sorted: Float64Array | readonly number[], p: number): number {
	if (sorted.length === 0) {
		return Number.NaN;
	}

	const rank = Math.ceil((p / 100) * sorted.length);
	return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] ?? Number.NaN;
}

export type LoadSummary = {
	readonly users: number;
	readonly durationMs: number;
	readonly requests: number;
	readonly errors: number;
	/** Errors by kind: "HTTP 503", "ECONNRESET", "timeout". */
	readonly errorKinds: Readonly<Record<string, number>>;
	readonly p50: number;
	readonly p95: number;
	readonly p99: number;
	readonly max: number;
	readonly throughput: number;
	/** Requests answered in each tenth of the latency range, for the chart. */
	readonly histogram: ReadonlyArray<{readonly upToMs: number; readonly count: number}>;
	readonly targetP95Ms: number;
	readonly passed: boolean;
};

export function summarizeLoad(
	samples: Float64Array,
	count: number,
	options: {users: number; durationMs: number; errors: number; errorKinds: Record<string, number>; targetP95Ms: number},
): LoadSummary {
	const sorted = samples.slice(0, count).sort();
	const p95 = percentile(sorted, 95);
	const max = sorted[sorted.length - 1] ?? 0;
	const buckets = 10;
	const top = Math.max(1, percentile(sorted, 99.9) || max);
	const histogram = Array.from({length: buckets}, (_, index) => ({upToMs: (top * (index + 1)) / buckets, count: 0}));
	for (const value of sorted) {
		const index = Math.min(buckets - 1, Math.floor((value / top) * buckets));
		const bucket = histogram[index];
		if (bucket) {
			bucket.count++;
		}
	}

	const total = count + options.errors;
	return {
		users: options.users,
		durationMs: options.durationMs,
		requests: total,
		errors: options.errors,
		errorKinds: options.errorKinds,
		p50: percentile(sorted, 50),
		p95,
		p99: percentile(sorted, 99),
		max,
		throughput: total / (options.durationMs / 1000),
		histogram,
		targetP95Ms: options.targetP95Ms,
		// Errors count against the target: a fast 503 is not a pass.
		passed: count > 0 && p95 < options.targetP95Ms && options.errors / Math.max(1, total) < 0.01,
	};
}

/** A latency in words; no answer at all (NaN, or null read back from JSON) is a dash, never "NaN ms". */
export const formatMs = (value: unknown): string =>
	typeof value === 'number' && Number.isFinite(value) ? (value >= 100 ? `${Math.round(value)} ms` : `${value.toFixed(1)} ms`) : '— (no answer)';
const ms = formatMs;

/** A horizontal bar per latency band, the p95 band marked. */
export function latencyChart(summary: LoadSummary, width = 40): string[] {
	const most = Math.max(1, ...summary.histogram.map(bucket => bucket.count));
	let previous = 0;
	return summary.histogram.map(bucket => {
		const label = `${ms(previous).padStart(9)} - ${ms(bucket.upToMs).padEnd(9)}`;
		const bar = '█'.repeat(Math.round((bucket.count / most) * width)) || (bucket.count > 0 ? '▏' : '');
		const marks = summary.p95 > previous && summary.p95 <= bucket.upToMs ? '  ◀ p95' : '';
		previous = bucket.upToMs;
		return `${label} ${bar.padEnd(width)} ${String(bucket.count).padStart(7)}${marks}`;
	});
}

export function describeLoad(summary: LoadSummary): string {
	const answered = summary.requests - summary.errors;
	if (answered <= 0) {
		return `${summary.users} users for ${Math.round(summary.durationMs / 1000)} s: ${summary.requests} requests, none answered well, ${summary.errors} errors`;
	}

	return `${summary.users} users for ${Math.round(summary.durationMs / 1000)} s: ${summary.requests} requests, ${Math.round(summary.throughput)}/s, p50 ${ms(summary.p50)}, p95 ${ms(summary.p95)}, p99 ${ms(summary.p99)}, ${summary.errors} errors`;
}
