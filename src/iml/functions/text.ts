import { define } from './define';

// Numbers and booleans are text-like in Make; structures and nothing are not.
function asText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** Text functions: case, whitespace, parts and splitting. */
export const textFunctions = {
  lower: define(([value]) => asText(value)?.toLowerCase()),
  upper: define(([value]) => asText(value)?.toUpperCase()),
  trim: define(([value]) => asText(value)?.trim()),
  substring: define(([value, start, end]) => {
    const text = asText(value);
    if (text === undefined || typeof start !== 'number' || typeof end !== 'number') return undefined;
    return text.substring(start, end);
  }),
  split: define(([value, separator]) => {
    const text = asText(value);
    if (text === undefined) return undefined;
    return text.split(typeof separator === 'string' ? separator : String(separator ?? ''));
  }),
};
