import { isRecord } from '../iml/values';
import type { JsonSchema } from './schema-resolver';

/**
 * Builds Make's webhook `output` (IML JSON) from a resolved output schema: a field with `x-iml` maps to that
 * template; an object field without one is built from its properties. The schema is the one field list.
 */
export function outputFromSchema(schema: JsonSchema, pointer: string, missing: (pointer: string, field: JsonSchema) => void): unknown {
  if (typeof schema['x-iml'] === 'string') return schema['x-iml'];
  if (isRecord(schema.properties)) {
    const output: Record<string, unknown> = {};
    for (const [name, child] of Object.entries(schema.properties)) {
      if (isRecord(child)) output[name] = outputFromSchema(child, `${pointer}/properties/${name}`, missing);
    }
    return output;
  }
  missing(pointer, schema);
  return undefined;
}
