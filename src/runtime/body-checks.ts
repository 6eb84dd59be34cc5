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
    const text = decodeBody(raw);
    const depth = nestingDepth(text);
    if (depth > maxDepth) return { message: `the JSON is nested ${depth} levels deep; the limit is ${maxDepth}` };
    return { value: parseJsonText(text) };
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

// Counts bracket depth outside strings without parsing, so a hostile body cannot exhaust the stack.
function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 92) i += 1;
      else if (ch === 34) inString = false;
    } else if (ch === 34) {
      inString = true;
    } else if (ch === 123 || ch === 91) {
      depth += 1;
      if (depth > deepest) deepest = depth;
    } else if (ch === 125 || ch === 93) {
      depth -= 1;
    }
  }
  return deepest;
}
