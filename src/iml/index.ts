/** Public surface of the IML engine: compile once, evaluate many times. */
export { ImlSyntaxError } from './ast';
export type { CompiledTemplate, ImlNode } from './ast';
export { compileTemplate, parseExpression, templateExpression } from './parser';
export { evaluateTemplate, ImlEvaluationError } from './evaluate';
export type { ImlContext, ImlFunction } from './evaluate';
export { compileDirective, evaluateDirective, directiveFunctionCalls } from './directive';
export type { CompiledDirective, TemplateProblem } from './directive';
export { builtinFunctions, isBuiltinFunction } from './functions';
