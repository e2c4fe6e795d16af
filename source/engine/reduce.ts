// What the reducers share: change one item of a list, keeping the same list when nothing changed
// (subscribers are told only of real changes).

/** The list with the first matching item changed; the same list when none matches or the change keeps it. */
export function replaceWhere<T>(list: readonly T[], match: (item: T) => boolean, change: (item: T) => T): readonly T[] {
	const index = list.findIndex(match);
	const current = list[index];
	if (current === undefined) {
		return list;
	}

	const next = change(current);
	if (next === current) {
		return list;
	}

	const copy = [...list];
	copy[index] = next;
	return copy;
}

/** A status that has ended stays ended: a late update must not revive it. */
export const hasEnded = (status: {readonly type: string}) => status.type === 'done' || status.type === 'failed' || status.type === 'skipped';

/** The matching item's status replaced, unless it has ended. */
export function setStatusWhere<Status extends {readonly type: string}, T extends {readonly status: Status}>(
	list: readonly T[],
	match: (item: T) => boolean,
	status: Status,
): readonly T[] {
	return replaceWhere(list, match, item => (hasEnded(item.status) ? item : {...item, status}));
}
