// Work that may take too long: its result, or timedOut once the deadline has passed (the work itself runs on).
export const timedOut = Symbol('timed out');

export async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T | typeof timedOut> {
	let timer: NodeJS.Timeout | undefined;
	const deadline = new Promise<typeof timedOut>(resolve => {
		timer = setTimeout(() => {
			resolve(timedOut);
		}, ms);
	});
	try {
		return await Promise.race([work, deadline]);
	} finally {
		clearTimeout(timer);
	}
}
