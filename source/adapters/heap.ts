// The V8 heap of a long-lived watching screen. A busy namespace replaces thousands of pod objects a
// second, and V8 lets its heap grow far past what is live before it collects: in `npm run bench:status`
// (2,000 pods, 10,000 pod events) the engine peaked at 245 MiB resident while holding under 50 MiB.
// Two collector settings keep the heap near what is live: the young generation stays at its first size,
// and the old one may only double between full collections. V8 reads both at each collection, so they
// take effect when set after start (the bench: 138 MiB, for about 0.5 s more CPU over 10,000 events).
import {setFlagsFromString} from 'node:v8';

let applied = false;

export function preferSmallHeap(): void {
	if (applied) {
		return;
	}

	applied = true;
	setFlagsFromString('--semi-space-growth-factor=1');
	setFlagsFromString('--heap-growing-percent=100');
}
