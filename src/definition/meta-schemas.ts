import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ValidateFunction } from 'ajv';
import { createAjv } from './ajv';

/** The engine's own meta-schemas (schemas/definitions), shared by every app the engine loads. */
export const META_SCHEMA_DIR = join(__dirname, '..', '..', 'schemas', 'definitions');

export type MetaSchemaName =
  | 'manifest'
  | 'base'
  | 'connection'
  | 'parameters'
  | 'webhook'
  | 'rpc'
  | 'events'
  | 'module'
  | 'output'
  | 'payload'
  | 'samples'
  | 'api-samples';

let compiled: Record<string, ValidateFunction> | undefined;

/** The compiled validator for one kind of definition file (compiled once per process). */
export function metaValidator(name: MetaSchemaName): ValidateFunction {
  if (!compiled) {
    const ajv = createAjv({ verbose: true });
    const schemas = readdirSync(META_SCHEMA_DIR)
      .filter((file) => file.endsWith('.schema.json'))
      .map((file) => JSON.parse(readFileSync(join(META_SCHEMA_DIR, file), 'utf8')) as { $id: string });
    schemas.forEach((schema) => ajv.addSchema(schema));
    compiled = Object.fromEntries(
      schemas.map((schema) => [schema.$id.replace(/^.*\/(.*)\.schema\.json$/, '$1'), ajv.getSchema(schema.$id)!]),
    );
  }
  const validator = compiled[name];
  if (!validator) throw new Error(`no meta-schema named ${name} in ${META_SCHEMA_DIR}`);
  return validator;
}
