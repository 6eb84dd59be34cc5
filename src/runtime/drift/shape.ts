import { childPath } from '../../iml/read-paths';

/** Bounds on what one payload adds to the drift tables (a sender controls the keys). */
export const MAX_PATHS_PER_SHAPE = 300;
export const MAX_PATH_LENGTH = 300;

/**
 * A payload's shape as text: keys (length-prefixed, so no key can fake structure) and value kinds, with the
 * distinct element shapes of an array listed once. Payloads of the same shape share one signature, so the
 * field paths and schema outcome are worked out once per shape, not once per event. Value kinds keep what a
 * payload schema of types, required keys and non-empty texts can tell apart (integer or not, empty text).
 */
export function shapeSignature(value: unknown): string {
  const kind = valueKind(value);
  if (kind === '[') {
    const array = value as unknown[];
    let signature = '[';
    for (let i = 0; i < array.length; i += 1) {
      // Consecutive elements of the same shape (the usual case: order lines) are written once, and told
      // apart by a walk that builds no text.
      if (i === 0 || !sameShape(array[i], array[i - 1])) signature += `${shapeSignature(array[i])},`;
    }
    return `${signature}]`;
  }
  if (kind !== '{') return kind;
  let signature = '{';
  for (const key in value as Record<string, unknown>) {
    signature += `${key.length}:${key}${shapeSignature((value as Record<string, unknown>)[key])},`;
  }
  return `${signature}}`;
}

function valueKind(value: unknown): string {
  if (value === null) return 'z';
  switch (typeof value) {
    case 'string':
      return value === '' ? 'e' : 's';
    case 'number':
      return Number.isInteger(value) ? 'i' : 'n';
    case 'boolean':
      return 'b';
    default:
      return Array.isArray(value) ? '[' : '{';
  }
}

// True only when both values have the same signature (same kinds, same keys in the same order, arrays of equal
// length element by element); false may also mean "not sure", and the caller then writes the signature out.
function sameShape(a: unknown, b: unknown): boolean {
  const kind = valueKind(a);
  if (kind !== valueKind(b)) return false;
  if (kind === '[') {
    const [left, right] = [a as unknown[], b as unknown[]];
    if (left.length !== right.length) return false;
    for (let i = 0; i < left.length; i += 1) if (!sameShape(left[i], right[i])) return false;
    return true;
  }
  if (kind !== '{') return true;
  const [left, right] = [a as Record<string, unknown>, b as Record<string, unknown>];
  const keys = Object.keys(left);
  const others = Object.keys(right);
  if (keys.length !== others.length) return false;
  for (let i = 0; i < keys.length; i += 1) if (keys[i] !== others[i] || !sameShape(left[keys[i]], right[keys[i]])) return false;
  return true;
}

/** One path of a payload (array indexes collapsed); `leaf` when it holds a value rather than an object or array with entries. */
export interface ShapePath {
  path: string;
  leaf: boolean;
}

/** Every path of a payload, objects and arrays included, each once; at most MAX_PATHS_PER_SHAPE, none longer than MAX_PATH_LENGTH. */
export function payloadPaths(value: unknown): ShapePath[] {
  const found = new Map<string, boolean>();
  const visit = (node: unknown, path: string) => {
    if (path.length > MAX_PATH_LENGTH) return;
    const isArray = Array.isArray(node);
    const isObject = !isArray && typeof node === 'object' && node !== null;
    const empty = isArray ? node.length === 0 : isObject ? Object.keys(node).length === 0 : true;
    if (path !== '') {
      if (!found.has(path) && found.size >= MAX_PATHS_PER_SHAPE) return;
      found.set(path, (found.get(path) ?? false) || empty);
    }
    if (isArray) node.forEach((element) => visit(element, `${path}[]`));
    else if (isObject) Object.entries(node).forEach(([key, child]) => visit(child, childPath(path, key)));
  };
  visit(value, '');
  return [...found].map(([path, leaf]) => ({ path, leaf }));
}

/** A JSON pointer with array indexes collapsed to `*`, so one row stands for a violation in every element. */
export function collapsedPointer(pointer: string, value: unknown): string {
  let node = value;
  return pointer
    .split('/')
    .map((segment, index) => {
      if (index === 0) return segment;
      const key = segment.replace(/~1/g, '/').replace(/~0/g, '~');
      const isIndex = Array.isArray(node);
      node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined;
      return isIndex ? '*' : segment;
    })
    .join('/');
}
