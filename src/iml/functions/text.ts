import { define } from './define';

// Numbers and booleans are text-like in Make; structures and nothing are not.
function asText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** Text functions: case, whitespace and splitting. */
export const textFunctions = {
  lower: define(1, 1, ([value]) => asText(value)?.toLowerCase()),
  upper: define(1, 1, ([value]) => asText(value)?.toUpperCase()),
  trim: define(1, 1, ([value]) => asText(value)?.trim()),
  split: define(2, 2, ([value, separator]) => {
    const text = asText(value);
    if (text === undefined) return undefined;
    return text.split(typeof separator === 'string' ? separator : String(separator ?? ''));
  }),
};
