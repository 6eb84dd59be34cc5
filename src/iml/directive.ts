import { CompiledTemplate, ImlNode, ImlSyntaxError, calledFunctions } from './ast';
import { generateTemplate } from './codegen';
import type { ImlContext } from './context';
import { compileTemplate } from './parser';
import { isRecord } from './values';

/** A JSON structure whose string leaves are compiled IML templates (Make's "IMLJSON"). */
export type CompiledDirective = (
  | { kind: 'template'; template: CompiledTemplate }
  | { kind: 'value'; value: unknown }
  | { kind: 'array'; items: CompiledDirective[] }
  | { kind: 'object'; entries: Array<[string, CompiledDirective]> }
) & { run: DirectiveRunner };

/** A directive compiled to a closure; `leaf` post-processes each object value a template yields (e.g. a Date). */
type DirectiveRunner = (context: ImlContext, leaf?: (value: unknown) => unknown) => unknown;

/** A template that failed to parse, with the JSON pointer of its string inside the directive. */
export interface TemplateProblem {
  pointer: string;
  message: string;
}

// Compiled templates by source text. Templates come from app definitions, so the set is small, but a request
// directive (a URL, headers) is compiled again on every API call, and generating code each time would waste it.
const templateCache = new Map<string, { template: CompiledTemplate; evaluate: (context: ImlContext) => unknown }>();
const TEMPLATE_CACHE_LIMIT = 10_000;

function cachedTemplate(source: string): { template: CompiledTemplate; evaluate: (context: ImlContext) => unknown } {
  let compiled = templateCache.get(source);
  if (!compiled) {
    const template = compileTemplate(source);
    if (templateCache.size >= TEMPLATE_CACHE_LIMIT) templateCache.clear();
    templateCache.set(source, (compiled = { template, evaluate: generateTemplate(template) }));
  }
  return compiled;
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Compiles every string leaf once; parse errors are collected with their JSON pointer, not thrown. */
export function compileDirective(value: unknown, pointer = '', problems: TemplateProblem[] = []): CompiledDirective {
  if (typeof value === 'string') {
    try {
      const { template, evaluate } = cachedTemplate(value);
      return {
        kind: 'template',
        template,
        run: (context, leaf) => {
          const result = evaluate(context);
          return leaf && typeof result === 'object' && result !== null ? leaf(result) : result;
        },
      };
    } catch (error) {
      if (!(error instanceof ImlSyntaxError)) throw error;
      problems.push({ pointer, message: `IML syntax error at character ${error.offset + 1} of "${value}": ${error.message}` });
      return { kind: 'value', value, run: () => value };
    }
  }
  if (Array.isArray(value)) {
    const items = value.map((item, index) => compileDirective(item, `${pointer}/${index}`, problems));
    return { kind: 'array', items, run: (context, leaf) => items.map((item) => item.run(context, leaf)) };
  }
  if (isRecord(value)) {
    const entries = Object.entries(value).map(([key, item]): [string, CompiledDirective] => [key, compileDirective(item, `${pointer}/${escapePointer(key)}`, problems)]);
    return {
      kind: 'object',
      entries,
      run: (context, leaf) => {
        const result: Record<string, unknown> = {};
        for (let i = 0; i < entries.length; i += 1) {
          const evaluated = entries[i][1].run(context, leaf);
          if (evaluated !== undefined) result[entries[i][0]] = evaluated;
        }
        return result;
      },
    };
  }
  return { kind: 'value', value, run: () => value };
}

/** Evaluates a compiled directive; object keys whose value is undefined are left out. `leaf` post-processes each object value a template yields. */
export function evaluateDirective(directive: CompiledDirective, context: ImlContext, leaf?: (value: unknown) => unknown): unknown {
  return directive.run(context, leaf);
}

/** Every template in a directive, with the JSON pointer of its string. */
export function directiveTemplates(directive: CompiledDirective, pointer = ''): Array<{ template: CompiledTemplate; pointer: string }> {
  switch (directive.kind) {
    case 'template':
      return [{ template: directive.template, pointer }];
    case 'array':
      return directive.items.flatMap((item, index) => directiveTemplates(item, `${pointer}/${index}`));
    case 'object':
      return directive.entries.flatMap(([key, item]) => directiveTemplates(item, `${pointer}/${escapePointer(key)}`));
    default:
      return [];
  }
}

/** The expressions of a template (its `{{…}}` parts). */
export function templateExpressions(template: CompiledTemplate): ImlNode[] {
  return template.parts.filter((part): part is ImlNode => typeof part !== 'string');
}

/** Every function called anywhere in a directive, with the pointer of the template that calls it. */
export function directiveFunctionCalls(directive: CompiledDirective, pointer = ''): Array<{ name: string; pointer: string }> {
  return directiveTemplates(directive, pointer).flatMap((found) =>
    templateExpressions(found.template).flatMap((node) => calledFunctions(node).map((name) => ({ name, pointer: found.pointer }))),
  );
}
