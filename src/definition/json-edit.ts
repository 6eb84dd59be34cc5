import { applyEdits, FormattingOptions, JSONPath, modify } from 'jsonc-parser';

/** The file's own indentation and line ends, so an edit looks as if a person had made it in the same style. */
export function formattingOf(text: string): FormattingOptions {
  const indent = /\n([ \t]+)\S/.exec(text)?.[1] ?? '  ';
  return { insertSpaces: !indent.startsWith('\t'), tabSize: indent.startsWith('\t') ? 1 : indent.length, eol: text.includes('\r\n') ? '\r\n' : '\n' };
}

/** Sets (or, with a last path segment of -1, appends) one value in a JSON text, keeping everything else byte for byte. */
export function editJsonText(text: string, path: JSONPath, value: unknown): string {
  return applyEdits(text, modify(text, path, value, { formattingOptions: formattingOf(text) }));
}
