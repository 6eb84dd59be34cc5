/** Nodes of a parsed IML expression (the part between `{{` and `}}`). */
export type ImlNode =
  | { kind: 'literal'; value: unknown; /** Set when the literal was written as a keyword (true, false, …). */ keyword?: string }
  | { kind: 'variable'; name: string }
  | { kind: 'member'; object: ImlNode; property: string; /** Set when it reads the result of a call or a parenthesised expression. */ onResult?: true }
  | { kind: 'index'; object: ImlNode; index: ImlNode; /** As for member. */ onResult?: true }
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

/** Visits a node and every node inside it, depth first, in order of appearance. */
export function visitNodes(node: ImlNode, visit: (node: ImlNode) => void): void {
  visit(node);
  switch (node.kind) {
    case 'call':
      node.args.forEach((arg) => visitNodes(arg, visit));
      break;
    case 'member':
      visitNodes(node.object, visit);
      break;
    case 'index':
      visitNodes(node.object, visit);
      visitNodes(node.index, visit);
      break;
    case 'unary':
      visitNodes(node.operand, visit);
      break;
    case 'binary':
      visitNodes(node.left, visit);
      visitNodes(node.right, visit);
      break;
    default:
      break;
  }
}

/** Every function name a node calls, in order of appearance. */
export function calledFunctions(node: ImlNode, into: string[] = []): string[] {
  visitNodes(node, (inner) => {
    if (inner.kind === 'call') into.push(inner.name);
  });
  return into;
}

/** Every variable a node reads (the root of each path: `body` in `body.data.id`), in order of appearance. */
export function readVariables(node: ImlNode, into: string[] = []): string[] {
  visitNodes(node, (inner) => {
    if (inner.kind === 'variable') into.push(inner.name);
  });
  return into;
}
