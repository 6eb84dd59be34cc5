/**
 * Parses a JSON body: strict UTF-8, one leading byte order mark allowed (RFC 8259 §8.1 lets a parser ignore it).
 * The one parse that intake, processing and the admin API share, so what is acknowledged is what is processed.
 * Throws an error whose message says what is wrong with the body.
 */
export function parseJsonBody(raw: Buffer): unknown {
  return parseJsonText(decodeBody(raw));
}

/** Why a raw body cannot be accepted as a Plug&Paid event (400), or its parsed value when it is fine. */
export function bodyProblem(raw: Buffer, maxDepth: number): { message: string; value?: undefined } | { message?: undefined; value: unknown } {
  try {
    const value = parseJsonText(decodeBody(raw));
    if (depthOf(value, maxDepth) > maxDepth) return { message: `the JSON is nested ${depthOf(value)} levels deep; the limit is ${maxDepth}` };
    return { value };
  } catch (error) {
    return { message: (error as Error).message };
  }
}

// TextDecoder drops one leading UTF-8 BOM (ignoreBOM is false) and, being fatal, refuses anything not UTF-8.
function decodeBody(raw: Buffer): string {
  if (raw.length >= 2 && ((raw[0] === 0xff && raw[1] === 0xfe) || (raw[0] === 0xfe && raw[1] === 0xff))) {
    throw new Error('the body is UTF-16 (it starts with a UTF-16 byte order mark); send JSON as UTF-8');
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    throw new Error('the body is not valid UTF-8');
  }
}

function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new Error(`invalid JSON: ${(error as Error).message}`);
  }
}

// The nesting depth of a parsed value, counted without recursion (V8's JSON.parse does not recurse either, so a
// hostile body cannot exhaust the stack in either), stopping once it is past \`stopAbove\`. Measured on the value
// rather than by scanning the text: about ten times cheaper for a 5 KB sale.
function depthOf(root: unknown, stopAbove = Infinity): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[root, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth > deepest) deepest = depth;
    if (deepest > stopAbove) break;
    const children = Array.isArray(node) ? node : Object.values(node);
    for (const child of children) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return deepest;
}
