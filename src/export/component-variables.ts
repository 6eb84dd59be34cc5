import type { JsonSchema } from '../definition/schema-resolver';
import { compileDirective, directiveTemplates, readVariables, templateExpressions } from '../iml';
import { isRecord } from '../iml/values';
import type { MakeTree } from './make-tree';

/**
 * What a webhook's communication can read (developers.make.com/custom-apps-documentation/app-components/webhooks):
 * the request's `body` and `headers`, the webhook's `parameters`, and `now`; `item` only while iterating, in
 * `iterate.condition` and in `output` when `iterate` is present.
 */
export const WEBHOOK_VARIABLES: ReadonlySet<string> = new Set(['body', 'headers', 'parameters', 'now']);

/**
 * What an instant trigger's communication can read (…/app-components/modules/instant-trigger): the webhook
 * item `payload`, the `webhook`, the answer's `body`, `headers` and `statusCode`, and the variables of every
 * module. Not `item` (its `iterate` is not available) and not `parameters`: an exported trigger has no
 * parameters of its own (the webhook's are the webhook's).
 */
export const INSTANT_TRIGGER_VARIABLES: ReadonlySet<string> = new Set([
  'payload', 'webhook', 'body', 'headers', 'statusCode', 'now', 'connection', 'common', 'data', 'temp', 'environment', 'scenario', 'metadata',
]);

/** The variables a template string reads (none when it does not parse: validation reports that). */
export function templateVariables(template: string): string[] {
  const found = directiveTemplates(compileDirective(template));
  return found.flatMap(({ template: compiled }) => templateExpressions(compiled).flatMap((expression) => readVariables(expression)));
}

/** An output schema without the fields whose source reads a variable the component does not have. */
export function schemaWithin(schema: JsonSchema, allowed: ReadonlySet<string>): JsonSchema {
  if (!isRecord(schema.properties)) return schema;
  const properties: Record<string, unknown> = {};
  for (const [name, child] of Object.entries(schema.properties)) {
    if (!isRecord(child)) continue;
    const source = child['x-iml'];
    if (typeof source === 'string' && templateVariables(source).some((variable) => !allowed.has(variable))) continue;
    properties[name] = schemaWithin(child, allowed);
  }
  return { ...schema, properties };
}

/** One variable an exported file reads that its component does not have. */
export interface VariableProblem {
  file: string;
  pointer: string;
  variable: string;
}

function readsOutside(directive: unknown, file: string, pointer: string, allowed: ReadonlySet<string>): VariableProblem[] {
  return directiveTemplates(compileDirective(directive), pointer).flatMap((found) =>
    templateExpressions(found.template)
      .flatMap((expression) => readVariables(expression))
      .filter((variable) => !allowed.has(variable))
      .map((variable) => ({ file, pointer: found.pointer, variable })),
  );
}

/**
 * Every place in an export where a webhook's or instant trigger's communication reads a variable its
 * component does not have: each such field would be empty in Make.
 */
export function componentVariableProblems(tree: MakeTree): VariableProblem[] {
  const makecomapp = JSON.parse(tree.get('makecomapp.json') ?? '{}') as { components?: Record<string, Record<string, { codeFiles?: Record<string, string | null> }>> };
  const files = (type: string) => Object.values(makecomapp.components?.[type] ?? {}).map((component) => component.codeFiles?.communication).filter((path): path is string => !!path);
  const problems: VariableProblem[] = [];
  for (const file of files('webhook')) {
    const { iterate, output, ...rest } = JSON.parse(tree.get(file) ?? '{}') as Record<string, unknown>;
    const withItem = new Set([...WEBHOOK_VARIABLES, 'item']);
    problems.push(...readsOutside(rest, file, '', WEBHOOK_VARIABLES));
    if (isRecord(iterate)) {
      problems.push(...readsOutside(iterate.container, file, '/iterate/container', WEBHOOK_VARIABLES));
      problems.push(...readsOutside(iterate.condition ?? {}, file, '/iterate/condition', withItem));
    } else if (iterate !== undefined) {
      problems.push(...readsOutside(iterate, file, '/iterate', WEBHOOK_VARIABLES));
    }
    problems.push(...readsOutside(output ?? {}, file, '/output', iterate === undefined ? WEBHOOK_VARIABLES : withItem));
  }
  for (const file of files('module')) problems.push(...readsOutside(JSON.parse(tree.get(file) ?? '{}'), file, '', INSTANT_TRIGGER_VARIABLES));
  return problems;
}
