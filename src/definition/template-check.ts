import { compileDirective, directiveFunctionCalls, directiveSignatureProblems, isBuiltinFunction } from '../iml';
import type { Problem } from './problems';

/** Problems with the IML templates inside a directive: syntax errors, unknown functions, and calls, keywords or variables Make does not document. */
export function templateProblems(directive: unknown, file: string, pointer: string, module?: string): Problem[] {
  const syntax: Array<{ pointer: string; message: string }> = [];
  const compiled = compileDirective(directive, pointer, syntax);
  const problems: Problem[] = syntax.map((problem) => ({ file, module, ...problem }));
  for (const call of directiveFunctionCalls(compiled, pointer)) {
    if (!isBuiltinFunction(call.name)) {
      problems.push({
        file,
        pointer: call.pointer,
        module,
        message: `unknown IML function '${call.name}': it is not a Make built-in this engine runs, so it would need custom IML functions on the target account (not enabled by default)`,
      });
    }
  }
  for (const problem of directiveSignatureProblems(compiled, pointer)) problems.push({ file, pointer: problem.pointer, module, message: problem.message });
  return problems;
}
