import { BinaryOperator, CompiledTemplate, ImlNode, ImlSyntaxError } from './ast';
import { Token, tokenize } from './lexer';

const KEYWORDS: Record<string, () => unknown> = {
  true: () => true,
  false: () => false,
  null: () => null,
  emptystring: () => '',
  emptyarray: () => [],
  undefined: () => undefined,
};

// Precedence climbing: each level lists the operators it binds, loosest first.
const LEVELS: BinaryOperator[][] = [['||'], ['&&'], ['==', '!='], ['<', '<=', '>', '>='], ['+', '-'], ['*', '/', '%']];
const EQUALITY_SPELLINGS: Record<string, BinaryOperator> = { '=': '==', '===': '==', '!==': '!=' };

class Parser {
  private position = 0;

  constructor(private readonly tokens: Token[]) {}

  parseExpression(): ImlNode {
    const node = this.parseLevel(0);
    const next = this.peek();
    if (next.type !== 'end') throw new ImlSyntaxError(`unexpected '${next.text}'`, next.offset);
    return node;
  }

  private peek(): Token {
    return this.tokens[this.position];
  }

  private take(): Token {
    return this.tokens[this.position++];
  }

  private expect(text: string): Token {
    const token = this.take();
    if (token.text !== text) {
      throw new ImlSyntaxError(`expected '${text}' but found ${token.type === 'end' ? 'the end' : `'${token.text}'`}`, token.offset);
    }
    return token;
  }

  private binaryOperatorAt(level: number): BinaryOperator | undefined {
    const token = this.peek();
    if (token.type !== 'operator') return undefined;
    const op = (EQUALITY_SPELLINGS[token.text] ?? token.text) as BinaryOperator;
    return LEVELS[level].includes(op) ? op : undefined;
  }

  private parseLevel(level: number): ImlNode {
    if (level === LEVELS.length) return this.parseUnary();
    let left = this.parseLevel(level + 1);
    for (let op = this.binaryOperatorAt(level); op; op = this.binaryOperatorAt(level)) {
      this.take();
      left = { kind: 'binary', op, left, right: this.parseLevel(level + 1) };
    }
    return left;
  }

  private parseUnary(): ImlNode {
    const token = this.peek();
    if (token.type === 'operator' && (token.text === '!' || token.text === '-')) {
      this.take();
      return { kind: 'unary', op: token.text, operand: this.parseUnary() };
    }
    const parenthesised = token.type === 'punctuation' && token.text === '(';
    const primary = this.parsePrimary();
    return this.parsePostfix(primary, parenthesised || primary.kind === 'call');
  }

  /** Member and index access after a primary; `onResult` marks the first one when the primary is a call or in parentheses. */
  private parsePostfix(start: ImlNode, onResult: boolean): ImlNode {
    let node = start;
    const mark = (): { onResult?: true } => (node === start && onResult ? { onResult: true } : {});
    for (;;) {
      const token = this.peek();
      if (token.text === '.' && token.type === 'punctuation') {
        this.take();
        const name = this.take();
        if (name.type !== 'identifier' && name.type !== 'backtick' && name.type !== 'number') {
          throw new ImlSyntaxError('expected a property name after \'.\'', name.offset);
        }
        node = { kind: 'member', object: node, property: String(name.value), ...mark() };
      } else if (token.text === '[' && token.type === 'punctuation') {
        this.take();
        const index = this.parseLevel(0);
        this.expect(']');
        node = { kind: 'index', object: node, index, ...mark() };
      } else {
        return node;
      }
    }
  }

  private parsePrimary(): ImlNode {
    const token = this.take();
    switch (token.type) {
      case 'number':
      case 'string':
        return { kind: 'literal', value: token.value };
      case 'backtick':
        return { kind: 'variable', name: String(token.value) };
      case 'identifier': {
        const name = String(token.value);
        if (this.peek().text === '(') return { kind: 'call', name, args: this.parseArguments() };
        if (Object.hasOwn(KEYWORDS, name)) return { kind: 'literal', value: KEYWORDS[name](), keyword: name };
        return { kind: 'variable', name };
      }
      case 'punctuation':
        if (token.text === '(') {
          const inner = this.parseLevel(0);
          this.expect(')');
          return inner;
        }
        break;
      default:
        break;
    }
    throw new ImlSyntaxError(token.type === 'end' ? 'unexpected end of expression' : `unexpected '${token.text}'`, token.offset);
  }

  private parseArguments(): ImlNode[] {
    this.expect('(');
    const args: ImlNode[] = [];
    if (this.peek().text === ')') {
      this.take();
      return args;
    }
    for (;;) {
      args.push(this.parseLevel(0));
      const separator = this.take();
      if (separator.text === ')') return args;
      if (separator.text !== ',') {
        const hint = separator.text === ';' ? " (app IML separates arguments with ',', not ';')" : '';
        throw new ImlSyntaxError(`expected ',' or ')' in the argument list${hint}`, separator.offset);
      }
    }
  }
}

/** Parses one IML expression; `base` shifts error offsets to the position inside the template. */
export function parseExpression(source: string, base = 0): ImlNode {
  if (source.trim() === '') throw new ImlSyntaxError('empty expression', base);
  return new Parser(tokenize(source, base)).parseExpression();
}

/** The expression inside a template that is exactly one `{{…}}` (e.g. `{{body.id}}` → `body.id`). */
export function templateExpression(template: string): string {
  return template.replace(/^\{\{/, '').replace(/\}\}$/, '').trim();
}

/** Compiles a template string: literal text plus `{{…}}` expressions, parsed once. */
export function compileTemplate(source: string): CompiledTemplate {
  const parts: Array<string | ImlNode> = [];
  let cursor = 0;
  while (cursor < source.length) {
    const open = source.indexOf('{{', cursor);
    if (open === -1) {
      parts.push(source.slice(cursor));
      break;
    }
    if (open > cursor) parts.push(source.slice(cursor, open));
    const close = findClose(source, open + 2);
    if (close === -1) throw new ImlSyntaxError("'{{' has no matching '}}'", open);
    parts.push(parseExpression(source.slice(open + 2, close), open + 2));
    cursor = close + 2;
  }
  const typed = parts.length === 1 && typeof parts[0] !== 'string';
  return { source, parts, typed };
}

// Finds the `}}` closing an expression, skipping quoted strings that may contain braces.
function findClose(source: string, from: number): number {
  let quote: string | undefined;
  for (let i = from; i < source.length; i += 1) {
    const ch = source[i];
    if (quote) {
      if (ch === '\\') i += 1;
      else if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"' || ch === '`') {
      quote = ch;
    } else if (ch === '}' && source[i + 1] === '}') {
      return i;
    }
  }
  return -1;
}
