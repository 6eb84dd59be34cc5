import { builtinFunctions, compileTemplate, DOCUMENTED_VARIABLES, expressionProblems, ImlSyntaxError, isBuiltinFunction, readVariables, templateExpressions } from '../iml';
import type { CompiledTemplate } from '../iml';
import { calledFunctions } from '../iml/ast';
import { isRecord } from '../iml/values';
import type { Problem } from './problems';
import { didYouMean } from './suggest';

/** Where a template is written (its file and the pointer of its string), and for which module it was checked. */
export interface TemplatePlace {
  file: string;
  pointer: string;
  module?: string;
}

/**
 * Problems in one IML template, as written: a syntax error (at its character), calls to functions that are not
 * Make built-ins (with the nearest names), calls and keywords Make does not document, and variables the
 * template cannot read there (`variables`; by default every variable Make documents for custom apps).
 */
export function templateTextProblems(text: string, place: TemplatePlace, variables: readonly string[] = [...DOCUMENTED_VARIABLES]): Problem[] {
  let template: CompiledTemplate;
  try {
    template = compileTemplate(text);
  } catch (error) {
    if (!(error instanceof ImlSyntaxError)) throw error;
    return [problemAt(place, error.offset, `IML syntax error at character ${error.offset + 1} of "${text}": ${error.message}`)];
  }
  const expressions = templateExpressions(template);
  const problems: Problem[] = [];
  for (const name of new Set(expressions.flatMap((node) => calledFunctions(node)))) {
    if (isBuiltinFunction(name)) continue;
    problems.push({
      ...problemAt(place, wordIndex(text, name), `unknown IML function '${name}': it is not a Make built-in this engine runs, so it would need custom IML functions on the target account (not enabled by default)`),
      ...suggestion(name, Object.keys(builtinFunctions)),
    });
  }
  // Variables are checked below against what this place can read, which is narrower than what Make documents.
  for (const problem of expressions.flatMap((node) => expressionProblems(node)).filter((found) => found.kind !== 'variable')) {
    problems.push(problemAt(place, wordIndex(text, problem.name), problem.message));
  }
  for (const name of new Set(expressions.flatMap((node) => readVariables(node)))) {
    // `$` is a fragment's subject, checked where the subject is bound.
    if (name === '$' || variables.includes(name)) continue;
    problems.push({
      ...problemAt(place, wordIndex(text, name), `unknown variable '${name}': here a template can read ${variables.map((variable) => `'${variable}'`).join(', ')}`),
      ...suggestion(name, variables),
    });
  }
  return problems;
}

/** Problems with the IML templates inside a directive (every string leaf), each at its own pointer. */
export function templateProblems(directive: unknown, file: string, pointer: string, module?: string, variables?: readonly string[]): Problem[] {
  if (typeof directive === 'string') return templateTextProblems(directive, { file, pointer, module }, variables);
  if (Array.isArray(directive)) return directive.flatMap((item, index) => templateProblems(item, file, `${pointer}/${index}`, module, variables));
  if (isRecord(directive)) {
    return Object.entries(directive).flatMap(([key, item]) =>
      templateProblems(item, file, `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, module, variables),
    );
  }
  return [];
}

function problemAt(place: TemplatePlace, index: number, message: string): Problem {
  return { file: place.file, pointer: place.pointer, index, message, ...(place.module ? { module: place.module } : {}) };
}

function suggestion(name: string, known: Iterable<string>): { suggestion?: string } {
  const text = didYouMean(name, known);
  return text ? { suggestion: text } : {};
}

// Where a name is first written as a whole word, so line:column points at it (the syntax tree keeps no offsets).
function wordIndex(text: string, name: string): number {
  const escaped = name.replace(/[$]/g, '\\$');
  const match = new RegExp(`(?<![A-Za-z0-9_$.])${escaped}(?![A-Za-z0-9_$])`).exec(text);
  return match ? match.index : 0;
}
