import { isRecord } from '../iml/values';
import type { Problem } from './problems';
import type { JsonSchema } from './schema-resolver';

/** Visits every field of a resolved schema with its pointer (properties and array items). */
export function walkFields(schema: JsonSchema, pointer: string, visit: (field: JsonSchema, pointer: string) => Problem[]): Problem[] {
  const found = visit(schema, pointer);
  if (isRecord(schema.properties)) {
    for (const [name, child] of Object.entries(schema.properties)) {
      if (isRecord(child)) found.push(...walkFields(child, `${pointer}/properties/${name}`, visit));
    }
  }
  if (isRecord(schema.items)) found.push(...walkFields(schema.items, `${pointer}/items`, visit));
  return found;
}
