import { posix } from 'node:path';
import { isRecord } from '../iml/values';
import { Problem } from './problems';
import { bindSubject, bindSubjectPath } from './subject';

/** A JSON Schema object. */
export type JsonSchema = Record<string, unknown>;

/** Reads a JSON file of the app by its app-relative path (cached by the caller); undefined when unreadable. */
export type AppFileReader = (file: string) => unknown;

// Keywords that only organise fragments; a resolved schema does not need them.
const ORGANISING_KEYWORDS = new Set(['$schema', '$id', '$defs', 'definitions', '$ref', 'x-iml-subject', 'allOf']);

interface Walk {
  read: AppFileReader;
  problems: Problem[];
  module?: string;
}

/**
 * Resolves a schema file into one self-contained schema: `$ref`s (file-relative) are inlined, `allOf` parts
 * merged, and `$` in `x-iml` templates bound to the `x-iml-subject` in force. Problems are collected.
 */
export function resolveSchemaFile(file: string, read: AppFileReader, problems: Problem[], module?: string): JsonSchema | undefined {
  const root = read(file);
  if (!isRecord(root)) return undefined;
  return resolveNode({ read, problems, module }, root, file, '', undefined, []);
}

function resolveNode(walk: Walk, node: JsonSchema, file: string, pointer: string, subject: string | undefined, stack: string[]): JsonSchema {
  const here = `${file}#${pointer}`;
  if (stack.includes(here)) {
    walk.problems.push({ file, pointer, module: walk.module, message: `circular $ref: ${[...stack, here].join(' → ')}` });
    return {};
  }
  const trail = [...stack, here];
  let scope = subject;
  if (typeof node['x-iml-subject'] === 'string') {
    const bound = bindSubjectPath(node['x-iml-subject'], subject);
    if (bound.unbound) report(walk, file, `${pointer}/x-iml-subject`, "uses '$' but no x-iml-subject binds it here");
    scope = bound.text;
  }

  let result: JsonSchema = {};
  if (typeof node.$ref === 'string') {
    const target = followRef(walk, node.$ref, file, `${pointer}/$ref`);
    if (target) result = resolveNode(walk, target.node, target.file, target.pointer, scope, trail);
  }
  if (Array.isArray(node.allOf)) {
    node.allOf.forEach((part, index) => {
      if (isRecord(part)) result = mergeSchemas(result, resolveNode(walk, part, file, `${pointer}/allOf/${index}`, scope, trail));
    });
  }
  const own: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (ORGANISING_KEYWORDS.has(key)) continue;
    if (key === 'x-iml' && typeof value === 'string') {
      const bound = bindSubject(value, scope);
      if (bound.unbound) report(walk, file, `${pointer}/x-iml`, "uses '$' but no x-iml-subject binds it here");
      own[key] = bound.text;
    } else if (key === 'properties' && isRecord(value)) {
      own.properties = Object.fromEntries(
        Object.entries(value).map(([name, child]) => [
          name,
          isRecord(child) ? resolveNode(walk, child, file, `${pointer}/properties/${name}`, scope, trail) : child,
        ]),
      );
    } else if ((key === 'items' || key === 'additionalProperties') && isRecord(value)) {
      own[key] = resolveNode(walk, value, file, `${pointer}/${key}`, scope, trail);
    } else {
      own[key] = value;
    }
  }
  return mergeSchemas(result, own);
}

function report(walk: Walk, file: string, pointer: string, message: string): void {
  walk.problems.push({ file, pointer, module: walk.module, message });
}

function followRef(walk: Walk, ref: string, file: string, pointer: string): { node: JsonSchema; file: string; pointer: string } | undefined {
  const [filePart, fragment = ''] = ref.split('#');
  const targetFile = filePart === '' ? file : posix.normalize(posix.join(posix.dirname(file), filePart));
  const document = walk.read(targetFile);
  if (document === undefined) {
    report(walk, file, pointer, `$ref "${ref}" points to ${targetFile}, which cannot be read`);
    return undefined;
  }
  let node: unknown = document;
  for (const segment of fragment.split('/').filter((part) => part !== '')) {
    node = isRecord(node) ? node[segment.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
  }
  if (!isRecord(node)) {
    report(walk, file, pointer, `$ref "${ref}" points to nothing in ${targetFile}`);
    return undefined;
  }
  return { node, file: targetFile, pointer: fragment };
}

/** Merges two object schemas: properties merged field by field, `required` united, other keywords from `b`. */
export function mergeSchemas(a: JsonSchema, b: JsonSchema): JsonSchema {
  const merged: JsonSchema = { ...a, ...b };
  if (isRecord(a.properties) && isRecord(b.properties)) {
    const properties: Record<string, unknown> = { ...a.properties };
    for (const [name, schema] of Object.entries(b.properties)) {
      const existing = properties[name];
      properties[name] = isRecord(existing) && isRecord(schema) ? mergeSchemas(existing, schema) : schema;
    }
    merged.properties = properties;
  }
  if (Array.isArray(a.required) || Array.isArray(b.required)) {
    merged.required = [...new Set([...((a.required as string[]) ?? []), ...((b.required as string[]) ?? [])])];
  }
  return merged;
}
