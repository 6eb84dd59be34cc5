import { InvalidArgumentError } from 'commander';
import { ConfigError, wholeNumber } from '../runtime/config';

/** An option parser for a whole number from `min` to `max`: Commander refuses anything else before the command runs. */
export function wholeNumberArgument(what: string, min: number, max?: number): (text: string) => number {
  return (text) => {
    try {
      return wholeNumber(text, what, min, max);
    } catch (error) {
      if (error instanceof ConfigError) throw new InvalidArgumentError(error.message);
      throw error;
    }
  };
}
