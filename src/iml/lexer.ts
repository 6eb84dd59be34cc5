import { ImlSyntaxError } from './ast';

export type TokenType = 'number' | 'string' | 'identifier' | 'backtick' | 'operator' | 'punctuation' | 'end';

export interface Token {
  type: TokenType;
  text: string;
  value?: string | number;
  offset: number;
}

// Longest operators first so `<=` wins over `<`; `=`/`===` and `!==` are Make spellings of strict equality.
const OPERATORS = ['===', '!==', '==', '!=', '<=', '>=', '&&', '||', '<', '>', '+', '-', '*', '/', '%', '!', '='];
const PUNCTUATION = new Set(['(', ')', '[', ']', '.', ',', ';']);

/** Splits one IML expression into tokens; `base` is the expression's offset inside its template. */
export function tokenize(source: string, base = 0): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i];
    if (/\s/.test(ch)) {
      i += 1;
      continue;
    }
    const offset = base + i;
    if (/[0-9]/.test(ch)) {
      const match = /^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(source.slice(i));
      const text = match ? match[0] : ch;
      tokens.push({ type: 'number', text, value: Number(text), offset });
      i += text.length;
      continue;
    }
    if (/[A-Za-z_$]/.test(ch)) {
      const text = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(source.slice(i))![0];
      tokens.push({ type: 'identifier', text, value: text, offset });
      i += text.length;
      continue;
    }
    if (ch === "'" || ch === '"' || ch === '`') {
      const { value, end } = readQuoted(source, i, base);
      tokens.push({ type: ch === '`' ? 'backtick' : 'string', text: source.slice(i, end), value, offset });
      i = end;
      continue;
    }
    const op = OPERATORS.find((candidate) => source.startsWith(candidate, i));
    if (op) {
      tokens.push({ type: 'operator', text: op, offset });
      i += op.length;
      continue;
    }
    if (PUNCTUATION.has(ch)) {
      tokens.push({ type: 'punctuation', text: ch, offset });
      i += 1;
      continue;
    }
    throw new ImlSyntaxError(`unexpected character '${ch}'`, offset);
  }
  tokens.push({ type: 'end', text: '', offset: base + source.length });
  return tokens;
}

function readQuoted(source: string, start: number, base: number): { value: string; end: number } {
  const quote = source[start];
  let value = '';
  let i = start + 1;
  while (i < source.length) {
    const ch = source[i];
    if (ch === '\\' && i + 1 < source.length) {
      value += source[i + 1];
      i += 2;
      continue;
    }
    if (ch === quote) return { value, end: i + 1 };
    value += ch;
    i += 1;
  }
  throw new ImlSyntaxError(`unterminated ${quote === '`' ? 'backtick key' : 'string'}`, base + start);
}
