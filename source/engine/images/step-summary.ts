// What the wizard's image rows say: the images' state as it is, for render/ to word
// (render/images-words.ts words the same state for build, load and scan).
import type {ImagesState} from './reducer.js';

export type ImagesStepSummary =
	/** The build-and-load row, while it runs, when it ends, and when it fails. */
	| {readonly kind: 'images'; readonly state: ImagesState}
	/** The scan row. */
	| {readonly kind: 'scan'; readonly state: ImagesState};
