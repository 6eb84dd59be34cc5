/** Nodes of a parsed IML expression (the part between `{{` and `}}`). */
export type ImlNode =
  | { kind: 'literal'; value: unknown }
  | { kind: 'variable'; name: string }
  | { kind: 'member'; object: ImlNode; property: string }
  | { kind: 'index'; object: ImlNode; index: ImlNode }
  | { kind: 'call'; name: string; args: ImlNode[] }
  | { kind: 'unary'; op: '!' | '-'; operand: ImlNode }
  | { kind: 'binary'; op: BinaryOperator; left: ImlNode; right: ImlNode };

export type BinaryOperator = '||' | '&&' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | '/' | '%';

/** A compiled template: literal text and expressions, in order. */
export interface CompiledTemplate {
  source: string;
  parts: Array<string | ImlNode>;
  /** True when the whole string is exactly one `{{…}}`: the result keeps its type. */
  typed: boolean;
}

/** Raised when a template cannot be parsed; `offset` is the 0-based position in the template string. */
export class ImlSyntaxError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
    this.name = 'ImlSyntaxError';
  }
}

/** Every function name a node calls, in order of appearance. */
export function calledFunctions(node: ImlNode, into: string[] = []): string[] {
  switch (node.kind) {
    case 'call':
      into.push(node.name);
      node.args.forEach((arg) => calledFunctions(arg, into));
      break;
    case 'member':
      calledFunctions(node.object, into);
      break;
    case 'index':
      calledFunctions(node.object, into);
      calledFunctions(node.index, into);
      break;
    case 'unary':
      calledFunctions(node.operand, into);
      break;
    case 'binary':
      calledFunctions(node.left, into);
      calledFunctions(node.right, into);
      break;
    default:
      break;
  }
  return into;
}
