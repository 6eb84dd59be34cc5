import type { AppDefinition, ModuleDefinition } from '../definition/types';
import { isRecord } from '../iml/values';

/** What the app itself declares, which a scrubbed sample keeps so that it still routes, maps and validates. */
export interface ScrubVocabulary {
  /** Values the app declares: event types and aliases, schema `enum`/`const` values, parameter options. */
  constants: Set<string>;
  /** Keys the payload schemas declare or the module's mapping reads: never renamed. */
  structuralKeys: Set<string>;
}

function walk(value: unknown, visit: (key: string, child: unknown) => void): void {
  if (Array.isArray(value)) value.forEach((element) => walk(element, visit));
  else if (isRecord(value)) {
    for (const [key, child] of Object.entries(value)) {
      visit(key, child);
      walk(child, visit);
    }
  }
}

function declaredValues(schema: unknown, into: Set<string>): void {
  walk(schema, (key, child) => {
    if (key === 'enum' && Array.isArray(child)) child.forEach((option) => into.add(String(option)));
    if (key === 'const' && (typeof child === 'string' || typeof child === 'number')) into.add(String(child));
    if (key === 'options' && Array.isArray(child)) child.forEach((option) => isRecord(option) && 'value' in option && into.add(String(option.value)));
  });
}

/** The constants and structural keys of `module` in `app`, for scrubbing one of its events. */
export function scrubVocabulary(app: AppDefinition, module: ModuleDefinition): ScrubVocabulary {
  const constants = new Set<string>();
  for (const event of Object.values(app.events)) [event.type, ...event.aliases].forEach((type) => constants.add(type));
  for (const schema of [...Object.values(app.payloadSchemas), module.output, module.parameters, app.sharedParameters]) declaredValues(schema, constants);
  const structuralKeys = new Set<string>();
  walk(Object.values(app.payloadSchemas), (key, child) => {
    if (key === 'properties' && isRecord(child)) Object.keys(child).forEach((name) => structuralKeys.add(name));
  });
  // Every name the mapping's IML mentions (a superset of the keys it reads).
  const iml = JSON.stringify([module.mapping, module.orderLines ?? null, app.eventType]);
  for (const name of iml.match(/[A-Za-z_$][\w$-]*/g) ?? []) structuralKeys.add(name);
  return { constants, structuralKeys };
}
