/** Public surface of the IML engine: compile once, evaluate many times. */
export { ImlSyntaxError } from './ast';
export type { CompiledTemplate, ImlNode } from './ast';
export { compileTemplate, parseExpression, templateExpression } from './parser';
export { evaluateTemplate } from './evaluate';
export { ImlEvaluationError } from './context';
export type { ImlContext, ImlFunction } from './context';
export { compileDirective, evaluateDirective, directiveFunctionCalls } from './directive';
export type { CompiledDirective, TemplateProblem } from './directive';
export { builtinFunctions, isBuiltinFunction } from './functions';
export { directiveTemplates, templateExpressions } from './directive';
export { directiveSignatureProblems, expressionProblems, DOCUMENTED_KEYWORDS, DOCUMENTED_VARIABLES } from './signature-check';
export type { SignatureProblem } from './signature-check';
export { FUNCTION_SIGNATURES, documentedSignature, signatureOf } from './signatures';
export type { FunctionSignature } from './signatures';
export { readVariables } from './ast';
