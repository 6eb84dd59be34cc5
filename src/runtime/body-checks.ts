/** Why a raw body cannot be accepted as a Plug&Paid event (400), or undefined when it is fine. */
export function bodyProblem(raw: Buffer, maxDepth: number): { message: string; value?: undefined } | { message?: undefined; value: unknown } {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    return { message: 'the body is not valid UTF-8' };
  }
  const depth = nestingDepth(text);
  if (depth > maxDepth) return { message: `the JSON is nested ${depth} levels deep; the limit is ${maxDepth}` };
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (error) {
    return { message: `invalid JSON: ${(error as Error).message}` };
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
