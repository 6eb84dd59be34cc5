import { BinaryOperator, CompiledTemplate, ImlNode } from './ast';
import { isTruthy, isValidDate, readKey, toText } from './values';

/** A built-in or custom IML function: pure, total (returns undefined rather than throwing on bad input). */
export interface ImlFunction {
  minArgs: number;
  maxArgs: number;
  call(args: unknown[], context: ImlContext): unknown;
}

/** What an expression can see: its variables (body, item, parameters, …) and the functions in scope. */
export interface ImlContext {
  variables: Record<string, unknown>;
  functions: Record<string, ImlFunction>;
  /** IANA zone for date formatting; Make uses the user's zone, the local runtime defaults to UTC. */
  timezone: string;
}

/** Raised at evaluation time, e.g. for a function that is not in scope. */
export class ImlEvaluationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImlEvaluationError';
  }
}

/** Evaluates a compiled template: the typed value for a single `{{…}}`, otherwise text. */
export function evaluateTemplate(template: CompiledTemplate, context: ImlContext): unknown {
  if (template.typed) return evaluateNode(template.parts[0] as ImlNode, context);
  return template.parts.map((part) => (typeof part === 'string' ? part : toText(evaluateNode(part, context)))).join('');
}

/** Evaluates one expression node. */
export function evaluateNode(node: ImlNode, context: ImlContext): unknown {
  switch (node.kind) {
    case 'literal':
      return Array.isArray(node.value) ? [] : node.value;
    case 'variable':
      return readKey(context.variables, node.name);
    case 'member':
      return readKey(evaluateNode(node.object, context), node.property);
    case 'index':
      return readKey(evaluateNode(node.object, context), evaluateNode(node.index, context));
    case 'unary': {
      const operand = evaluateNode(node.operand, context);
      if (node.op === '!') return !isTruthy(operand);
      return typeof operand === 'number' ? -operand : undefined;
    }
    case 'binary':
      return evaluateBinary(node.op, node.left, node.right, context);
    case 'call':
      return callFunction(node.name, node.args, context);
  }
}

function callFunction(name: string, argNodes: ImlNode[], context: ImlContext): unknown {
  const fn = Object.prototype.hasOwnProperty.call(context.functions, name) ? context.functions[name] : undefined;
  if (!fn) throw new ImlEvaluationError(`unknown IML function '${name}'`);
  if (argNodes.length < fn.minArgs || argNodes.length > fn.maxArgs) {
    throw new ImlEvaluationError(`${name}() takes ${describeArity(fn)}, got ${argNodes.length}`);
  }
  return fn.call(argNodes.map((arg) => evaluateNode(arg, context)), context);
}

/** Human text for a function's argument count, e.g. "2 to 4 arguments". */
export function describeArity(fn: Pick<ImlFunction, 'minArgs' | 'maxArgs'>): string {
  if (fn.minArgs === fn.maxArgs) return `${fn.minArgs} argument${fn.minArgs === 1 ? '' : 's'}`;
  if (fn.maxArgs === Infinity) return `at least ${fn.minArgs} argument${fn.minArgs === 1 ? '' : 's'}`;
  return `${fn.minArgs} to ${fn.maxArgs} arguments`;
}

function evaluateBinary(op: BinaryOperator, leftNode: ImlNode, rightNode: ImlNode, context: ImlContext): unknown {
  const left = evaluateNode(leftNode, context);
  // && and || short-circuit and return an operand, as in JavaScript.
  if (op === '&&') return isTruthy(left) ? evaluateNode(rightNode, context) : left;
  if (op === '||') return isTruthy(left) ? left : evaluateNode(rightNode, context);
  const right = evaluateNode(rightNode, context);
  switch (op) {
    case '==':
      return strictlyEqual(left, right);
    case '!=':
      return !strictlyEqual(left, right);
    case '<':
    case '<=':
    case '>':
    case '>=':
      return compare(op, left, right);
    case '+':
      if (typeof left === 'number' && typeof right === 'number') return finite(left + right);
      if (typeof left === 'string' || typeof right === 'string') return toText(left) + toText(right);
      return undefined;
    default:
      return arithmetic(op, left, right);
  }
}

// Make's equality is strict; dates compare by instant.
function strictlyEqual(left: unknown, right: unknown): boolean {
  if (isValidDate(left) && isValidDate(right)) return left.getTime() === right.getTime();
  return left === right;
}

function compare(op: '<' | '<=' | '>' | '>=', left: unknown, right: unknown): boolean {
  const a = isValidDate(left) ? left.getTime() : left;
  const b = isValidDate(right) ? right.getTime() : right;
  const comparable = (typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string');
  if (!comparable) return false;
  const x = a as number | string;
  const y = b as number | string;
  if (op === '<') return x < y;
  if (op === '<=') return x <= y;
  if (op === '>') return x > y;
  return x >= y;
}

function arithmetic(op: '-' | '*' | '/' | '%', left: unknown, right: unknown): number | undefined {
  if (typeof left !== 'number' || typeof right !== 'number') return undefined;
  if (op === '-') return finite(left - right);
  if (op === '*') return finite(left * right);
  if (op === '/') return finite(left / right);
  return finite(left % right);
}

// Infinity and NaN have no JSON form; Make yields no value for them.
function finite(value: number): number | undefined {
  return Number.isFinite(value) ? value : undefined;
}
