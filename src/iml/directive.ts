import { CompiledTemplate, ImlSyntaxError, calledFunctions } from './ast';
import { ImlContext, evaluateTemplate } from './evaluate';
import { compileTemplate } from './parser';
import { isRecord } from './values';

/** A JSON structure whose string leaves are compiled IML templates (Make's "IMLJSON"). */
export type CompiledDirective =
  | { kind: 'template'; template: CompiledTemplate }
  | { kind: 'value'; value: unknown }
  | { kind: 'array'; items: CompiledDirective[] }
  | { kind: 'object'; entries: Array<[string, CompiledDirective]> };

/** A template that failed to parse, with the JSON pointer of its string inside the directive. */
export interface TemplateProblem {
  pointer: string;
  message: string;
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Compiles every string leaf once; parse errors are collected with their JSON pointer, not thrown. */
export function compileDirective(value: unknown, pointer = '', problems: TemplateProblem[] = []): CompiledDirective {
  if (typeof value === 'string') {
    try {
      return { kind: 'template', template: compileTemplate(value) };
    } catch (error) {
      if (!(error instanceof ImlSyntaxError)) throw error;
      problems.push({ pointer, message: `IML syntax error at character ${error.offset + 1} of "${value}": ${error.message}` });
      return { kind: 'value', value };
    }
  }
  if (Array.isArray(value)) {
    return { kind: 'array', items: value.map((item, index) => compileDirective(item, `${pointer}/${index}`, problems)) };
  }
  if (isRecord(value)) {
    return {
      kind: 'object',
      entries: Object.entries(value).map(([key, item]) => [key, compileDirective(item, `${pointer}/${escapePointer(key)}`, problems)]),
    };
  }
  return { kind: 'value', value };
}

/** Evaluates a compiled directive; object keys whose value is undefined are left out. */
export function evaluateDirective(directive: CompiledDirective, context: ImlContext): unknown {
  switch (directive.kind) {
    case 'template':
      return evaluateTemplate(directive.template, context);
    case 'value':
      return directive.value;
    case 'array':
      return directive.items.map((item) => evaluateDirective(item, context));
    case 'object': {
      const result: Record<string, unknown> = {};
      for (const [key, item] of directive.entries) {
        const evaluated = evaluateDirective(item, context);
        if (evaluated !== undefined) result[key] = evaluated;
      }
      return result;
    }
  }
}

/** Every function called anywhere in a directive, with the pointer of the template that calls it. */
export function directiveFunctionCalls(directive: CompiledDirective, pointer = ''): Array<{ name: string; pointer: string }> {
  switch (directive.kind) {
    case 'template':
      return directive.template.parts.flatMap((part) =>
        typeof part === 'string' ? [] : calledFunctions(part).map((name) => ({ name, pointer })),
      );
    case 'array':
      return directive.items.flatMap((item, index) => directiveFunctionCalls(item, `${pointer}/${index}`));
    case 'object':
      return directive.entries.flatMap(([key, item]) => directiveFunctionCalls(item, `${pointer}/${escapePointer(key)}`));
    default:
      return [];
  }
}
