import type { ImlNode } from './ast';
import type { CompiledDirective } from './directive';

/**
 * What a variable stands for when finding which payload paths a template reads: a list of paths (`''` is the
 * payload root, `data.order.products[]` an element of that array), or an object built by a directive (Make's
 * webhook `output`, read as `payload.<key>`).
 */
export type PathBinding = { paths: string[] } | { directive: CompiledDirective; bindings: Record<string, PathBinding> };

/** Variables in scope and the payload paths they stand for; any other variable (parameters, an API answer) reads none. */
export type PathBindings = Record<string, PathBinding>;

// Functions whose first argument is an array of collections and whose literal text arguments name keys of its
// elements (Make's map(array; key; filterKey; values) and toCollection(array; key; value)).
const ELEMENT_KEYS: Record<string, number[]> = { map: [1, 2], toCollection: [1, 2] };
// Functions whose result is one of their arguments (so `ifempty(a, b).c` reads `a.c` or `b.c`).
const PASS_THROUGH: Record<string, number[]> = { ifempty: [0, 1], if: [1, 2] };

/** Joins a path and a key the way drift paths are written: `data.order`, `products[]`. */
export function childPath(base: string, key: string): string {
  return base === '' ? key : `${base}.${key}`;
}

const ARRAY_INDEX = /^\d+$/;

function member(binding: PathBinding | undefined, key: string, array: boolean): PathBinding | undefined {
  if (!binding) return undefined;
  if ('paths' in binding) return { paths: binding.paths.map((path) => (array ? `${path}[]` : childPath(path, key))) };
  if (binding.directive.kind !== 'object') return undefined;
  const entry = binding.directive.entries.find(([name]) => name === key)?.[1];
  return entry ? directiveBinding(entry, binding.bindings) : undefined;
}

// What a directive value stands for: the paths its single expression denotes, or a nested object.
function directiveBinding(directive: CompiledDirective, bindings: PathBindings): PathBinding | undefined {
  if (directive.kind === 'object') return { directive, bindings };
  if (directive.kind !== 'template') return undefined;
  const reads = new Set<string>();
  const denoted = directive.template.parts.flatMap((part) => (typeof part === 'string' ? [] : pathsOf(part, bindings, reads)));
  return { paths: directive.template.typed ? denoted : [...reads, ...denoted] };
}

// The paths a node denotes (without recording them); the paths its sub-expressions read go to `reads`.
function denote(node: ImlNode, bindings: PathBindings, reads: Set<string>): PathBinding | undefined {
  switch (node.kind) {
    case 'variable':
      return Object.prototype.hasOwnProperty.call(bindings, node.name) ? bindings[node.name] : undefined;
    case 'member':
      return member(denote(node.object, bindings, reads), node.property, ARRAY_INDEX.test(node.property));
    case 'index': {
      const object = denote(node.object, bindings, reads);
      if (node.index.kind === 'literal' && typeof node.index.value === 'string') return member(object, node.index.value, false);
      read(node.index, bindings, reads);
      return member(object, '', true);
    }
    case 'call':
      return call(node, bindings, reads);
    default:
      read(node, bindings, reads);
      return undefined;
  }
}

function call(node: Extract<ImlNode, { kind: 'call' }>, bindings: PathBindings, reads: Set<string>): PathBinding | undefined {
  const keys = ELEMENT_KEYS[node.name];
  if (keys && node.args.length > 0) {
    const elements = member(denote(node.args[0], bindings, reads), '', true);
    node.args.forEach((arg, index) => {
      if (index === 0) return;
      if (keys.includes(index) && arg.kind === 'literal' && typeof arg.value === 'string' && elements && 'paths' in elements) {
        const key = arg.value;
        elements.paths.forEach((path) => reads.add(key.split('.').reduce(childPath, path)));
      } else {
        read(arg, bindings, reads);
      }
    });
    return undefined;
  }
  const through = PASS_THROUGH[node.name];
  const passed: string[] = [];
  node.args.forEach((arg, index) => {
    if (through?.includes(index)) {
      const binding = denote(arg, bindings, reads);
      if (binding && 'paths' in binding) passed.push(...binding.paths);
    } else {
      read(arg, bindings, reads);
    }
  });
  return through ? { paths: passed } : undefined;
}

// Records the paths a node's value comes from: reading a value reads all of it (children included).
function read(node: ImlNode, bindings: PathBindings, reads: Set<string>): void {
  switch (node.kind) {
    case 'unary':
      read(node.operand, bindings, reads);
      return;
    case 'binary':
      read(node.left, bindings, reads);
      read(node.right, bindings, reads);
      return;
    case 'literal':
      return;
    default:
      pathsOf(node, bindings, reads).forEach((path) => reads.add(path));
  }
}

function pathsOf(node: ImlNode, bindings: PathBindings, reads: Set<string>): string[] {
  const binding = denote(node, bindings, reads);
  if (!binding) return [];
  if ('paths' in binding) return binding.paths;
  // A whole directive object passed on: every path its entries read.
  return [...directivePaths(binding.directive, binding.bindings)];
}

/** The payload paths a compiled directive (every template in it) reads, given what its variables stand for. */
export function directivePaths(directive: CompiledDirective, bindings: PathBindings, into = new Set<string>()): Set<string> {
  switch (directive.kind) {
    case 'template':
      directive.template.parts.forEach((part) => typeof part !== 'string' && read(part, bindings, into));
      break;
    case 'array':
      directive.items.forEach((item) => directivePaths(item, bindings, into));
      break;
    case 'object':
      directive.entries.forEach(([, item]) => directivePaths(item, bindings, into));
      break;
    default:
      break;
  }
  return into;
}

/** The paths a directive's value stands for when it is used as an array to iterate (e.g. `{{body.data.order.products}}`). */
export function directiveValuePaths(directive: CompiledDirective, bindings: PathBindings): string[] {
  const binding = directiveBinding(directive, bindings);
  return binding && 'paths' in binding ? binding.paths : [];
}
