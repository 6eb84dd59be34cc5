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

/** An expression compiled to a closure: evaluating it walks no syntax tree. */
export type CompiledExpression = (context: ImlContext) => unknown;

const compiledNodes = new WeakMap<ImlNode, CompiledExpression>();

/** Evaluates a compiled template: the typed value for a single `{{…}}`, otherwise text. */
export function evaluateTemplate(template: CompiledTemplate, context: ImlContext): unknown {
  if (template.typed) return evaluateNode(template.parts[0] as ImlNode, context);
  let text = '';
  for (const part of template.parts) text += typeof part === 'string' ? part : toText(evaluateNode(part, context));
  return text;
}

/** A template as one closure, for templates evaluated many times (mappings): no per-call node lookups. */
export function compileTemplateEvaluator(template: CompiledTemplate): CompiledExpression {
  if (template.typed) return compileNode(template.parts[0] as ImlNode);
  const parts = template.parts.map((part): CompiledExpression => (typeof part === 'string' ? () => part : compileNode(part)));
  return (context) => {
    let text = '';
    for (let i = 0; i < parts.length; i += 1) text += toText(parts[i](context));
    return text;
  };
}

/** Evaluates one expression node (compiled to a closure on first use, then reused). */
export function evaluateNode(node: ImlNode, context: ImlContext): unknown {
  let compiled = compiledNodes.get(node);
  if (!compiled) {
    compiled = compileNode(node);
    compiledNodes.set(node, compiled);
  }
  return compiled(context);
}

/** Compiles a node into a closure; semantics are those documented on each operator and function. */
export function compileNode(node: ImlNode): CompiledExpression {
  switch (node.kind) {
    case 'literal': {
      const value = node.value;
      return Array.isArray(value) ? () => [] : () => value;
    }
    case 'variable': {
      const name = node.name;
      return (context) => (Object.hasOwn(context.variables, name) ? context.variables[name] : undefined);
    }
    case 'member': {
      const object = compileNode(node.object);
      const property = node.property;
      const name = String(property);
      // The common case, a plain object, skips readKey's array and type checks.
      return (context) => {
        const value = object(context);
        if (typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date)) {
          return Object.hasOwn(value, name) ? (value as Record<string, unknown>)[name] : undefined;
        }
        return readKey(value, property);
      };
    }
    case 'index': {
      const object = compileNode(node.object);
      const index = compileNode(node.index);
      return (context) => readKey(object(context), index(context));
    }
    case 'unary': {
      const operand = compileNode(node.operand);
      if (node.op === '!') return (context) => !isTruthy(operand(context));
      return (context) => {
        const value = operand(context);
        return typeof value === 'number' ? -value : undefined;
      };
    }
    case 'binary':
      return compileBinary(node.op, compileNode(node.left), compileNode(node.right));
    case 'call':
      return compileCall(node.name, node.args.map(compileNode));
  }
}

function compileCall(name: string, args: CompiledExpression[]): CompiledExpression {
  return (context) => {
    const fn = Object.prototype.hasOwnProperty.call(context.functions, name) ? context.functions[name] : undefined;
    if (!fn) throw new ImlEvaluationError(`unknown IML function '${name}'`);
    if (args.length < fn.minArgs || args.length > fn.maxArgs) {
      throw new ImlEvaluationError(`${name}() takes ${describeArity(fn)}, got ${args.length}`);
    }
    const values = new Array<unknown>(args.length);
    for (let i = 0; i < args.length; i += 1) values[i] = args[i](context);
    return fn.call(values, context);
  };
}

/** Human text for a function's argument count, e.g. "2 to 4 arguments". */
export function describeArity(fn: Pick<ImlFunction, 'minArgs' | 'maxArgs'>): string {
  if (fn.minArgs === fn.maxArgs) return `${fn.minArgs} argument${fn.minArgs === 1 ? '' : 's'}`;
  if (fn.maxArgs === Infinity) return `at least ${fn.minArgs} argument${fn.minArgs === 1 ? '' : 's'}`;
  return `${fn.minArgs} to ${fn.maxArgs} arguments`;
}

function compileBinary(op: BinaryOperator, leftOf: CompiledExpression, rightOf: CompiledExpression): CompiledExpression {
  // && and || short-circuit and return an operand, as in JavaScript.
  if (op === '&&') return (context) => {
    const left = leftOf(context);
    return isTruthy(left) ? rightOf(context) : left;
  };
  if (op === '||') return (context) => {
    const left = leftOf(context);
    return isTruthy(left) ? left : rightOf(context);
  };
  return (context) => applyBinary(op, leftOf(context), rightOf(context));
}

function applyBinary(op: Exclude<BinaryOperator, '&&' | '||'>, left: unknown, right: unknown): unknown {
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
