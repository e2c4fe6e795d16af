// JSON Schema validation (Ajv), for the files todo-deploy reads back: each problem as one line,
// "/backend/port must be <= 65535".
import * as AjvModule from 'ajv';
import type {ErrorObject} from 'ajv';

type Validator = {(value: unknown): boolean; errors?: ErrorObject[] | null};

type AjvClass = new (options: {allErrors: boolean; strict: boolean}) => {compile(schema: object): Validator};
// CommonJS: bundled or not, the class may sit on the default export (once or twice).
const loaded = AjvModule as unknown as {default?: AjvClass & {default?: AjvClass}};
const Ajv = (loaded.default?.default ?? loaded.default) as AjvClass;
const compiled = new WeakMap<object, Validator>();

const lineOf = (error: ErrorObject) => {
	const where = error.instancePath || '(the top level)';
	const extra = error.keyword === 'additionalProperties' ? ` (${String((error.params as {additionalProperty?: string}).additionalProperty ?? '')})` : '';
	return `${where} ${error.message ?? 'is not valid'}${extra}`;
};

/** The problems with value against schema; none when it is valid. */
export function schemaProblems(schema: object, value: unknown): string[] {
	let validate = compiled.get(schema);
	if (!validate) {
		validate = new Ajv({allErrors: true, strict: false}).compile(schema);
		compiled.set(schema, validate);
	}

	return validate(value) ? [] : [...new Set((validate.errors ?? []).map(error => lineOf(error)))];
}
