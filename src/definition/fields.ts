import { isRecord } from '../iml/values';
import type { JsonSchema } from './schema-resolver';

/** One output field, flattened for tables: its dotted path, Make type, label and IML source. */
export interface OutputField {
  path: string;
  depth: number;
  type: string;
  label: string;
  description?: string;
  source?: string;
}

/** The Make field type of an output schema node (date, email, url, text, number, collection, array, …). */
export function makeFieldType(schema: JsonSchema): string {
  const types = (Array.isArray(schema.type) ? schema.type : [schema.type]).filter((type) => type !== 'null');
  if (types.length !== 1) return types.includes('string') ? 'text' : 'any';
  switch (types[0]) {
    case 'string':
      return schema.format === 'date-time' ? 'date' : schema.format === 'email' ? 'email' : schema.format === 'uri' ? 'url' : 'text';
    case 'integer':
      return 'integer';
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'object':
      return 'collection';
    case 'array':
      return 'array';
    default:
      return 'any';
  }
}

/** Lists every field of an output schema in order, nested fields after their parent. */
export function outputFields(schema: JsonSchema, prefix = '', depth = 0): OutputField[] {
  const fields: OutputField[] = [];
  const children = isRecord(schema.properties) ? Object.entries(schema.properties) : [];
  for (const [name, child] of children) {
    if (!isRecord(child)) continue;
    const path = prefix ? `${prefix}.${name}` : name;
    const itemSchema = isRecord(child.items) ? child.items : undefined;
    const type = makeFieldType(child) === 'array' && itemSchema ? `array of ${makeFieldType(itemSchema)}` : makeFieldType(child);
    fields.push({
      path,
      depth,
      type,
      label: typeof child.title === 'string' ? child.title : name,
      description: typeof child.description === 'string' ? child.description : undefined,
      source: typeof child['x-iml'] === 'string' ? child['x-iml'] : undefined,
    });
    fields.push(...outputFields(child, path, depth + 1));
    if (itemSchema) fields.push(...outputFields(itemSchema, `${path}[]`, depth + 1));
  }
  return fields;
}
