import { isRecord } from '../../iml/values';
import type { JsonSchema } from '../../definition/schema-resolver';

// Keywords whose outcome the shape signature decides (types, keys, emptiness of texts); anything else
// (formats, patterns, enums, bounds) depends on values, and such a schema is checked against every payload.
const SHAPE_KEYWORDS = new Set(['type', 'properties', 'required', 'items', 'additionalProperties', 'anyOf', 'oneOf', 'allOf', 'not']);
const ANNOTATIONS = new Set(['description', 'title', '$comment', 'examples', 'default', '$id', '$schema', 'x-iml', 'x-iml-subject', 'deprecated', 'readOnly']);

/** True when a payload schema's verdict depends only on a payload's shape signature, so one check per shape is enough. */
export function verdictFollowsShape(schema: unknown): boolean {
  if (typeof schema === 'boolean') return true;
  if (!isRecord(schema)) return false;
  return Object.entries(schema as JsonSchema).every(([keyword, value]) => {
    if (ANNOTATIONS.has(keyword) || keyword.startsWith('x-')) return true;
    if (keyword === 'minLength') return value === 0 || value === 1;
    if (keyword === '$ref') return typeof value === 'string' && value.startsWith('#');
    if (keyword === 'definitions' || keyword === '$defs') return isRecord(value) && Object.values(value).every(verdictFollowsShape);
    if (!SHAPE_KEYWORDS.has(keyword)) return false;
    if (keyword === 'type' || keyword === 'required') return true;
    if (keyword === 'properties') return isRecord(value) && Object.values(value).every(verdictFollowsShape);
    if (Array.isArray(value)) return value.every(verdictFollowsShape);
    return verdictFollowsShape(value);
  });
}
