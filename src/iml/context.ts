/** What compiled IML runs against: the context, the function shape and the evaluation error (no imports, so codegen and evaluate share it without a cycle). */

/** A built-in or custom IML function: pure, total (returns undefined rather than throwing on bad input). */
export interface ImlFunction {
  minArgs: number;
  maxArgs: number;
  call(args: unknown[], context: ImlContext): unknown;
}

/** A value a conversion function (parseNumber, parseDate) was given and could not convert. */
export interface ConversionFailure {
  function: string;
  value: unknown;
  /** What the function expected, e.g. "a number with '.' as decimal separator". */
  expected: string;
}

/** What an expression can see: its variables (body, item, parameters, …) and the functions in scope. */
export interface ImlContext {
  variables: Record<string, unknown>;
  functions: Record<string, ImlFunction>;
  /** IANA zone for date formatting; Make uses the user's zone, the local runtime defaults to UTC. */
  timezone: string;
  /** Told when a conversion function gets a value it cannot convert (it still yields nothing, as Make's does). */
  conversionFailed?: (failure: ConversionFailure) => void;
}

/** Raised at evaluation time, e.g. for a function that is not in scope. */
export class ImlEvaluationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImlEvaluationError';
  }
}

/** An expression compiled to a JavaScript function: evaluating it walks no syntax tree. */
export type CompiledExpression = (context: ImlContext) => unknown;

/** Human text for a function's argument count, e.g. "2 to 4 arguments". */
export function describeArity(fn: Pick<ImlFunction, 'minArgs' | 'maxArgs'>): string {
  if (fn.minArgs === fn.maxArgs) return `${fn.minArgs} argument${fn.minArgs === 1 ? '' : 's'}`;
  if (fn.maxArgs === Infinity) return `at least ${fn.minArgs} argument${fn.minArgs === 1 ? '' : 's'}`;
  return `${fn.minArgs} to ${fn.maxArgs} arguments`;
}
