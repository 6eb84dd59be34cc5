import { readFileSync } from 'node:fs';
import { ParseError, parse, printParseErrorCode } from 'jsonc-parser';
import { JsonSource, Position } from './source-map';

/** Result of reading a JSON file: the value and its text, or a message that says where parsing stopped. */
export type JsonRead =
  | { ok: true; value: unknown; source: JsonSource }
  | { ok: false; message: string; reason: 'missing' | 'unreadable' | 'invalid'; position?: Position };

/** 1-based line and column of a character offset. */
export function lineAndColumn(text: string, offset: number): Position {
  return new JsonSource(text).positionOfOffset(offset);
}

/** Parses strict JSON text; an error names the line, column and what was expected. */
export function parseJsonText(text: string): JsonRead {
  const errors: ParseError[] = [];
  const value = parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const source = new JsonSource(text);
  if (errors.length > 0) {
    const first = errors[0];
    const position = source.positionOfOffset(first.offset);
    const message = `invalid JSON at line ${position.line}, column ${position.column} (character ${first.offset + 1}): ${describeParseError(printParseErrorCode(first.error))}`;
    return { ok: false, message, reason: 'invalid', position };
  }
  return { ok: true, value, source };
}

// 'CommaExpected' → 'comma expected'.
function describeParseError(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

/** Reads and parses a JSON file; a missing or unreadable file is reported, not thrown. */
export function readJsonFile(path: string): JsonRead {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { ok: false, message: 'file not found', reason: 'missing' };
    return { ok: false, message: `cannot read the file (${code ?? 'unknown error'})`, reason: 'unreadable' };
  }
  return parseJsonText(text);
}
