import { makeFieldType } from '../definition/fields';
import type { JsonSchema } from '../definition/schema-resolver';
import { isRecord } from '../iml/values';

/** A Make interface field. */
export interface InterfaceField {
  name?: string;
  label?: string;
  type: string;
  spec?: InterfaceField | InterfaceField[];
  time?: boolean;
}

function field(name: string | undefined, schema: JsonSchema): InterfaceField {
  const type = makeFieldType(schema);
  const result: InterfaceField = { ...(name ? { name } : {}), ...(typeof schema.title === 'string' ? { label: schema.title } : {}), type };
  if (type === 'collection' && isRecord(schema.properties)) result.spec = makeInterface(schema);
  if (type === 'array' && isRecord(schema.items)) {
    const items = schema.items;
    result.spec = makeFieldType(items) === 'collection' ? makeInterface(items) : field(undefined, items);
  }
  return result;
}

/** Make's interface (one output bundle) from a resolved output schema: collections and arrays get a spec. */
export function makeInterface(schema: JsonSchema): InterfaceField[] {
  if (!isRecord(schema.properties)) return [];
  return Object.entries(schema.properties)
    .filter((entry): entry is [string, JsonSchema] => isRecord(entry[1]))
    .map(([name, child]) => field(name, child));
}
