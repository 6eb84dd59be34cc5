import { InvalidArgumentError } from 'commander';
import { apiBaseUrl, ConfigError, publicUrl, wholeNumber } from '../runtime/config';

/** A Commander option parser from a config check: its ConfigError is refused before the command runs. */
function optionParser<T>(check: (text: string) => T): (text: string) => T {
  return (text) => {
    try {
      return check(text);
    } catch (error) {
      if (error instanceof ConfigError) throw new InvalidArgumentError(error.message);
      throw error;
    }
  };
}

/** An option parser for a whole number from `min` to `max`: Commander refuses anything else before the command runs. */
export function wholeNumberArgument(what: string, min: number, max?: number): (text: string) => number {
  return optionParser((text) => wholeNumber(text, what, min, max));
}

/** `--public-url`: refused before the command runs unless it is an absolute http(s) URL. */
export const publicUrlArgument = optionParser((text) => publicUrl(text, '--public-url'));

/** `--api-base`: refused before the command runs unless it is an absolute http(s) URL. */
export const apiBaseArgument = optionParser((text) => apiBaseUrl(text, '--api-base'));

/** An option parser for a number above 0 (a rate such as 0.5): Commander refuses anything else before the command runs. */
export function positiveNumber(what: string): (text: string) => number {
  return optionParser((text) => {
    const value = Number(text);
    if (!/^\d+(\.\d+)?$/.test(text) || !(value > 0)) throw new ConfigError(`${what} must be a number above 0, e.g. 2 or 0.5, not ${JSON.stringify(text)}`);
    return value;
  });
}
