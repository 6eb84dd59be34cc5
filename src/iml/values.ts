/** Value helpers shared by the evaluator and the built-in functions, following Make's loose typing. */

/** Make's notion of "empty": undefined, null or the empty string. */
export function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

/** A plain JSON-like object (not an array, Date or null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** A valid Date value. */
export function isValidDate(value: unknown): value is Date {
  return value instanceof Date && !Number.isNaN(value.getTime());
}

/** Text form of a value as Make prints it in a mixed template: empty for nothing, ISO for dates, JSON for structures. */
export function toText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (value instanceof Date) return isValidDate(value) ? value.toISOString() : '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Make's truthiness: JS truthiness, where the text 'false' is also false (checkbox values arrive as text). */
export function isTruthy(value: unknown): boolean {
  if (value === 'false') return false;
  return Boolean(value);
}

/** Reads one property of an object, or a 1-based (negative from the end) element of an array. */
export function readKey(container: unknown, key: unknown): unknown {
  if (Array.isArray(container)) {
    const position = typeof key === 'number' ? key : typeof key === 'string' && /^-?[0-9]+$/.test(key) ? Number(key) : NaN;
    if (!Number.isInteger(position) || position === 0) return undefined;
    return container[position > 0 ? position - 1 : container.length + position];
  }
  if (isRecord(container)) {
    const name = String(key);
    return Object.prototype.hasOwnProperty.call(container, name) ? container[name] : undefined;
  }
  return undefined;
}

/** Reads a dot path (`a.b.1.c`) with the same rules as `readKey`. */
export function readPath(container: unknown, path: string): unknown {
  if (!path.includes('.')) return readKey(container, path);
  return path.split('.').reduce<unknown>((current, segment) => readKey(current, segment), container);
}
