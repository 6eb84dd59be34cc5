import type { CompiledTemplate } from './ast';
import { generateTemplate } from './codegen';
import type { CompiledExpression, ImlContext } from './context';

export { describeArity, ImlEvaluationError } from './context';
export type { CompiledExpression, ImlContext, ImlFunction } from './context';

const compiledTemplates = new WeakMap<CompiledTemplate, CompiledExpression>();

/** Evaluates a compiled template: the typed value for a single `{{…}}`, otherwise text. */
export function evaluateTemplate(template: CompiledTemplate, context: ImlContext): unknown {
  let compiled = compiledTemplates.get(template);
  if (!compiled) compiledTemplates.set(template, (compiled = generateTemplate(template)));
  return compiled(context);
}
