import type { ImlNode } from './ast';
import type { CompiledDirective } from './directive';

/**
 * What a variable stands for when finding which payload paths a template reads: a list of paths (`''` is the
 * payload root, `data.order.products[]` an element of that array), or an object built by a directive (Make's
 * webhook `output`, read as `payload.<key>`).
 */
export type PathBinding = { paths: string[]; primaries?: string[][] } | { directive: CompiledDirective; bindings: Record<string, PathBinding> };

/**
 * The paths a directive reads, and which of them it reads only as a fallback: the second argument of `ifempty`,
 * read when the first (its primaries) is empty. A path read plainly anywhere is no fallback.
 */
export class PathReads extends Set<string> {
  private readonly plain = new Set<string>();
  private readonly primaries = new Map<string, Set<string>>();

  /** Records a path read, as a fallback of `primaries` when given. */
  note(path: string, primaries: string[] = []): void {
    this.add(path);
    if (primaries.length === 0) {
      this.plain.add(path);
      this.primaries.delete(path);
    } else if (!this.plain.has(path)) {
      const known = this.primaries.get(path) ?? new Set<string>();
      primaries.forEach((primary) => known.add(primary));
      this.primaries.set(path, known);
    }
  }

  /** The paths a path is read as a fallback of (empty when it is read plainly somewhere). */
  primariesOf(path: string): string[] {
    return [...(this.primaries.get(path) ?? [])];
  }
}

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
  if ('paths' in binding) {
    const child = (path: string) => (array ? `${path}[]` : childPath(path, key));
    return { paths: binding.paths.map(child), ...(binding.primaries ? { primaries: binding.primaries.map((primaries) => primaries.map(child)) } : {}) };
  }
  if (binding.directive.kind !== 'object') return undefined;
  const entry = binding.directive.entries.find(([name]) => name === key)?.[1];
  return entry ? directiveBinding(entry, binding.bindings) : undefined;
}

// What a directive value stands for: the paths its single expression denotes, or a nested object.
function directiveBinding(directive: CompiledDirective, bindings: PathBindings): PathBinding | undefined {
  if (directive.kind === 'object') return { directive, bindings };
  if (directive.kind !== 'template') return undefined;
  const reads = new Set<string>();
  const denoted: string[] = [];
  const primaries: string[][] = [];
  for (const part of directive.template.parts) {
    if (typeof part === 'string') continue;
    const binding = denote(part, bindings, reads);
    if (binding && 'paths' in binding) {
      denoted.push(...binding.paths);
      primaries.push(...binding.paths.map((_, at) => binding.primaries?.[at] ?? []));
    } else if (binding) {
      const whole = [...directivePaths(binding.directive, binding.bindings)];
      denoted.push(...whole);
      primaries.push(...whole.map(() => []));
    }
  }
  if (directive.template.typed) return { paths: denoted, primaries };
  return { paths: [...reads, ...denoted], primaries: [...[...reads].map(() => []), ...primaries] };
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
  const primaries: string[][] = [];
  node.args.forEach((arg, index) => {
    if (through?.includes(index)) {
      const binding = denote(arg, bindings, reads);
      if (!binding || !('paths' in binding)) return;
      // ifempty's second argument is read only when its first is empty: a fallback of the first's paths.
      const fallbackOf = node.name === 'ifempty' && index === 1 ? passed.slice() : [];
      binding.paths.forEach((path, at) => {
        passed.push(path);
        primaries.push([...(binding.primaries?.[at] ?? []), ...fallbackOf]);
      });
    } else {
      read(arg, bindings, reads);
    }
  });
  return through ? { paths: passed, primaries } : undefined;
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
    default: {
      const binding = denote(node, bindings, reads);
      if (binding && 'paths' in binding) binding.paths.forEach((path, at) => note(reads, path, binding.primaries?.[at]));
      else if (binding) directivePaths(binding.directive, binding.bindings, reads);
    }
  }
}

function note(reads: Set<string>, path: string, primaries?: string[]): void {
  if (reads instanceof PathReads) reads.note(path, primaries);
  else reads.add(path);
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
