import type { CompiledTemplate, ImlNode } from './ast';
import { CompiledExpression, describeArity, ImlContext, ImlEvaluationError, ImlFunction } from './context';
import { applyBinary } from './operators';
import { documentedSignature, signatureOf } from './signatures';
import { isTruthy, readKey, toText } from './values';

type CallSite = (context: ImlContext, args: unknown[]) => unknown;

/** What generated code may use besides its context: fixed helpers, and per-function constants and call sites. */
interface Scope {
  constants: unknown[];
  sites: CallSite[];
  temps: number;
}

// A plain object key that Object.prototype does not have can be read directly: it can only be an own property.
function safeKey(name: string): boolean {
  return !(name in Object.prototype);
}

function temp(scope: Scope): string {
  return `t${scope.temps++}`;
}

/** One call site: the function and its arity are checked once per function table, not on every call. */
function callSite(name: string, argc: number): CallSite {
  let table: Record<string, ImlFunction> | undefined;
  let fn: ImlFunction | undefined;
  return (context, args) => {
    if (context.functions !== table) {
      const found = Object.prototype.hasOwnProperty.call(context.functions, name) ? context.functions[name] : undefined;
      if (!found) throw new ImlEvaluationError(`unknown IML function '${name}'`);
      if (argc < found.minArgs || argc > found.maxArgs) throw new ImlEvaluationError(arityMessage(name, found, argc));
      table = context.functions;
      fn = found;
    }
    try {
      return fn!.call(args, context);
    } catch (error) {
      // A function's own JavaScript error must not escape as a TypeError: it becomes an IML error naming the function.
      if (error instanceof ImlEvaluationError) throw error;
      throw new ImlEvaluationError(`${name}() failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
}

function arityMessage(name: string, found: ImlFunction, argc: number): string {
  const signature = signatureOf(name);
  const documented = signature ? ` (Make documents ${documentedSignature(name, signature)})` : '';
  return `${name}() takes ${describeArity(found)}${documented}, got ${argc}`;
}

// Reading a key of a value: plain objects inline (each site keeps its own inline cache), anything else via readKey.
function readFrom(scope: Scope, object: string, name: string): string {
  const t = temp(scope);
  const key = JSON.stringify(name);
  const own = safeKey(name) ? `${t}[${key}]` : `(Object.hasOwn(${t}, ${key}) ? ${t}[${key}] : undefined)`;
  return `((${t} = ${object}) !== null && typeof ${t} === 'object' && !Array.isArray(${t}) && !(${t} instanceof Date) ? ${own} : readKey(${t}, ${key}))`;
}

function expression(node: ImlNode, scope: Scope): string {
  switch (node.kind) {
    case 'literal':
      // Array literals (emptyarray) give a fresh array each time.
      if (Array.isArray(node.value)) return '[]';
      scope.constants.push(node.value);
      return `K[${scope.constants.length - 1}]`;
    case 'variable': {
      const key = JSON.stringify(node.name);
      return safeKey(node.name) ? `c.variables[${key}]` : `(Object.hasOwn(c.variables, ${key}) ? c.variables[${key}] : undefined)`;
    }
    case 'member':
      return readFrom(scope, expression(node.object, scope), node.property);
    case 'index':
      return `readKey(${expression(node.object, scope)}, ${expression(node.index, scope)})`;
    case 'unary': {
      const operand = expression(node.operand, scope);
      if (node.op === '!') return `!isTruthy(${operand})`;
      const t = temp(scope);
      return `(typeof (${t} = ${operand}) === 'number' ? -${t} : undefined)`;
    }
    case 'binary': {
      const left = expression(node.left, scope);
      const right = expression(node.right, scope);
      // && and || short-circuit and return an operand, as in JavaScript.
      if (node.op === '&&' || node.op === '||') {
        const t = temp(scope);
        return node.op === '&&' ? `(isTruthy(${t} = ${left}) ? ${right} : ${t})` : `(isTruthy(${t} = ${left}) ? ${t} : ${right})`;
      }
      return `applyBinary(${JSON.stringify(node.op)}, ${left}, ${right})`;
    }
    case 'call':
      scope.sites.push(callSite(node.name, node.args.length));
      return `S[${scope.sites.length - 1}](c, [${node.args.map((arg) => expression(arg, scope)).join(', ')}])`;
  }
}

/**
 * Turns the body into a function. Only generated text reaches `new Function`: keys and texts from the
 * definition go in as JSON string literals or constants, and function names only as call-site lookups.
 */
function build(body: string, scope: Scope): CompiledExpression {
  const temps = scope.temps > 0 ? `let ${Array.from({ length: scope.temps }, (_, i) => `t${i}`).join(', ')};` : '';
  const factory = new Function('readKey', 'isTruthy', 'applyBinary', 'toText', 'K', 'S', `return function iml(c) { ${temps} ${body} };`);
  return factory(readKey, isTruthy, applyBinary, toText, scope.constants, scope.sites) as CompiledExpression;
}

/** Compiles a template into one JavaScript function with the evaluator's semantics: its typed value for a single `{{…}}`, otherwise the text with each value as text. */
export function generateTemplate(template: CompiledTemplate): CompiledExpression {
  const scope: Scope = { constants: [], sites: [], temps: 0 };
  if (template.typed) return build(`return ${expression(template.parts[0] as ImlNode, scope)};`, scope);
  const parts = template.parts.map((part) => (typeof part === 'string' ? JSON.stringify(part) : `toText(${expression(part, scope)})`));
  return build(`return ${parts.length > 0 ? parts.join(' + ') : '""'};`, scope);
}
