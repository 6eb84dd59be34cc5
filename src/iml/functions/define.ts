import type { ImlContext, ImlFunction } from '../evaluate';

/** Declares an IML function with its argument count; `call` receives evaluated arguments. */
export function define(minArgs: number, maxArgs: number, call: (args: unknown[], context: ImlContext) => unknown): ImlFunction {
  return { minArgs, maxArgs, call };
}
