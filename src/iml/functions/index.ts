import type { ImlFunction } from '../context';
import { arityOf, BuiltinName, FUNCTION_SIGNATURES, signatureOf } from '../signatures';
import { arrayFunctions } from './arrays';
import { dateFunctions } from './dates';
import type { FunctionBody } from './define';
import { generalFunctions } from './general';
import { numberFunctions } from './numbers';
import { textFunctions } from './text';

// Exactly the documented table: a body without a signature, or a signature without a body, does not compile.
const bodies: Record<BuiltinName, FunctionBody> = {
  ...generalFunctions,
  ...textFunctions,
  ...arrayFunctions,
  ...numberFunctions,
  ...dateFunctions,
} satisfies Record<BuiltinName, FunctionBody>;

/** The Make built-in IML functions this engine implements, by name, with the argument counts Make documents. */
export const builtinFunctions: Readonly<Record<string, ImlFunction>> = Object.freeze(
  Object.fromEntries(Object.entries(bodies).map(([name, call]) => [name, { ...arityOf(FUNCTION_SIGNATURES[name as BuiltinName]), call }])),
);

/** True when `name` is one of Make's built-in functions that this engine runs. */
export function isBuiltinFunction(name: string): boolean {
  return signatureOf(name) !== undefined;
}
