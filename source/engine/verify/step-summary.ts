// What verify's rows say, as data: render/verify-words.ts words it.
import type {Answer, SmokeStep} from '../../adapters/app.js';
import type {ChatCause} from '../../diagnose/chat.js';
import type {BrowserCheck} from './browser-check.js';
import type {LoadSummary} from './stats.js';

export type {Answer, SmokeStep} from '../../adapters/app.js';

/** Where the API was learnt, and the few things of it a row says (never the whole document). */
export type LearntApi = {
	/** The document's place ("GET /openapi.json (OpenAPI)", "--api /api/todos"), or '' when none was found. */
	readonly from: string;
	readonly found: boolean;
	readonly tried: readonly string[];
	readonly collection: string;
	readonly createCodes: readonly number[];
	readonly updateMethod: string | undefined;
	readonly signIn: string | undefined;
};

export type VerifyStepSummary =
	| {readonly kind: 'verify/reaching'; readonly url: string | undefined; readonly service: string; readonly namespace: string}
	| {readonly kind: 'verify/reached'; readonly url: string; readonly via: string}
	| {readonly kind: 'verify/api'; readonly api: LearntApi}
	| {readonly kind: 'verify/health'; readonly answers: readonly Answer[]}
	| {readonly kind: 'verify/smoke'; readonly steps: readonly SmokeStep[]; readonly auth: string; readonly api: LearntApi; readonly flagsHelp: string}
	| {
			readonly kind: 'verify/frontend';
			readonly answers: readonly Answer[];
			/** The route that reaches the backend, when there is one, and whether the check was signed in. */
			readonly through: Answer | undefined;
			readonly signedIn: boolean;
			readonly addressHint: string | undefined;
			readonly backend: string;
			/** The page as a browser meets it at the address the user is given, when verify held it. */
			readonly browser?: BrowserCheck | undefined;
	  }
	| {readonly kind: 'verify/chatbot'; readonly answer: Answer; readonly reply: string | undefined; readonly cause: ChatCause | undefined}
	| {
			readonly kind: 'verify/load-progress';
			readonly users: number;
			readonly path: string;
			readonly elapsedMs: number;
			readonly durationMs: number;
			readonly requests: number;
			readonly errors: number;
	  }
	| {readonly kind: 'verify/load'; readonly load: LoadSummary; readonly path: string; readonly signedIn: boolean; readonly reusedFrom: string | undefined};
