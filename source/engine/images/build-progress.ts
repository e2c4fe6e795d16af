// Pure: the classic builder's message stream -> where the build is. The daemon reports a failed
// step as a message with "error"/"errorDetail", not as a failed request, so that is a failure here.

export type BuildProgress = {
	readonly step: number;
	readonly steps: number;
	readonly instruction: string;
	/** Steps answered from the cache. */
	readonly cached: number;
	/** The last lines the build printed (for the live line and for a failure). */
	readonly lastLines: readonly string[];
	readonly imageId: string | undefined;
	readonly error: string | undefined;
};

export const initialBuildProgress: BuildProgress = {step: 0, steps: 0, instruction: '', cached: 0, lastLines: [], imageId: undefined, error: undefined};

const keptLines = 12;
const stepLine = /^Step (?<step>\d+)\/(?<steps>\d+) : (?<instruction>.*)$/;
// The builder's own bookkeeping, not the user's output.
const noise = /^( ---> |Removing intermediate container |Successfully built |Successfully tagged |Sending build context )/;

// The ANSI colour and cursor codes a RUN step prints are not text to show.
// eslint-disable-next-line no-control-regex
const escapes = /\u001B\[[\d;?]*[A-Za-z]/g;

export function applyBuildMessage(progress: BuildProgress, message: Readonly<Record<string, unknown>>): BuildProgress {
	if (typeof message['error'] === 'string' || typeof message['errorDetail'] === 'object') {
		const detail = message['errorDetail'] as {message?: string} | undefined;
		const text = typeof message['error'] === 'string' ? message['error'] : (detail?.message ?? 'the build failed');
		return {...progress, error: text.trim()};
	}

	const aux = message['aux'] as {ID?: unknown} | undefined;
	if (typeof aux?.ID === 'string') {
		return {...progress, imageId: aux.ID};
	}

	if (typeof message['stream'] !== 'string') {
		return progress;
	}

	let next = progress;
	const lines: string[] = [];
	for (const raw of message['stream'].split('\n')) {
		// A carriage return redraws the line: the last part is what a terminal would show.
		const line = (raw.split('\r').at(-1) ?? '').replace(escapes, '').trimEnd();
		const step = stepLine.exec(line);
		if (step?.groups) {
			next = {...next, step: Number(step.groups['step']), steps: Number(step.groups['steps']), instruction: step.groups['instruction'] ?? ''};
			lines.push(line);
		} else if (line === ' ---> Using cache') {
			next = {...next, cached: next.cached + 1};
		} else if (line.trim() !== '' && !noise.test(line)) {
			lines.push(line);
		}
	}

	return lines.length === 0 ? next : {...next, lastLines: [...next.lastLines, ...lines].slice(-keptLines)};
}

/** The output of the failing step only: the lines after its "Step n/m" line. */
export function failingStepOutput(progress: BuildProgress): string[] {
	const index = progress.lastLines.findLastIndex(line => stepLine.test(line));
	return index === -1 ? [...progress.lastLines] : progress.lastLines.slice(index + 1);
}
