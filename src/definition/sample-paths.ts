import { compileDirective } from '../iml';
import { childPath, directivePaths, directiveValuePaths, PathBindings } from '../iml/read-paths';
import { isRecord } from '../iml/values';
import type { Problem } from './problems';
import { originOf } from './schema-resolver';
import { nearestNames } from './suggest';
import type { AppDefinition, ModuleDefinition } from './types';
import { walkFields } from './walk-fields';

/** The paths some samples carry (array indexes collapsed: `data.order.products[].id`), and the keys under each. */
export interface CarriedPaths {
  keys: Map<string, Set<string>>;
}

/** What the samples of an app carry: in their webhook payloads, and in the API answers of modules that fetch. */
export interface SampleCarried {
  payloads: CarriedPaths;
  responses: CarriedPaths;
}

function carry(value: unknown, path: string, into: CarriedPaths): void {
  if (Array.isArray(value)) {
    value.forEach((element) => carry(element, `${path}[]`, into));
  } else if (isRecord(value)) {
    let keys = into.keys.get(path);
    if (!keys) into.keys.set(path, (keys = new Set()));
    for (const [key, child] of Object.entries(value)) {
      keys.add(key);
      carry(child, childPath(path, key), into);
    }
  }
}

/** The paths every sample of the app carries, computed once per app. */
export function sampleCarried(app: AppDefinition): SampleCarried {
  const carried: SampleCarried = { payloads: { keys: new Map() }, responses: { keys: new Map() } };
  for (const module of app.modules) {
    for (const sample of module.samples) {
      carry(sample.payload, '', carried.payloads);
      if (module.communication && sample.response !== undefined) carry(sample.response, '', carried.responses);
    }
  }
  return carried;
}

// `data.order.amount_totl` → parent `data.order`, key `amount_totl`; an array element's own path has no key.
function split(path: string): { parent: string; key: string } | undefined {
  const dot = path.lastIndexOf('.');
  const key = path.slice(dot + 1);
  if (key.endsWith('[]')) return undefined;
  return { parent: dot < 0 ? '' : path.slice(0, dot), key };
}

/**
 * A misspelt payload path in an output field's `x-iml`: a key that no sample carries where the samples carry a
 * near one (`amount_totl` beside `amount_total`). Reported once, at the `x-iml`, instead of as every sample
 * whose bundles then differ. A key no sample carries with no near one may be an optional field: not reported.
 */
export function samplePathProblems(module: ModuleDefinition, carried: SampleCarried): Problem[] {
  // What `body` is for this module: the webhook payload, or the API answer a fetching module maps.
  const samples = module.communication ? carried.responses : carried.payloads;
  if (samples.keys.size === 0) return [];
  const bindings: PathBindings = { body: { paths: [''] } };
  if (module.compiled.iterate) bindings.item = { paths: directiveValuePaths(module.compiled.iterate.container, bindings).map((path) => `${path}[]`) };
  return walkFields(module.output, '', (field, pointer) => {
    const template = field['x-iml'];
    if (typeof template !== 'string') return [];
    const place = originOf(field, 'x-iml') ?? { file: module.files.output, pointer: `${pointer}/x-iml`, text: template };
    return [...directivePaths(compileDirective(template), bindings)].flatMap((path) => {
      const parts = split(path);
      const keys = parts && samples.keys.get(parts.parent);
      if (!parts || !keys || keys.has(parts.key)) return [];
      const near = nearestNames(parts.key, keys);
      if (near.length === 0) return [];
      const written = place.text ?? template;
      const at = written.indexOf(parts.key);
      return [
        {
          file: place.file,
          pointer: place.pointer,
          module: module.name,
          ...(at >= 0 ? { index: at } : {}),
          message: `reads body.${path}, which no sample ${module.communication ? 'API answer' : 'payload'} carries`,
          suggestion: `did you mean ${near.map((name) => `'${name}'`).join(' or ')}?`,
        },
      ];
    });
  });
}
