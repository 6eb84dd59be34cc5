import { builtinFunctions, compileTemplate, evaluateTemplate } from '../../src/iml';

/** Evaluates one template against the given variables, as the mapper would. */
export function run(template: string, variables: Record<string, unknown> = {}, timezone = 'UTC'): unknown {
  return evaluateTemplate(compileTemplate(template), { variables, functions: builtinFunctions, timezone });
}
