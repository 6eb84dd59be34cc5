import { readdirSync } from 'node:fs';
import { join, posix } from 'node:path';
import { isRecord } from '../iml/values';
import type { AppFiles, Reference } from './app-files';
import type { MetaSchemaName } from './meta-schemas';
import { Problem } from './problems';
import { pointerSegments } from './source-map';
import { bindSubject, bindSubjectPath } from './subject';
import { didYouMean } from './suggest';

/** A JSON Schema object. */
export type JsonSchema = Record<string, unknown>;

/** Where a keyword of a resolved schema is written, and its text as written (before `$` is bound). */
export interface Place {
  file: string;
  pointer: string;
  text?: string;
}

/**
 * Where a resolved schema comes from: the place that defines the field (its `type`), and each keyword's own
 * place, so a problem found in a module's resolved output is reported in the fragment where it is written.
 */
export interface SchemaOrigin {
  field: Place;
  keywords: Record<string, Place>;
}

const origins = new WeakMap<JsonSchema, SchemaOrigin>();

/** Where a resolved schema (or one of its keywords) is written; undefined for schemas not made by the resolver. */
export function originOf(schema: JsonSchema, keyword?: string): Place | undefined {
  const origin = origins.get(schema);
  return keyword === undefined ? origin?.field : origin?.keywords[keyword];
}

// Keywords that only organise fragments; a resolved schema does not need them.
const ORGANISING_KEYWORDS = new Set(['$schema', '$id', '$defs', 'definitions', '$ref', 'x-iml-subject', 'allOf']);
// Keywords that say what a field is: the place that writes them is the field's definition.
const DEFINING_KEYWORDS = ['type', 'properties', 'x-iml'];

interface Walk {
  files: AppFiles;
  /** The meta-schema every file of the schema (the root and each file a `$ref` reaches) must conform to. */
  meta: MetaSchemaName;
  problems: Problem[];
  module?: string;
  /** Set when something the schema needs could not be resolved: it is then not used, so nothing cascades. */
  failed: boolean;
}

/**
 * Resolves a schema file into one self-contained schema: `$ref`s (file-relative) are inlined, `allOf` parts
 * merged, and `$` in `x-iml` templates bound to the `x-iml-subject` in force. Each file it reads is checked
 * against `meta` first (once, however many modules share it). Problems are collected; the schema is undefined
 * when a part of it is missing, broken or not a schema the engine can use.
 */
export function resolveSchemaFile(file: string, meta: MetaSchemaName, files: AppFiles, problems: Problem[], module?: string, from?: Reference): JsonSchema | undefined {
  const root = files.read(file, module, from);
  if (!isRecord(root) || !files.conforms(file, meta, module)) return undefined;
  const walk: Walk = { files, meta, problems, module, failed: false };
  const schema = resolveNode(walk, root, file, '', undefined, []);
  return walk.failed ? undefined : schema;
}

function resolveNode(walk: Walk, node: JsonSchema, file: string, pointer: string, subject: string | undefined, stack: string[]): JsonSchema {
  const here = `${file}#${pointer}`;
  if (stack.includes(here)) {
    report(walk, file, pointer, `circular $ref: ${[...stack, here].join(' → ')}`);
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
  const keywords: Record<string, Place> = {};
  for (const [key, value] of Object.entries(node)) {
    keywords[key] = { file, pointer: `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, ...(typeof value === 'string' ? { text: value } : {}) };
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
  origins.set(own, { field: { file, pointer }, keywords });
  return mergeSchemas(result, own);
}

function report(walk: Walk, file: string, pointer: string, message: string, suggestion?: string): void {
  walk.failed = true;
  walk.problems.push({ file, pointer, module: walk.module, message, ...(suggestion ? { suggestion } : {}) });
}

function followRef(walk: Walk, ref: string, file: string, pointer: string): { node: JsonSchema; file: string; pointer: string } | undefined {
  const [filePart, fragment = ''] = ref.split('#');
  const targetFile = filePart === '' ? file : posix.normalize(posix.join(posix.dirname(file), filePart));
  const read = walk.files.tryRead(targetFile, walk.module);
  if ('broken' in read) {
    // Already reported once, in the broken file itself, with the modules it holds back.
    walk.failed = true;
    return undefined;
  }
  if ('missing' in read) {
    report(walk, file, pointer, `$ref "${ref}" points to ${targetFile}, which does not exist`, siblingSuggestion(walk.files.dir, targetFile));
    return undefined;
  }
  if (!walk.files.conforms(targetFile, walk.meta, walk.module)) {
    // Reported in the file itself, with every module that uses it.
    walk.failed = true;
    return undefined;
  }
  let node: unknown = read.value;
  for (const segment of pointerSegments(fragment)) {
    if (!isRecord(node) || !isRecord(node[segment])) {
      report(walk, file, pointer, `$ref "${ref}" points to nothing in ${targetFile}`, isRecord(node) ? didYouMean(segment, Object.keys(node)) : undefined);
      return undefined;
    }
    node = node[segment];
  }
  return { node: node as JsonSchema, file: targetFile, pointer: fragment };
}

// A misspelt fragment file name: the nearest file in the folder it names.
function siblingSuggestion(dir: string, file: string): string | undefined {
  try {
    return didYouMean(posix.basename(file), readdirSync(join(dir, posix.dirname(file))));
  } catch {
    return undefined;
  }
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
  const origin = mergedOrigin(origins.get(a), origins.get(b));
  if (origin) origins.set(merged, origin);
  return merged;
}

function mergedOrigin(a: SchemaOrigin | undefined, b: SchemaOrigin | undefined): SchemaOrigin | undefined {
  if (!a || !b) return a ?? b;
  const bDefines = DEFINING_KEYWORDS.some((keyword) => b.keywords[keyword]);
  return { field: bDefines ? b.field : a.field, keywords: { ...a.keywords, ...b.keywords } };
}
