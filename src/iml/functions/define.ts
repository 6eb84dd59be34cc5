import type { ImlContext } from '../context';

/** The body of a built-in function: evaluated arguments in, a value (or undefined) out. */
export type FunctionBody = (args: unknown[], context: ImlContext) => unknown;

/** Declares a built-in's body; its argument count comes from the signature table (signatures.ts). */
export function define(call: FunctionBody): FunctionBody {
  return call;
}
