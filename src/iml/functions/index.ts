import type { ImlFunction } from '../evaluate';
import { arrayFunctions } from './arrays';
import { dateFunctions } from './dates';
import { generalFunctions } from './general';
import { numberFunctions } from './numbers';
import { textFunctions } from './text';

/** The Make built-in IML functions this engine implements, by name. */
export const builtinFunctions: Readonly<Record<string, ImlFunction>> = Object.freeze({
  ...generalFunctions,
  ...textFunctions,
  ...arrayFunctions,
  ...numberFunctions,
  ...dateFunctions,
});

/** True when `name` is one of Make's built-in functions that this engine runs. */
export function isBuiltinFunction(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(builtinFunctions, name);
}
