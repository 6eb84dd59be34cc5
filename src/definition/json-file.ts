import { readFileSync } from 'node:fs';
import { ParseError, parse, printParseErrorCode } from 'jsonc-parser';

/** Result of reading a JSON file: the value, or a message that says where parsing stopped. */
export type JsonRead = { ok: true; value: unknown } | { ok: false; message: string };

/** 1-based line and column of a character offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

/** Parses strict JSON text; an error names the line, column and what was expected. */
export function parseJsonText(text: string): JsonRead {
  const errors: ParseError[] = [];
  const value = parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  if (errors.length > 0) {
    const first = errors[0];
    const { line, column } = lineAndColumn(text, first.offset);
    return { ok: false, message: `invalid JSON at line ${line}, column ${column} (character ${first.offset + 1}): ${describeParseError(printParseErrorCode(first.error))}` };
  }
  return { ok: true, value };
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
    return { ok: false, message: code === 'ENOENT' ? 'file not found' : `cannot read the file (${code ?? 'unknown error'})` };
  }
  return parseJsonText(text);
}
