import type { BinaryOperator } from './ast';
import { isValidDate, toText } from './values';

/** A binary operator other than the short-circuiting `&&` and `||`, with Make's semantics. */
export function applyBinary(op: Exclude<BinaryOperator, '&&' | '||'>, left: unknown, right: unknown): unknown {
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
