import type { ValidateFunction } from 'ajv';
import { createAjv, describeAjvError, usefulErrors } from '../definition/ajv';
import type { JsonSchema } from '../definition/schema-resolver';

/** A schema violation in a bundle or payload, with the JSON pointer of the offending value. */
export interface SchemaViolation {
  pointer: string;
  message: string;
}

const ajv = createAjv();
const validators = new WeakMap<JsonSchema, ValidateFunction>();

/** Validates a value against a resolved schema; validators are compiled once per schema object. */
export function violations(schema: JsonSchema, value: unknown): SchemaViolation[] {
  let validate = validators.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    validators.set(schema, validate);
  }
  if (validate(value)) return [];
  return usefulErrors(validate.errors).map((error) => ({ pointer: error.instancePath, message: describeAjvError(error) }));
}
