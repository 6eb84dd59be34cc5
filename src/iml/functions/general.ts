import { isEmpty, isRecord, isTruthy, readPath, toText } from '../values';
import { define } from './define';

/** General functions: conditionals, dynamic access, text conversion, size and membership. */
export const generalFunctions = {
  if: define(([condition, whenTrue, whenFalse]) => (isTruthy(condition) ? whenTrue : whenFalse)),
  ifempty: define(([value, fallback]) => (isEmpty(value) ? fallback : value)),
  get: define(([container, path]) => {
    if (typeof path === 'number') return readPath(container, String(path));
    return typeof path === 'string' && path !== '' ? readPath(container, path) : undefined;
  }),
  toString: define(([value]) => toText(value)),
  length: define(([value]) => {
    if (typeof value === 'string' || Array.isArray(value)) return value.length;
    if (Buffer.isBuffer(value)) return value.length;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value).length;
    return 0;
  }),
  contains: define(([haystack, needle]) => {
    if (Array.isArray(haystack)) return haystack.some((entry) => entry === needle);
    if (typeof haystack === 'string') return haystack.includes(toText(needle));
    if (isRecord(haystack) && typeof needle === 'string') return Object.prototype.hasOwnProperty.call(haystack, needle);
    return false;
  }),
};
